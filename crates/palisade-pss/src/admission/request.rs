//! The admission request: what the API server passes to the PodSecurity plugin, plus the cluster
//! state the plugin would read (the namespace of the request, the pods of a relabelled namespace).

use std::fmt;

use serde_json::Value;

use crate::pod::Pod;
use crate::workload::PodKind;

/// The operation of an admission request.
///
/// The built-in PodSecurity plugin is registered for `CREATE` and `UPDATE` only; requests with
/// any other operation are allowed without evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    /// `CREATE`.
    Create,
    /// `UPDATE`.
    Update,
    /// `DELETE`: never evaluated.
    Delete,
    /// `CONNECT`: never evaluated.
    Connect,
}

impl Operation {
    /// The operation as the API server spells it: `CREATE`, `UPDATE`, `DELETE` or `CONNECT`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Operation::Create => "CREATE",
            Operation::Update => "UPDATE",
            Operation::Delete => "DELETE",
            Operation::Connect => "CONNECT",
        }
    }

    /// Parses `CREATE`, `UPDATE`, `DELETE` or `CONNECT` (exact case, as in an `AdmissionReview`).
    pub fn parse(s: &str) -> Option<Operation> {
        match s {
            "CREATE" => Some(Operation::Create),
            "UPDATE" => Some(Operation::Update),
            "DELETE" => Some(Operation::Delete),
            "CONNECT" => Some(Operation::Connect),
            _ => None,
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The resource of a request: group (`""` for the core group), version and plural resource name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct GroupVersionResource<'a> {
    /// The API group, `""` for the core group.
    pub group: &'a str,
    /// The API version, e.g. `v1`.
    pub version: &'a str,
    /// The plural resource name, e.g. `pods`.
    pub resource: &'a str,
}

impl<'a> GroupVersionResource<'a> {
    /// A group, version and resource.
    pub const fn new(group: &'a str, version: &'a str, resource: &'a str) -> Self {
        GroupVersionResource {
            group,
            version,
            resource,
        }
    }

    /// `v1 pods`.
    pub const PODS: GroupVersionResource<'static> = GroupVersionResource::new("", "v1", "pods");

    /// `v1 namespaces`.
    pub const NAMESPACES: GroupVersionResource<'static> =
        GroupVersionResource::new("", "v1", "namespaces");

    /// The group and resource as Go's `GroupResource.String()` prints them: `pods`,
    /// `deployments.apps`.
    pub fn group_resource(&self) -> String {
        if self.group.is_empty() {
            self.resource.to_owned()
        } else {
            format!("{}.{}", self.resource, self.group)
        }
    }
}

/// The kind of a request: group (`""` for the core group), version and kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct GroupVersionKind<'a> {
    /// The API group, `""` for the core group.
    pub group: &'a str,
    /// The API version, e.g. `v1`.
    pub version: &'a str,
    /// The kind, e.g. `Pod`.
    pub kind: &'a str,
}

impl<'a> GroupVersionKind<'a> {
    /// A group, version and kind.
    pub const fn new(group: &'a str, version: &'a str, kind: &'a str) -> Self {
        GroupVersionKind {
            group,
            version,
            kind,
        }
    }

    /// Splits an `apiVersion` (`v1`, `apps/v1`) and pairs it with `kind`.
    pub fn from_api_version(api_version: &'a str, kind: &'a str) -> Self {
        let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
        GroupVersionKind::new(group, version, kind)
    }

    /// `v1 Pod`.
    pub const POD: GroupVersionKind<'static> = GroupVersionKind::new("", "v1", "Pod");

    /// `v1 Namespace`.
    pub const NAMESPACE: GroupVersionKind<'static> = GroupVersionKind::new("", "v1", "Namespace");

    /// The group and kind as Go's `GroupKind.String()` prints them: `Namespace`,
    /// `Deployment.apps`.
    pub fn group_kind(&self) -> String {
        if self.group.is_empty() {
            self.kind.to_owned()
        } else {
            format!("{}.{}", self.kind, self.group)
        }
    }
}

impl fmt::Display for GroupVersionKind<'_> {
    /// As Go's `GroupVersionKind.String()`: `apps/v1, Kind=Deployment`, `/v1, Kind=Pod`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}, Kind={}", self.group, self.version, self.kind)
    }
}

/// The existing pods of a namespace, as the plugin lists them when a namespace's enforce level
/// is tightened.
///
/// Pods are evaluated in the order given (the built-in plugin lists from its informer cache,
/// whose order is unspecified; a live LIST returns them by name). A pod whose
/// `metadata.namespace` names another namespace is skipped, so all of a cluster's pods may be
/// passed.
#[derive(Debug, Clone, Copy)]
pub enum PodList<'a> {
    /// Pods as JSON values. If one of them cannot be read as a Pod, the list counts as failed
    /// (see [`PodList::Unavailable`]).
    Json(&'a [Value]),
    /// Pods already read.
    Parsed(&'a [Pod<'a>]),
    /// The pods could not be listed: upstream then warns `failed to list pods while checking new
    /// PodSecurity enforce level`.
    Unavailable,
}

impl Default for PodList<'_> {
    /// No pods.
    fn default() -> Self {
        PodList::Json(&[])
    }
}

