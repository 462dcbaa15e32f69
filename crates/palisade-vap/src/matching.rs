//! Whether a request matches a policy's `matchConstraints` or a binding's `matchResources`
//! (upstream `policy/matching`): namespace selector, object selector, excluded rules, then
//! resource rules — exact first, then equivalent resources under `matchPolicy: Equivalent`.
//! Selector errors are reported only for requests the rules match.

use palisade_core::quote::GoQuoted;
use palisade_core::selector::{LabelSelector, Selector, SelectorError, parse_optional};
use serde_json::Value;

use crate::equivalent::EquivalentResources;
use crate::policy::{MatchResources, NamedRuleWithOperations};
use crate::request::{AdmissionRequest, Operation};
use crate::resource::{GroupVersionKind, GroupVersionResource};
use crate::rules::{RuleTarget, rule_matches};

/// The namespaces that exist, looked up by name.
pub trait Namespaces {
    /// The Namespace object named `name`, if it exists.
    fn namespace(&self, name: &str) -> Option<&Value>;
}

impl Namespaces for [Value] {
    fn namespace(&self, name: &str) -> Option<&Value> {
        self.iter()
            .find(|ns| palisade_core::object::metadata_str(ns, "name") == Some(name))
    }
}

impl Namespaces for Vec<Value> {
    fn namespace(&self, name: &str) -> Option<&Value> {
        self.as_slice().namespace(name)
    }
}

/// How a request matched: the resource and kind it matched as (an equivalent one under
/// `matchPolicy: Equivalent`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match<'a> {
    /// The resource the request matched as.
    pub resource: &'a GroupVersionResource,
    /// The kind the request matched as.
    pub kind: &'a GroupVersionKind,
}

/// Why matching failed, worded as the API server's status errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MatchError {
    /// The request's namespace does not exist, so its labels cannot be read.
    #[error("namespaces {} not found", GoQuoted(.0))]
    NamespaceNotFound(String),
    /// A selector cannot be parsed (an internal error upstream).
    #[error("Internal error occurred: {0}")]
    Selector(#[from] SelectorError),
    /// A Namespace object being created or updated has no metadata to read labels from.
    #[error("Internal error occurred: object does not implement the Object interfaces")]
    NoObjectMeta,
    /// An equivalent resource matched but its kind is not registered.
    #[error("unable to convert to {0}: unknown kind")]
    UnknownKind(GroupVersionResource),
}

/// Matches `request` against `criteria` (taken literally: apply
/// [`MatchResources::defaulted`] first for the API's defaults).
///
/// `Ok(None)` means the criteria do not apply to the request.
pub fn matches<'a>(
    criteria: &MatchResources,
    request: &'a AdmissionRequest,
    namespaces: &dyn Namespaces,
    equivalents: &'a EquivalentResources,
) -> Result<Option<Match<'a>>, MatchError> {
    let ns = match_namespace_selector(criteria.namespace_selector.as_ref(), request, namespaces);
    if matches!(ns, Ok(false)) {
        return Ok(None);
    }
    let obj = match_object_selector(criteria.object_selector.as_ref(), request);
    if matches!(obj, Ok(false)) {
        return Ok(None);
    }
    let equivalent = criteria.matches_equivalents();
    if matches_rules(
        &criteria.exclude_resource_rules,
        equivalent,
        request,
        equivalents,
    )?
    .is_some()
    {
        return Ok(None);
    }
    let matched = if criteria.resource_rules.is_empty() {
        Some(Match {
            resource: &request.resource,
            kind: &request.kind,
        })
    } else {
        matches_rules(&criteria.resource_rules, equivalent, request, equivalents)?
    };
    if matched.is_none() {
        return Ok(None);
    }
    ns?;
    obj?;
    Ok(matched)
}

fn target<'a>(request: &'a AdmissionRequest, resource: &'a GroupVersionResource) -> RuleTarget<'a> {
    RuleTarget {
        operation: request.operation,
        resource,
        sub_resource: &request.sub_resource,
        namespace: &request.namespace,
    }
}

fn name_matches(rule: &NamedRuleWithOperations, name: &str) -> bool {
    rule.resource_names.is_empty() || rule.resource_names.iter().any(|n| n == name)
}

/// upstream `matchesResourceRules`: every rule against the requested resource, then (under
/// `Equivalent`) every rule against each equivalent resource.
fn matches_rules<'a>(
    rules: &[NamedRuleWithOperations],
    equivalent: bool,
    request: &'a AdmissionRequest,
    equivalents: &'a EquivalentResources,
) -> Result<Option<Match<'a>>, MatchError> {
    for rule in rules {
        if rule_matches(rule, &target(request, &request.resource))
            && name_matches(rule, &request.name)
        {
            return Ok(Some(Match {
                resource: &request.resource,
                kind: &request.kind,
            }));
        }
    }
    if !equivalent {
        return Ok(None);
    }
    let candidates = equivalents.equivalents_for(&request.resource, &request.sub_resource);
    for rule in rules {
        for equivalent in candidates.iter().copied() {
            if *equivalent == request.resource || !rule_matches(rule, &target(request, equivalent))
            {
                continue;
            }
            let kind = equivalents
                .kind_for(equivalent, &request.sub_resource)
                .filter(|k| !k.is_empty())
                .ok_or_else(|| MatchError::UnknownKind(equivalent.clone()))?;
            if name_matches(rule, &request.name) {
                return Ok(Some(Match {
                    resource: equivalent,
                    kind,
                }));
            }
        }
    }
    Ok(None)
}

fn is_namespaces(resource: &GroupVersionResource) -> bool {
    resource.resource == "namespaces"
}

/// upstream `MatchNamespaceSelector`.
fn match_namespace_selector(
    selector: Option<&LabelSelector>,
    request: &AdmissionRequest,
    namespaces: &dyn Namespaces,
) -> Result<bool, MatchError> {
    if request.namespace.is_empty() && !is_namespaces(&request.resource) {
        return Ok(true);
    }
    let selector = parse_optional(selector)?;
    if selector.is_empty() {
        return Ok(true);
    }
    let own_labels = is_namespaces(&request.resource)
        && request.sub_resource.is_empty()
        && matches!(request.operation, Operation::Create | Operation::Update);
    let object = if own_labels {
        match &request.object {
            Some(o) if request.has_object_meta(o) => o,
            _ => return Err(MatchError::NoObjectMeta),
        }
    } else {
        namespaces
            .namespace(&request.namespace)
            .ok_or_else(|| MatchError::NamespaceNotFound(request.namespace.clone()))?
    };
    Ok(selector.matches_object(object))
}

/// upstream `MatchObjectSelector`: the new or the old object's labels.
fn match_object_selector(
    selector: Option<&LabelSelector>,
    request: &AdmissionRequest,
) -> Result<bool, MatchError> {
    let selector = parse_optional(selector)?;
    if selector.is_empty() {
        return Ok(true);
    }
    let matches_one = |o: &Option<Value>, s: &Selector| match o {
        Some(o) if !o.is_null() && request.has_object_meta(o) => s.matches_object(o),
        _ => false,
    };
    Ok(matches_one(&request.object, &selector) || matches_one(&request.old_object, &selector))
}
