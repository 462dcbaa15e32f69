//! Evaluating a set of manifests as a cluster would: every Pod and workload against the Pod
//! Security policy of its namespace, taken from the Namespace objects among the manifests.
//!
//! This is what `palisade check` and `palisade pss check` report. Unlike admission, which only
//! warns and audits for workloads, a scan evaluates workloads at the enforce level too: their
//! pods would be rejected when the controller creates them.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use crate::config::Config;
use crate::defaulting::{DefaultingTarget, apply_defaults};
use crate::evaluator::{Evaluation, Evaluator};
use crate::labels::{LabelError, Policy, policy_from_labels};
use crate::level::{Level, LevelVersion};
use crate::workload::{ObjectError, PodKind, read_object};
use palisade_core::StrMap;

/// A Pod Security admission mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    /// Violations are rejected.
    Enforce,
    /// Violations are returned to the client as warnings.
    Warn,
    /// Violations are recorded in the audit log.
    Audit,
}

impl Mode {
    /// `enforce`, `warn` or `audit`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Mode::Enforce => "enforce",
            Mode::Warn => "warn",
            Mode::Audit => "audit",
        }
    }
}

/// How to scan.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// The evaluator (emulated Kubernetes version).
    pub evaluator: Evaluator,
    /// Defaults for unlabeled namespaces and modes, and exemptions.
    pub config: Config,
    /// Evaluate every object at this level and version instead of its namespace's policy.
    pub level_version: Option<LevelVersion>,
    /// Apply API defaulting before evaluating.
    pub defaulting: bool,
    /// The namespace of objects that name none (as `kubectl apply` uses `default`).
    pub default_namespace: Option<String>,
}

/// Why an object was not evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exemption {
    /// The namespace is exempt by configuration.
    Namespace,
    /// The pod's runtime class is exempt by configuration.
    RuntimeClass,
}

impl Exemption {
    /// `namespace` or `runtimeClass`, as upstream's `exempt` audit annotation says.
    pub const fn as_str(self) -> &'static str {
        match self {
            Exemption::Namespace => "namespace",
            Exemption::RuntimeClass => "runtimeClass",
        }
    }
}

/// One level-version that an object violates, with the modes that use it.
#[derive(Debug, Clone)]
pub struct Violation {
    /// The modes of the namespace policy at this level and version.
    pub modes: Vec<Mode>,
    /// The evaluation (denied).
    pub evaluation: Evaluation,
}

/// The result for one object.
#[derive(Debug, Clone)]
pub struct ObjectResult {
    /// Index of the object in the scanned list.
    pub index: usize,
    /// Its kind.
    pub kind: PodKind,
    /// Its name (empty when it has none).
    pub name: String,
    /// Set when the object was exempt and not evaluated.
    pub exemption: Option<Exemption>,
    /// The level-versions it violates, strictest mode first; empty when compliant.
    pub violations: Vec<Violation>,
}

impl ObjectResult {
    /// Whether the object violates the enforce level.
    pub fn violates_enforce(&self) -> bool {
        self.violations
            .iter()
            .any(|v| v.modes.contains(&Mode::Enforce))
    }
}

/// The result for one namespace.
#[derive(Debug, Clone)]
pub struct NamespaceResult {
    /// The namespace name.
    pub name: String,
    /// Whether a Namespace object for it was among the manifests.
    pub found: bool,
    /// The effective policy.
    pub policy: Policy,
    /// Problems with its Pod Security labels (the policy already applies upstream's fallbacks).
    pub label_errors: Vec<LabelError>,
    /// The pods and workloads in it, in input order.
    pub objects: Vec<ObjectResult>,
}

/// An object that could not be read.
#[derive(Debug, Clone)]
pub struct ScanError {
    /// Index of the object in the scanned list.
    pub index: usize,
    /// What is wrong.
    pub error: ObjectError,
}

/// The result of a scan.
#[derive(Debug, Clone, Default)]
pub struct ScanReport {
    /// Namespaces with pods or workloads, or with a Namespace object, sorted by name.
    pub namespaces: Vec<NamespaceResult>,
    /// Objects that could not be read.
    pub errors: Vec<ScanError>,
}

impl ScanReport {
    /// Every evaluated object.
    pub fn objects(&self) -> impl Iterator<Item = (&NamespaceResult, &ObjectResult)> {
        self.namespaces
            .iter()
            .flat_map(|ns| ns.objects.iter().map(move |o| (ns, o)))
    }

