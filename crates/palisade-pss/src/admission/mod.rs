//! Pod Security admission: the decisions, messages, warnings and audit annotations of the API
//! server's built-in `PodSecurity` admission plugin, for one request at a time.
//!
//! [`Admission`] holds the plugin configuration ([`Config`]: default policy and exemptions) and
//! the [`Evaluator`] (which Kubernetes version is emulated). [`Admission::validate`] takes an
//! [`AdmissionRequest`] — the operation, resource, object and user of the request, plus the
//! cluster state the plugin would look up: the Namespace objects and, for a Namespace update,
//! the pods of that namespace — and returns an [`AdmissionResponse`]. A denial is a value in the
//! response, never an `Err`.
//!
//! What is handled, as upstream (`k8s.io/pod-security-admission/admission`) handles it:
//!
//! - **Pods** (`CREATE`, `UPDATE`, evaluated subresources such as `ephemeralcontainers`):
//!   checked against the namespace's enforce, audit and warn levels; an enforce violation is
//!   denied with `403 Forbidden`. Updates that change no image and no container count are
//!   allowed without evaluation. The namespace, user and runtime class exemptions apply.
//! - **Workloads** (PodTemplate, ReplicationController, ReplicaSet, Deployment, DaemonSet,
//!   StatefulSet, Job, CronJob): their pod template is audited and warned about, never denied.
//! - **Namespaces**: invalid Pod Security labels are denied with `422 Invalid`; tightening the
//!   enforce level evaluates the existing pods and warns about the ones that violate it, as
//!   `kubectl label --dry-run=server` shows.
//! - Every other resource, and `DELETE` and `CONNECT`, is allowed without a word.
//!
//! The texts are the built-in plugin's: audit annotation keys carry the
//! `pod-security.kubernetes.io/` prefix, and a denial's message is the API server's (a webhook
//! deployment of pod-security-admission prefixes keys with the webhook name and messages with
//! `admission webhook "<name>" denied the request: ` instead).
//!
//! Objects are evaluated as given; the API server applies API defaults before admission, which
//! [`Admission::with_defaulting`] reproduces for the fields the checks read. The pod check of a
//! Namespace update never times out (upstream stops after one second); see
//! [`Admission::with_pod_check_budget`].
//!
//! ```
//! use palisade_pss::admission::{Admission, AdmissionRequest, StatusReason};
//! use palisade_pss::config::Config;
//! use serde_json::json;
//!
//! let namespaces = [json!({
//!     "apiVersion": "v1", "kind": "Namespace",
//!     "metadata": {"name": "team-a", "labels": {"pod-security.kubernetes.io/enforce": "baseline"}},
//! })];
//! let pod = json!({
//!     "apiVersion": "v1", "kind": "Pod",
//!     "metadata": {"name": "web", "namespace": "team-a"},
//!     "spec": {"hostNetwork": true, "containers": [{"name": "web", "image": "nginx"}]},
//! });
//!
//! let admission = Admission::new(Config::default());
//! let request = AdmissionRequest::create(&pod).with_namespaces(&namespaces);
//! let response = admission.validate(&request);
//!
//! assert!(!response.allowed);
//! assert_eq!(response.status.as_ref().map(|s| (s.code, s.reason)), Some((403, StatusReason::Forbidden)));
//! assert_eq!(
//!     response.message(),
//!     Some(r#"pods "web" is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true)"#),
//! );
//! assert_eq!(response.audit_annotation("enforce-policy"), Some("baseline:latest"));
//! assert!(response.warnings.is_empty()); // no warnings on a denied request
//! ```

mod evaluate;
mod namespace;
mod objects;
mod pods;
mod request;
mod response;
mod workloads;

pub use namespace::NAMESPACE_MAX_PODS_TO_CHECK;
pub use request::{AdmissionRequest, GroupVersionKind, GroupVersionResource, Operation, PodList};
pub use response::{
    AUDIT_VIOLATIONS_ANNOTATION, AdmissionResponse, ENFORCE_POLICY_ANNOTATION, ERROR_ANNOTATION,
    EXEMPT_ANNOTATION, Status, StatusCause, StatusDetails, StatusReason,
};

use crate::config::Config;
use crate::evaluator::{Evaluator, KubernetesVersion};

/// The PodSecurity admission plugin: a configuration and an evaluator.
///
/// Configure once, then [`validate`](Admission::validate) any number of requests; it is
/// `Send + Sync` and cheap to share.
#[derive(Debug, Clone, Default)]
pub struct Admission {
    config: Config,
    evaluator: Evaluator,
    defaulting: bool,
    pod_check_budget: Option<usize>,
}

impl Admission {
    /// The plugin with `config`, emulating the newest Kubernetes palisade knows.
    pub fn new(config: Config) -> Self {
        Admission {
            config,
            ..Admission::default()
        }
    }

    /// Uses `evaluator`, e.g. [`Evaluator::for_kubernetes`] to emulate an older API server, which
    /// evaluates `latest` and newer policy versions as its own version.
    pub fn with_evaluator(mut self, evaluator: Evaluator) -> Self {
        self.evaluator = evaluator;
        self
    }

    /// Emulates Kubernetes `version`; shorthand for `with_evaluator(Evaluator::for_kubernetes(version))`.
    pub fn with_kubernetes_version(self, version: KubernetesVersion) -> Self {
        self.with_evaluator(Evaluator::for_kubernetes(version))
    }

    /// Applies the API defaults the checks depend on (see [`crate::defaulting`]) to pods,
    /// pod templates and existing pods before evaluating them, as the API server has done before
    /// admission. Off by default: objects are evaluated as given.
    pub fn with_defaulting(mut self, defaulting: bool) -> Self {
        self.defaulting = defaulting;
        self
    }

    /// Stops evaluating the existing pods of a namespace whose enforce level is tightened after
    /// `budget` pods, as upstream stops when its one-second deadline passes: the warnings then
    /// say `new PodSecurity enforce level only checked against the first <n> of <total>
    /// existing pods`. Upstream checks its deadline after each pod, so at least one pod is
    /// always evaluated. `None` (the default) evaluates up to [`NAMESPACE_MAX_PODS_TO_CHECK`]
    /// pods, as an API server that is fast enough does.
    pub fn with_pod_check_budget(mut self, budget: Option<usize>) -> Self {
        self.pod_check_budget = budget;
        self
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The evaluator.
    pub fn evaluator(&self) -> Evaluator {
        self.evaluator
    }

    /// Decides `request` as the built-in PodSecurity plugin does (upstream
    /// `(*Admission).Validate`, behind the plugin's `CREATE`/`UPDATE` and resource filter).
    pub fn validate(&self, request: &AdmissionRequest<'_>) -> AdmissionResponse {
        if !matches!(request.operation, Operation::Create | Operation::Update) {
            return AdmissionResponse::allow();
        }
        let resource = &request.resource;
        match (resource.group, resource.resource) {
            ("", "namespaces") => namespace::validate(self, request),
            ("", "pods") => pods::validate(self, request),
            _ => match workloads::workload_kind(resource) {
                Some(kind) => workloads::validate(self, request, kind),
                // Not a resource the plugin handles.
                None => AdmissionResponse::allow(),
            },
        }
    }
}

/// Decides `request` with the default configuration (every mode `privileged:latest` unless the
/// namespace's labels say otherwise, no exemptions) and the newest Kubernetes version.
pub fn validate(request: &AdmissionRequest<'_>) -> AdmissionResponse {
    Admission::default().validate(request)
}
