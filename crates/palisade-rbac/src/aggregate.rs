//! ClusterRole aggregation, as the `clusterrole-aggregation` controller does it
//! (`pkg/controller/clusterroleaggregation`).
//!
//! For a ClusterRole with an `aggregationRule`, each selector in turn lists the ClusterRoles it
//! matches, sorted by name; every rule of every selected role other than the target is appended
//! unless an equal rule is already there. The result replaces the target's rules (its stored
//! rules are discarded). [`aggregate`] repeats this until nothing changes, as the controller
//! converges when aggregated roles are themselves aggregated (admin → edit → view).

use crate::model::{PolicyRule, Role};

/// The rules the controller computes for `roles[target]` in one sync, and whether they differ
/// from its current rules (`false`: the controller writes nothing).
///
/// Returns `None` when `target` is out of range or the role has no `aggregationRule`.
pub fn aggregate_one(roles: &[Role], target: usize) -> Option<(Vec<PolicyRule>, bool)> {
    let role = roles.get(target)?;
    let selectors = role.aggregation.as_ref()?;
    let mut rules: Vec<PolicyRule> = Vec::new();
    for selector in selectors {
        let mut selected: Vec<&Role> = roles
            .iter()
            .filter(|r| r.is_cluster_role() && selector.matches(&r.labels))
            .collect();
        selected.sort_by(|a, b| a.name.cmp(&b.name));
        for other in selected {
            if other.name == role.name {
                continue;
            }
            for rule in &other.rules {
                if !rules.contains(rule) {
                    rules.push(rule.clone());
                }
            }
        }
    }
    let changed = rules != role.rules;
    Some((rules, changed))
}

/// Aggregates every ClusterRole with an `aggregationRule` until a fixpoint, in place.
/// Returns the number of passes that changed something. Terminates on any input: a cycle of
/// aggregated roles that never settles stops after `roles.len() + 1` passes.
pub fn aggregate(roles: &mut [Role]) -> usize {
    let mut order: Vec<usize> = (0..roles.len())
        .filter(|&i| roles.get(i).is_some_and(|r| r.aggregation.is_some()))
        .collect();
    order.sort_by(|&a, &b| {
        let name = |i: usize| roles.get(i).map(|r| r.name.as_str()).unwrap_or("");
        name(a).cmp(name(b))
    });
    let mut passes = 0;
    for _ in 0..=roles.len() {
        let mut changed = false;
        for &i in &order {
            if let Some((rules, diff)) = aggregate_one(roles, i)
                && diff
                && let Some(role) = roles.get_mut(i)
            {
                role.rules = rules;
                changed = true;
            }
        }
        if !changed {
            break;
        }
        passes += 1;
    }
    passes
}