/// An admission request, with the cluster state the PodSecurity plugin would look up.
///
/// Build one with [`AdmissionRequest::create`] or [`AdmissionRequest::update`] (which read the
/// kind, resource, name and namespace from the object) or [`AdmissionRequest::new`], then adjust
/// it with the `with_*` methods or by setting fields.
///
/// The name of a request for an object created with only `metadata.generateName` is the
/// generated name in a real API server; palisade cannot know it, so set it with
/// [`AdmissionRequest::with_name`] if it matters (it appears in the denial message).
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct AdmissionRequest<'a> {
    /// The operation. Only `CREATE` and `UPDATE` are evaluated.
    pub operation: Operation,
    /// The resource requested, e.g. `v1 pods`, `apps/v1 deployments`. It decides how the request
    /// is handled, as in the API server.
    pub resource: GroupVersionResource<'a>,
    /// The subresource (`""` for the main resource), e.g. `status`, `ephemeralcontainers`.
    pub sub_resource: &'a str,
    /// The kind of the object, e.g. `v1 Namespace`; it names the object in the `422 Invalid`
    /// message for invalid namespace labels.
    pub kind: GroupVersionKind<'a>,
    /// The name of the object.
    pub name: &'a str,
    /// The namespace of the request. For a Namespace request this is the namespace's own name
    /// (`""` for a Namespace created with only `generateName`).
    pub namespace: &'a str,
    /// The requesting user's name (`userInfo.username`); `""` never matches an exemption.
    pub username: &'a str,
    /// The object being created or the new version of the object being updated.
    pub object: Option<&'a Value>,
    /// The object before an update.
    pub old_object: Option<&'a Value>,
    /// The cluster's Namespace objects (or just the one of this request). The plugin looks up
    /// the request's namespace by `metadata.name`; when it is missing, the lookup fails as it
    /// does upstream with `namespaces "<name>" not found`.
    pub namespaces: &'a [Value],
    /// The pods of the namespace, read when a Namespace update tightens its enforce level.
    pub pods: PodList<'a>,
}

impl<'a> AdmissionRequest<'a> {
    /// A request with the given operation, resource and kind; no name, namespace, user, objects,
    /// namespaces or pods.
    pub fn new(
        operation: Operation,
        resource: GroupVersionResource<'a>,
        kind: GroupVersionKind<'a>,
    ) -> Self {
        AdmissionRequest {
            operation,
            resource,
            sub_resource: "",
            kind,
            name: "",
            namespace: "",
            username: "",
            object: None,
            old_object: None,
            namespaces: &[],
            pods: PodList::default(),
        }
    }

    /// A `CREATE` request for `object`, with kind, resource, name and namespace read from it.
    ///
    /// The resource is known for Pods, Namespaces and the workload kinds palisade knows
    /// ([`PodKind`]); for any other kind it is left empty, and the request is allowed without
    /// evaluation, as the plugin ignores resources it does not handle. The namespace is
    /// `metadata.namespace` (for a Namespace, its own name); set it with
    /// [`AdmissionRequest::with_namespace`] for manifests that leave it out.
    pub fn create(object: &'a Value) -> Self {
        let api_version = object
            .get("apiVersion")
            .and_then(Value::as_str)
            .unwrap_or("");
        let kind_name = object.get("kind").and_then(Value::as_str).unwrap_or("");
        let kind = GroupVersionKind::from_api_version(api_version, kind_name);
        let metadata = object.get("metadata");
        let field = |name: &str| {
            metadata
                .and_then(|m| m.get(name))
                .and_then(Value::as_str)
                .unwrap_or("")
        };
        let name = field("name");
        let (resource, namespace) = if kind.group.is_empty() && kind.kind == "Namespace" {
            ("namespaces", name)
        } else {
            let resource = PodKind::from_type(api_version, kind_name).map_or("", PodKind::resource);
            (resource, field("namespace"))
        };
        AdmissionRequest {
            name,
            namespace,
            object: Some(object),
            ..AdmissionRequest::new(
                Operation::Create,
                GroupVersionResource::new(kind.group, kind.version, resource),
                kind,
            )
        }
    }

    /// An `UPDATE` request from `old_object` to `object`, with kind, resource, name and
    /// namespace read from `object` as [`AdmissionRequest::create`] reads them.
    pub fn update(object: &'a Value, old_object: &'a Value) -> Self {
        AdmissionRequest {
            operation: Operation::Update,
            old_object: Some(old_object),
            ..AdmissionRequest::create(object)
        }
    }

    /// Sets the operation.
    pub fn with_operation(mut self, operation: Operation) -> Self {
        self.operation = operation;
        self
    }

    /// Sets the subresource, e.g. `status` or `ephemeralcontainers`.
    pub fn with_sub_resource(mut self, sub_resource: &'a str) -> Self {
        self.sub_resource = sub_resource;
        self
    }

    /// Sets the object's name.
    pub fn with_name(mut self, name: &'a str) -> Self {
        self.name = name;
        self
    }

    /// Sets the request's namespace.
    pub fn with_namespace(mut self, namespace: &'a str) -> Self {
        self.namespace = namespace;
        self
    }

    /// Sets the requesting user's name.
    pub fn with_username(mut self, username: &'a str) -> Self {
        self.username = username;
        self
    }

    /// Sets the object.
    pub fn with_object(mut self, object: &'a Value) -> Self {
        self.object = Some(object);
        self
    }

    /// Sets the old object.
    pub fn with_old_object(mut self, old_object: &'a Value) -> Self {
        self.old_object = Some(old_object);
        self
    }

    /// Sets the Namespace objects the plugin may look up.
    pub fn with_namespaces(mut self, namespaces: &'a [Value]) -> Self {
        self.namespaces = namespaces;
        self
    }

    /// Sets the existing pods of the namespace.
    pub fn with_pods(mut self, pods: PodList<'a>) -> Self {
        self.pods = pods;
        self
    }
}