    /// Whether any object violates the enforce level of its namespace.
    pub fn violates_enforce(&self) -> bool {
        self.objects().any(|(_, o)| o.violates_enforce())
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NamespaceMeta<'a> {
    #[serde(borrow)]
    metadata: NamespaceMetadata<'a>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NamespaceMetadata<'a> {
    #[serde(borrow)]
    name: Option<palisade_core::Str<'a>>,
    #[serde(borrow)]
    labels: StrMap<'a>,
}

fn is_namespace(value: &Value) -> bool {
    value.get("apiVersion").and_then(Value::as_str) == Some("v1")
        && value.get("kind").and_then(Value::as_str) == Some("Namespace")
}

/// Scans `objects` (any kinds; those without pods are ignored except Namespaces).
pub fn scan(objects: &[Value], options: &ScanOptions) -> ScanReport {
    let mut report = ScanReport::default();
    let mut namespaces: BTreeMap<String, NamespaceResult> = BTreeMap::new();
    for value in objects.iter().filter(|v| is_namespace(v)) {
        let Ok(ns) = NamespaceMeta::deserialize(value) else {
            continue;
        };
        let Some(name) = ns.metadata.name else {
            continue;
        };
        let (policy, label_errors) =
            policy_from_labels(ns.metadata.labels.effective(), &options.config.defaults);
        namespaces.insert(
            name.to_string(),
            NamespaceResult {
                name: name.to_string(),
                found: true,
                policy,
                label_errors,
                objects: Vec::new(),
            },
        );
    }
    let default_ns = options.default_namespace.as_deref().unwrap_or("default");
    for (index, value) in objects.iter().enumerate() {
        if is_namespace(value) {
            continue;
        }
        let obj = match read_object(value) {
            Ok(Some(obj)) => obj,
            Ok(None) | Err(ObjectError::MissingType) => continue,
            Err(error) => {
                report.errors.push(ScanError { index, error });
                continue;
            }
        };
        let ns_name = obj
            .namespace
            .filter(|n| !n.is_empty())
            .unwrap_or(default_ns);
        let ns = namespaces
            .entry(ns_name.to_owned())
            .or_insert_with(|| NamespaceResult {
                name: ns_name.to_owned(),
                found: false,
                policy: options.config.defaults,
                label_errors: Vec::new(),
                objects: Vec::new(),
            });
        let mut pod = obj.pod;
        if options.defaulting {
            let target = if obj.kind == PodKind::Pod {
                DefaultingTarget::Pod
            } else {
                DefaultingTarget::Template
            };
            apply_defaults(&mut pod, target);
        }
        let exemptions = &options.config.exemptions;
        let exemption = if exemptions.exempts_namespace(ns_name) {
            Some(Exemption::Namespace)
        } else if exemptions.exempts_runtime_class(pod.spec.runtime_class_name.as_deref()) {
            Some(Exemption::RuntimeClass)
        } else {
            None
        };
        let mut violations = Vec::new();
        if exemption.is_none() {
            let modes: Vec<(Mode, LevelVersion)> = match options.level_version {
                Some(lv) => vec![(Mode::Enforce, lv)],
                None => vec![
                    (Mode::Enforce, ns.policy.enforce),
                    (Mode::Warn, ns.policy.warn),
                    (Mode::Audit, ns.policy.audit),
                ],
            };
            let mut done: Vec<LevelVersion> = Vec::new();
            for (_, lv) in &modes {
                if lv.level == Level::Privileged || done.contains(lv) {
                    continue;
                }
                done.push(*lv);
                let evaluation = options.evaluator.evaluate(*lv, &pod);
                if !evaluation.allowed() {
                    let modes = modes
                        .iter()
                        .filter(|(_, other)| other == lv)
                        .map(|(m, _)| *m)
                        .collect();
                    violations.push(Violation { modes, evaluation });
                }
            }
        }
        ns.objects.push(ObjectResult {
            index,
            kind: obj.kind,
            name: obj.name.unwrap_or_default().to_owned(),
            exemption,
            violations,
        });
    }
    report.namespaces = namespaces.into_values().collect();
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::level::Version;
    use serde_json::json;

    fn objects() -> Vec<Value> {
        vec![
            json!({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"prod","labels":{
                "pod-security.kubernetes.io/enforce":"baseline","pod-security.kubernetes.io/warn":"restricted"}}}),
            json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":"host","namespace":"prod"},
                "spec":{"hostNetwork":true,"containers":[{"name":"c"}]}}),
            json!({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"prod"},
                "spec":{"template":{"spec":{"containers":[{"name":"c"}]}}}}),
            json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":"free"},"spec":{"hostPID":true}}),
            json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"svc","namespace":"prod"}}),
        ]
    }

    #[test]
    fn evaluates_each_object_against_its_namespace_modes() {
        let report = scan(&objects(), &ScanOptions::default());
        let names: Vec<_> = report
            .namespaces
            .iter()
            .map(|n| (n.name.as_str(), n.found))
            .collect();
        assert_eq!(names, [("default", false), ("prod", true)]);
        let prod = &report.namespaces[1];
        assert_eq!(prod.objects.len(), 2);
        let host = &prod.objects[0];
        assert_eq!(
            host.violations.len(),
            2,
            "baseline (enforce) and restricted (warn) both fail"
        );
        assert_eq!(host.violations[0].modes, [Mode::Enforce]);
        assert_eq!(host.violations[1].modes, [Mode::Warn]);
        let web = &prod.objects[1];
        assert!(!web.violates_enforce());
        assert_eq!(web.violations[0].modes, [Mode::Warn]);
        // The default namespace has no labels: privileged, nothing evaluated.
        assert!(report.namespaces[0].objects[0].violations.is_empty());
        assert!(report.violates_enforce());
    }

    #[test]
    fn a_given_level_overrides_namespace_labels() {
        let options = ScanOptions {
            level_version: Some(LevelVersion::new(Level::Baseline, Version::Latest)),
            ..ScanOptions::default()
        };
        let report = scan(&objects(), &options);
        let free = &report.namespaces[0].objects[0];
        assert_eq!(
            free.violations[0].evaluation.forbidden_reason(),
            "host namespaces"
        );
    }
}
