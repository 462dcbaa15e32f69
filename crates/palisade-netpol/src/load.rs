//! Reading namespaces, pods, workloads and policies from their JSON form (as YAML or JSON
//! manifests decode), with the API server's defaulting and the validation that matters for
//! evaluation. Objects of other kinds are ignored.

use std::collections::BTreeMap;
use std::net::IpAddr;

use palisade_core::FieldPath;
use serde_json::{Map, Value};

use crate::addr::{Cidr, parse_ip};
use crate::labels::{LabelSelector, Labels, Operator, Requirement};
use crate::model::{ContainerPort, Endpoints, Namespace, Pod, PodSource, Protocol};
use crate::policy::{
    Action, AdminPeer, AdminPolicy, AdminRule, AdminSelector, AdminTier, NetworkPolicy, Peer,
    PolicySet, Port, PortSpec, Rule,
};

/// The group and version of NetworkPolicy.
pub const NETWORK_POLICY_API: &str = "networking.k8s.io/v1";
/// The group and version of AdminNetworkPolicy and BaselineAdminNetworkPolicy.
pub const ADMIN_POLICY_API: &str = "policy.networking.k8s.io/v1alpha1";

/// Why an object could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// A field has a value the API server would reject.
    #[error("{object}: {field}: Invalid value: {message}")]
    Invalid {
        /// `Kind namespace/name` of the object.
        object: String,
        /// The field.
        field: FieldPath,
        /// What is wrong.
        message: String,
    },
    /// A required field is missing.
    #[error("{object}: {field}: Required value")]
    Missing {
        /// `Kind namespace/name` of the object.
        object: String,
        /// The field.
        field: FieldPath,
    },
}

/// Everything read from a set of objects.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// Namespaces and pods (and workloads standing in for pods that are not in the input).
    pub endpoints: Endpoints,
    /// The policies.
    pub policies: PolicySet,
    /// Objects that could not be read (and were left out).
    pub errors: Vec<LoadError>,
}

/// What kind of object a manifest is, for this crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    /// `v1` Namespace.
    Namespace,
    /// `v1` Pod.
    Pod,
    /// A workload with a pod template.
    Workload,
    /// `networking.k8s.io/v1` NetworkPolicy.
    NetworkPolicy,
    /// `policy.networking.k8s.io/v1alpha1` AdminNetworkPolicy.
    AdminNetworkPolicy,
    /// `policy.networking.k8s.io/v1alpha1` BaselineAdminNetworkPolicy.
    BaselineAdminNetworkPolicy,
}

/// The kind of `value` as this crate reads it; `None` for objects it ignores.
pub fn object_kind(value: &Value) -> Option<ObjectKind> {
    let api = value
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("");
    let kind = value.get("kind").and_then(Value::as_str)?;
    Some(match (api, kind) {
        ("v1", "Namespace") => ObjectKind::Namespace,
        ("v1", "Pod") => ObjectKind::Pod,
        (NETWORK_POLICY_API, "NetworkPolicy") => ObjectKind::NetworkPolicy,
        (ADMIN_POLICY_API, "AdminNetworkPolicy") => ObjectKind::AdminNetworkPolicy,
        (ADMIN_POLICY_API, "BaselineAdminNetworkPolicy") => ObjectKind::BaselineAdminNetworkPolicy,
        (_, "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet")
            if api.starts_with("apps/") =>
        {
            ObjectKind::Workload
        }
        (_, "Job" | "CronJob") if api.starts_with("batch/") => ObjectKind::Workload,
        ("v1", "ReplicationController" | "PodTemplate") => ObjectKind::Workload,
        _ => return None,
    })
}

/// Reads every object this crate knows among `objects` (a `kind: List` is read item by item).
///
/// Workloads stand in for their pods when the input has none of them: a workload whose
/// namespace holds no Pod carrying all of its template's labels becomes one endpoint named
/// after it, with the template's labels and ports and no IP.
pub fn load<'v>(objects: impl IntoIterator<Item = &'v Value>) -> Loaded {
    let mut namespaces = Vec::new();
    let mut pods = Vec::new();
    let mut workloads = Vec::new();
    let mut network = Vec::new();
    let mut admin = Vec::new();
    let mut baseline = None;
    let mut errors = Vec::new();
    let mut stack: Vec<&Value> = objects.into_iter().collect();
    stack.reverse();
    while let Some(v) = stack.pop() {
        if v.get("kind").and_then(Value::as_str) == Some("List") {
            if let Some(items) = v.get("items").and_then(Value::as_array) {
                stack.extend(items.iter().rev());
            }
            continue;
        }
        let result = match object_kind(v) {
            None => continue,
            Some(ObjectKind::Namespace) => namespace(v).map(|n| namespaces.push(n)),
            Some(ObjectKind::Pod) => pod(v).map(|p| pods.push(p)),
            Some(ObjectKind::Workload) => workload(v).map(|w| workloads.extend(w)),
            Some(ObjectKind::NetworkPolicy) => network_policy(v).map(|p| network.push(p)),
            Some(ObjectKind::AdminNetworkPolicy) => admin_policy(v).map(|p| admin.push(p)),
            Some(ObjectKind::BaselineAdminNetworkPolicy) => {
                admin_policy(v).map(|p| baseline = Some(p))
            }
        };
        if let Err(e) = result {
            errors.push(e);
        }
    }
    for w in workloads {
        let present = pods.iter().any(|p: &Pod| {
            p.source == PodSource::Pod
                && p.namespace == w.namespace
                && !w.labels.is_empty()
                && w.labels.iter().all(|(k, v)| p.labels.get(k) == Some(v))
        });
        if !present {
            pods.push(w);
        }
    }
    Loaded {
        endpoints: Endpoints::new(namespaces, pods),
        policies: PolicySet::new(network, admin, baseline),
        errors,
    }
}

/// Reads one object's fields, naming the object and field in errors.
struct Reader {
    object: String,
}

type R<T> = Result<T, LoadError>;

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

impl Reader {
    fn new(v: &Value) -> Reader {
        let kind = v.get("kind").and_then(Value::as_str).unwrap_or("object");
        let meta = v.get("metadata");
        let name = meta
            .and_then(|m| m.get("name"))
            .and_then(Value::as_str)
            .unwrap_or("");
        let object = match meta
            .and_then(|m| m.get("namespace"))
            .and_then(Value::as_str)
        {
            Some(ns) => format!("{kind} {ns}/{name}"),
            None => format!("{kind} {name}"),
        };
        Reader { object }
    }

    fn invalid(&self, field: &FieldPath, message: impl Into<String>) -> LoadError {
        LoadError::Invalid {
            object: self.object.clone(),
            field: field.clone(),
            message: message.into(),
        }
    }

    fn missing(&self, field: &FieldPath) -> LoadError {
        LoadError::Missing {
            object: self.object.clone(),
            field: field.clone(),
        }
    }

    fn wrong_type(&self, field: &FieldPath, v: &Value, want: &str) -> LoadError {
        self.invalid(field, format!("expected {want}, got {}", type_name(v)))
    }

    /// An optional object (`null` is absent).
    fn object<'v>(&self, v: Option<&'v Value>, f: &FieldPath) -> R<Option<&'v Map<String, Value>>> {
        match v {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(m)) => Ok(Some(m)),
            Some(other) => Err(self.wrong_type(f, other, "object")),
        }
    }

    /// An optional array (`null` is absent).
    fn array<'v>(&self, v: Option<&'v Value>, f: &FieldPath) -> R<Option<&'v [Value]>> {
        match v {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(a)) => Ok(Some(a)),
            Some(other) => Err(self.wrong_type(f, other, "array")),
        }
    }

    /// An optional string (`null` is absent).
    fn string<'v>(&self, v: Option<&'v Value>, f: &FieldPath) -> R<Option<&'v str>> {
        match v {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(self.wrong_type(f, other, "string")),
        }
    }

    /// An optional integer (`null` is absent).
    fn int(&self, v: Option<&Value>, f: &FieldPath) -> R<Option<i64>> {
        match v {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => match n.as_i64() {
                Some(i) => Ok(Some(i)),
                None => Err(self.invalid(f, format!("{n}: must be an integer"))),
            },
            Some(other) => Err(self.wrong_type(f, other, "integer")),
        }
    }

    fn port_number(&self, v: i64, f: &FieldPath) -> R<u16> {
        match u16::try_from(v) {
            Ok(p) if p >= 1 => Ok(p),
            _ => Err(self.invalid(f, format!("{v}: must be between 1 and 65535, inclusive"))),
        }
    }

    fn protocol(&self, v: Option<&Value>, f: &FieldPath) -> R<Protocol> {
        match self.string(v, f)? {
            None => Ok(Protocol::Tcp),
            Some(s) => Protocol::parse(s).ok_or_else(|| {
                self.invalid(
                    f,
                    format!("\"{s}\": supported values: \"SCTP\", \"TCP\", \"UDP\""),
                )
            }),
        }
    }

    fn labels(&self, v: Option<&Value>, f: &FieldPath) -> R<Labels> {
        let mut labels = Labels::new();
        if let Some(m) = self.object(v, f)? {
            for (k, v) in m {
                let s = self.string(Some(v), &f.clone().key(k))?.unwrap_or("");
                labels.insert(k.clone(), s.to_owned());
            }
        }
        Ok(labels)
    }

    fn selector(&self, v: &Value, f: &FieldPath) -> R<LabelSelector> {
        let Some(m) = self.object(Some(v), f)? else {
            return Ok(LabelSelector::everything());
        };
        let match_labels: BTreeMap<String, String> =
            self.labels(m.get("matchLabels"), &f.clone().child("matchLabels"))?;
        let mut match_expressions = Vec::new();
        let fe = f.clone().child("matchExpressions");
        for (i, e) in self
            .array(m.get("matchExpressions"), &fe)?
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let fi = fe.clone().index(i);
            let em = self
                .object(Some(e), &fi)?
                .ok_or_else(|| self.missing(&fi))?;
            let key = self
                .string(em.get("key"), &fi.clone().child("key"))?
                .ok_or_else(|| self.missing(&fi.clone().child("key")))?;
            let fo = fi.clone().child("operator");
            let op = self
                .string(em.get("operator"), &fo)?
                .ok_or_else(|| self.missing(&fo))?;
            let operator = Operator::parse(op).ok_or_else(|| {
                self.invalid(&fo, format!("\"{op}\": not a valid selector operator"))
            })?;
            let fv = fi.clone().child("values");
            let mut values = Vec::new();
            for (j, x) in self
                .array(em.get("values"), &fv)?
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                let s = self
                    .string(Some(x), &fv.clone().index(j))?
                    .unwrap_or_default();
                values.push(s.to_owned());
            }
            match operator {
                Operator::In | Operator::NotIn if values.is_empty() => {
                    return Err(
                        self.invalid(&fv, "must be specified when `operator` is 'In' or 'NotIn'")
                    );
                }
                Operator::Exists | Operator::DoesNotExist if !values.is_empty() => {
                    return Err(self.invalid(
                        &fv,
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    ));
                }
                _ => {}
            }
            match_expressions.push(Requirement {
                key: key.to_owned(),
                operator,
                values,
            });
        }
        Ok(LabelSelector {
            match_labels,
            match_expressions,
        })
    }

    fn required_selector(
        &self,
        m: &Map<String, Value>,
        key: &str,
        f: &FieldPath,
    ) -> R<LabelSelector> {
        let f = f.clone().child(key);
        match m.get(key) {
            None | Some(Value::Null) => Err(self.missing(&f)),
            Some(v) => self.selector(v, &f),
        }
    }

    fn cidr(&self, v: Option<&Value>, f: &FieldPath) -> R<Cidr> {
        let s = self.string(v, f)?.ok_or_else(|| self.missing(f))?;
        Cidr::parse(s).ok_or_else(|| self.invalid(f, format!("\"{s}\": must be a valid CIDR")))
    }

    fn name(&self, v: &Value) -> R<String> {
        let f = FieldPath::new(["metadata", "name"]);
        match self.string(v.get("metadata").and_then(|m| m.get("name")), &f)? {
            Some(s) if !s.is_empty() => Ok(s.to_owned()),
            _ => Err(self.missing(&f)),
        }
    }

    fn namespace(&self, v: &Value) -> R<String> {
        let f = FieldPath::new(["metadata", "namespace"]);
        Ok(self
            .string(v.get("metadata").and_then(|m| m.get("namespace")), &f)?
            .filter(|s| !s.is_empty())
            .unwrap_or("default")
            .to_owned())
    }
}

/// Reads a `v1` Namespace.
pub fn namespace(v: &Value) -> Result<Namespace, LoadError> {
    let r = Reader::new(v);
    let name = r.name(v)?;
    let labels = r.labels(
        v.get("metadata").and_then(|m| m.get("labels")),
        &FieldPath::new(["metadata", "labels"]),
    )?;
    let mut ns = Namespace { name, labels };
    ns.labels.insert(
        crate::model::NAMESPACE_NAME_LABEL.to_owned(),
        ns.name.clone(),
    );
    Ok(ns)
}

fn container_ports(r: &Reader, spec: Option<&Value>, f: &FieldPath) -> R<Vec<ContainerPort>> {
    let mut ports = Vec::new();
    let Some(spec) = r.object(spec, f)? else {
        return Ok(ports);
    };
    let fc = f.clone().child("containers");
    for (i, c) in r
        .array(spec.get("containers"), &fc)?
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let fi = fc.clone().index(i);
        let Some(c) = r.object(Some(c), &fi)? else {
            continue;
        };
        let fp = fi.clone().child("ports");
        for (j, p) in r
            .array(c.get("ports"), &fp)?
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let fj = fp.clone().index(j);
            let Some(p) = r.object(Some(p), &fj)? else {
                continue;
            };
            let fcp = fj.clone().child("containerPort");
            let number = r
                .int(p.get("containerPort"), &fcp)?
                .ok_or_else(|| r.missing(&fcp))?;
            ports.push(ContainerPort {
                name: r
                    .string(p.get("name"), &fj.clone().child("name"))?
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned),
                port: r.port_number(number, &fcp)?,
                protocol: r.protocol(p.get("protocol"), &fj.clone().child("protocol"))?,
            });
        }
    }
    Ok(ports)
}

/// Reads a `v1` Pod.
pub fn pod(v: &Value) -> Result<Pod, LoadError> {
    let r = Reader::new(v);
    let name = r.name(v)?;
    let namespace = r.namespace(v)?;
    let labels = r.labels(
        v.get("metadata").and_then(|m| m.get("labels")),
        &FieldPath::new(["metadata", "labels"]),
    )?;
    let spec_path = FieldPath::new(["spec"]);
    let ports = container_ports(&r, v.get("spec"), &spec_path)?;
    let host_network = matches!(
        v.get("spec").and_then(|s| s.get("hostNetwork")),
        Some(Value::Bool(true))
    );
    let status = r.object(v.get("status"), &FieldPath::new(["status"]))?;
    let mut ip: Option<IpAddr> = None;
    if let Some(status) = status {
        let f = FieldPath::new(["status", "podIP"]);
        if let Some(s) = r.string(status.get("podIP"), &f)?.filter(|s| !s.is_empty()) {
            ip =
                Some(parse_ip(s).ok_or_else(|| {
                    r.invalid(&f, format!("\"{s}\": must be a valid IP address"))
                })?);
        }
        let fl = FieldPath::new(["status", "podIPs"]);
        if ip.is_none()
            && let Some(first) = r.array(status.get("podIPs"), &fl)?.and_then(|a| a.first())
        {
            let f = fl.clone().index(0).child("ip");
            if let Some(s) = r.string(first.get("ip"), &f)?.filter(|s| !s.is_empty()) {
                ip = Some(parse_ip(s).ok_or_else(|| {
                    r.invalid(&f, format!("\"{s}\": must be a valid IP address"))
                })?);
            }
        }
    }
    Ok(Pod {
        namespace,
        name,
        labels,
        ip,
        ports,
        host_network,
        source: PodSource::Pod,
    })
}

/// Reads a workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController,
/// Job, CronJob, PodTemplate) as the pods it makes: `None` when it has no pod template.
pub fn workload(v: &Value) -> Result<Option<Pod>, LoadError> {
    let r = Reader::new(v);
    let kind = v.get("kind").and_then(Value::as_str).unwrap_or_default();
    let name = r.name(v)?;
    let namespace = r.namespace(v)?;
    let (template, path) = match kind {
        "PodTemplate" => (v.get("template"), FieldPath::new(["template"])),
        "CronJob" => (
            v.get("spec")
                .and_then(|s| s.get("jobTemplate"))
                .and_then(|j| j.get("spec"))
                .and_then(|s| s.get("template")),
            FieldPath::new(["spec", "jobTemplate", "spec", "template"]),
        ),
        _ => (
            v.get("spec").and_then(|s| s.get("template")),
            FieldPath::new(["spec", "template"]),
        ),
    };
    let Some(template) = template.filter(|t| t.is_object()) else {
        return Ok(None);
    };
    let labels = r.labels(
        template.get("metadata").and_then(|m| m.get("labels")),
        &path.clone().child("metadata").child("labels"),
    )?;
    let ports = container_ports(&r, template.get("spec"), &path.clone().child("spec"))?;
    let host_network = matches!(
        template.get("spec").and_then(|s| s.get("hostNetwork")),
        Some(Value::Bool(true))
    );
    Ok(Some(Pod {
        namespace,
        name,
        labels,
        ip: None,
        ports,
        host_network,
        source: PodSource::Workload(kind.to_owned()),
    }))
}

fn np_ports(r: &Reader, v: Option<&Value>, f: &FieldPath) -> R<Vec<Port>> {
    let mut ports = Vec::new();
    for (i, p) in r.array(v, f)?.unwrap_or_default().iter().enumerate() {
        let fi = f.clone().index(i);
        let Some(p) = r.object(Some(p), &fi)? else {
            return Err(r.missing(&fi));
        };
        let protocol = r.protocol(p.get("protocol"), &fi.clone().child("protocol"))?;
        let fp = fi.clone().child("port");
        let fe = fi.clone().child("endPort");
        let end = r.int(p.get("endPort"), &fe)?;
        let port = match p.get("port") {
            None | Some(Value::Null) => {
                if end.is_some() {
                    return Err(r.invalid(&fe, "may not be specified when `port` is not specified"));
                }
                PortSpec::Any
            }
            Some(Value::String(name)) => {
                if end.is_some() {
                    return Err(r.invalid(&fe, "may not be specified when `port` is non-numeric"));
                }
                if name.is_empty() {
                    return Err(r.invalid(&fp, "\"\": must contain at least one letter"));
                }
                PortSpec::Named(name.clone())
            }
            Some(n @ Value::Number(_)) => {
                let start = r.port_number(r.int(Some(n), &fp)?.unwrap_or_default(), &fp)?;
                let end = match end {
                    None => start,
                    Some(e) => {
                        let e = r.port_number(e, &fe)?;
                        if e < start {
                            return Err(r.invalid(
                                &fe,
                                format!("{e}: must be greater than or equal to `port`"),
                            ));
                        }
                        e
                    }
                };
                PortSpec::Range(start, end)
            }
            Some(other) => return Err(r.wrong_type(&fp, other, "integer or string")),
        };
        ports.push(Port {
            protocol: Some(protocol),
            port,
        });
    }
    Ok(ports)
}

fn np_peers(r: &Reader, v: Option<&Value>, f: &FieldPath) -> R<Vec<Peer>> {
    let mut peers = Vec::new();
    for (i, p) in r.array(v, f)?.unwrap_or_default().iter().enumerate() {
        let fi = f.clone().index(i);
        let Some(p) = r.object(Some(p), &fi)? else {
            return Err(r.missing(&fi));
        };
        let pods = match p.get("podSelector") {
            None | Some(Value::Null) => None,
            Some(s) => Some(r.selector(s, &fi.clone().child("podSelector"))?),
        };
        let namespaces = match p.get("namespaceSelector") {
            None | Some(Value::Null) => None,
            Some(s) => Some(r.selector(s, &fi.clone().child("namespaceSelector"))?),
        };
        let fb = fi.clone().child("ipBlock");
        let block = r.object(p.get("ipBlock"), &fb)?;
        match (block, pods.is_some() || namespaces.is_some()) {
            (Some(_), true) => {
                return Err(r.invalid(&fi, "may not specify more than 1 peer type"));
            }
            (None, false) => return Err(r.invalid(&fi, "must specify a peer")),
            (None, true) => peers.push(Peer::Selectors { pods, namespaces }),
            (Some(b), false) => {
                let cidr = r.cidr(b.get("cidr"), &fb.clone().child("cidr"))?;
                let fx = fb.clone().child("except");
                let mut except = Vec::new();
                for (j, x) in r
                    .array(b.get("except"), &fx)?
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                {
                    except.push(r.cidr(Some(x), &fx.clone().index(j))?);
                }
                peers.push(Peer::IpBlock { cidr, except });
            }
        }
    }
    Ok(peers)
}

fn np_rules(r: &Reader, v: Option<&Value>, f: &FieldPath, peer_key: &str) -> R<Vec<Rule>> {
    let mut rules = Vec::new();
    for (i, rule) in r.array(v, f)?.unwrap_or_default().iter().enumerate() {
        let fi = f.clone().index(i);
        let m = r.object(Some(rule), &fi)?;
        let empty = Map::new();
        let m = m.unwrap_or(&empty);
        rules.push(Rule {
            peers: np_peers(r, m.get(peer_key), &fi.clone().child(peer_key))?,
            ports: np_ports(r, m.get("ports"), &fi.clone().child("ports"))?,
        });
    }
    Ok(rules)
}

/// Reads a `networking.k8s.io/v1` NetworkPolicy, applying the API defaults: ports without a
/// protocol are TCP, a missing `podSelector` is `{}`, and missing or empty `policyTypes`
/// become `[Ingress]` plus `Egress` when there are egress rules.
pub fn network_policy(v: &Value) -> Result<NetworkPolicy, LoadError> {
    let r = Reader::new(v);
    let name = r.name(v)?;
    let namespace = r.namespace(v)?;
    let fs = FieldPath::new(["spec"]);
    let spec = r.object(v.get("spec"), &fs)?;
    let empty = Map::new();
    let spec = spec.unwrap_or(&empty);
    let pod_selector = match spec.get("podSelector") {
        None | Some(Value::Null) => LabelSelector::everything(),
        Some(s) => r.selector(s, &fs.clone().child("podSelector"))?,
    };
    let ingress = np_rules(
        &r,
        spec.get("ingress"),
        &fs.clone().child("ingress"),
        "from",
    )?;
    let egress = np_rules(&r, spec.get("egress"), &fs.clone().child("egress"), "to")?;
    let ft = fs.clone().child("policyTypes");
    let types = r.array(spec.get("policyTypes"), &ft)?.unwrap_or_default();
    let (mut isolates_ingress, mut isolates_egress) = (false, false);
    for (i, t) in types.iter().enumerate() {
        match r.string(Some(t), &ft.clone().index(i))? {
            Some("Ingress") => isolates_ingress = true,
            Some("Egress") => isolates_egress = true,
            other => {
                return Err(r.invalid(
                    &ft.clone().index(i),
                    format!(
                        "\"{}\": supported values: \"Egress\", \"Ingress\"",
                        other.unwrap_or_default()
                    ),
                ));
            }
        }
    }
    let policy_types_defaulted = types.is_empty();
    if policy_types_defaulted {
        isolates_ingress = true;
        isolates_egress = !egress.is_empty();
    }
    Ok(NetworkPolicy {
        namespace,
        name,
        pod_selector,
        isolates_ingress,
        isolates_egress,
        policy_types_defaulted,
        ingress,
        egress,
    })
}

fn admin_selector(r: &Reader, v: &Value, f: &FieldPath) -> R<AdminSelector> {
    let m = r.object(Some(v), f)?.ok_or_else(|| r.missing(f))?;
    match (m.get("namespaces"), m.get("pods")) {
        (Some(ns), None) => Ok(AdminSelector::Namespaces(
            r.selector(ns, &f.clone().child("namespaces"))?,
        )),
        (None, Some(p)) => {
            let fp = f.clone().child("pods");
            let pm = r.object(Some(p), &fp)?.ok_or_else(|| r.missing(&fp))?;
            Ok(AdminSelector::Pods {
                namespaces: r.required_selector(pm, "namespaceSelector", &fp)?,
                pods: r.required_selector(pm, "podSelector", &fp)?,
            })
        }
        _ => Err(r.invalid(f, "exactly one of `namespaces` or `pods` must be set")),
    }
}

fn admin_ports(r: &Reader, v: Option<&Value>, f: &FieldPath) -> R<Option<Vec<Port>>> {
    let Some(list) = r.array(v, f)? else {
        return Ok(None);
    };
    let mut ports = Vec::new();
    for (i, p) in list.iter().enumerate() {
        let fi = f.clone().index(i);
        let m = r.object(Some(p), &fi)?.ok_or_else(|| r.missing(&fi))?;
        if m.len() != 1 {
            return Err(r.invalid(
                &fi,
                "exactly one of `portNumber`, `portRange` or `namedPort` must be set",
            ));
        }
        if let Some(n) = m.get("portNumber") {
            let fp = fi.clone().child("portNumber");
            let n = r.object(Some(n), &fp)?.ok_or_else(|| r.missing(&fp))?;
            let fpp = fp.clone().child("port");
            let port = r.int(n.get("port"), &fpp)?.ok_or_else(|| r.missing(&fpp))?;
            let port = r.port_number(port, &fpp)?;
            ports.push(Port {
                protocol: Some(r.protocol(n.get("protocol"), &fp.clone().child("protocol"))?),
                port: PortSpec::Range(port, port),
            });
        } else if let Some(n) = m.get("portRange") {
            let fp = fi.clone().child("portRange");
            let n = r.object(Some(n), &fp)?.ok_or_else(|| r.missing(&fp))?;
            let (fs, fe) = (fp.clone().child("start"), fp.clone().child("end"));
            let start = r.int(n.get("start"), &fs)?.ok_or_else(|| r.missing(&fs))?;
            let end = r.int(n.get("end"), &fe)?.ok_or_else(|| r.missing(&fe))?;
            let (start, end) = (r.port_number(start, &fs)?, r.port_number(end, &fe)?);
            if end < start {
                return Err(r.invalid(&fe, "must be greater than or equal to `start`"));
            }
            ports.push(Port {
                protocol: Some(r.protocol(n.get("protocol"), &fp.clone().child("protocol"))?),
                port: PortSpec::Range(start, end),
            });
        } else if let Some(n) = m.get("namedPort") {
            let fp = fi.clone().child("namedPort");
            let name = r
                .string(Some(n), &fp)?
                .filter(|s| !s.is_empty())
                .ok_or_else(|| r.missing(&fp))?;
            ports.push(Port {
                protocol: None,
                port: PortSpec::Named(name.to_owned()),
            });
        } else {
            return Err(r.invalid(
                &fi,
                "exactly one of `portNumber`, `portRange` or `namedPort` must be set",
            ));
        }
    }
    Ok(Some(ports))
}

fn admin_rules(
    r: &Reader,
    v: Option<&Value>,
    f: &FieldPath,
    peer_key: &str,
    tier: AdminTier,
) -> R<Vec<AdminRule>> {
    let mut rules = Vec::new();
    for (i, rule) in r.array(v, f)?.unwrap_or_default().iter().enumerate() {
        let fi = f.clone().index(i);
        let m = r.object(Some(rule), &fi)?.ok_or_else(|| r.missing(&fi))?;
        let fa = fi.clone().child("action");
        let action = match (r.string(m.get("action"), &fa)?, tier) {
            (Some("Allow"), _) => Action::Allow,
            (Some("Deny"), _) => Action::Deny,
            (Some("Pass"), AdminTier::Admin) => Action::Pass,
            (None, _) => return Err(r.missing(&fa)),
            (Some(other), _) => {
                return Err(r.invalid(&fa, format!("\"{other}\": not a supported action")));
            }
        };
        let fp = fi.clone().child(peer_key);
        let list = r.array(m.get(peer_key), &fp)?.unwrap_or_default();
        if list.is_empty() {
            return Err(r.missing(&fp));
        }
        let mut peers = Vec::new();
        for (j, p) in list.iter().enumerate() {
            let fj = fp.clone().index(j);
            let pm = r.object(Some(p), &fj)?.ok_or_else(|| r.missing(&fj))?;
            let peer = if let Some(n) = pm.get("networks").filter(|_| pm.len() == 1) {
                let fnw = fj.clone().child("networks");
                let mut cidrs = Vec::new();
                for (k, c) in r
                    .array(Some(n), &fnw)?
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                {
                    cidrs.push(r.cidr(Some(c), &fnw.clone().index(k))?);
                }
                AdminPeer::Networks(cidrs)
            } else if let Some(n) = pm.get("nodes").filter(|_| pm.len() == 1) {
                AdminPeer::Nodes(r.selector(n, &fj.clone().child("nodes"))?)
            } else {
                AdminPeer::Selector(admin_selector(r, p, &fj)?)
            };
            peers.push(peer);
        }
        rules.push(AdminRule {
            name: r
                .string(m.get("name"), &fi.clone().child("name"))?
                .unwrap_or_default()
                .to_owned(),
            action,
            peers,
            ports: admin_ports(r, m.get("ports"), &fi.clone().child("ports"))?,
        });
    }
    Ok(rules)
}

/// Reads a `policy.networking.k8s.io/v1alpha1` AdminNetworkPolicy or
/// BaselineAdminNetworkPolicy (which must be named `default` and has no `priority` or `Pass`).
pub fn admin_policy(v: &Value) -> Result<AdminPolicy, LoadError> {
    let r = Reader::new(v);
    let tier = match v.get("kind").and_then(Value::as_str) {
        Some("BaselineAdminNetworkPolicy") => AdminTier::Baseline,
        _ => AdminTier::Admin,
    };
    let name = r.name(v)?;
    if tier == AdminTier::Baseline && name != "default" {
        return Err(r.invalid(
            &FieldPath::new(["metadata", "name"]),
            format!("\"{name}\": only one baseline admin network policy with metadata.name=\"default\" can be created in the cluster"),
        ));
    }
    let fs = FieldPath::new(["spec"]);
    let spec = r
        .object(v.get("spec"), &fs)?
        .ok_or_else(|| r.missing(&fs))?;
    let priority = match tier {
        AdminTier::Baseline => 0,
        AdminTier::Admin => {
            let fp = fs.clone().child("priority");
            let p = r
                .int(spec.get("priority"), &fp)?
                .ok_or_else(|| r.missing(&fp))?;
            i32::try_from(p)
                .ok()
                .filter(|p| (0..=1000).contains(p))
                .ok_or_else(|| {
                    r.invalid(&fp, format!("{p}: must be between 0 and 1000, inclusive"))
                })?
        }
    };
    let fsub = fs.clone().child("subject");
    let subject = admin_selector(&r, spec.get("subject").unwrap_or(&Value::Null), &fsub)?;
    Ok(AdminPolicy {
        tier,
        name,
        priority,
        subject,
        ingress: admin_rules(
            &r,
            spec.get("ingress"),
            &fs.clone().child("ingress"),
            "from",
            tier,
        )?,
        egress: admin_rules(
            &r,
            spec.get("egress"),
            &fs.clone().child("egress"),
            "to",
            tier,
        )?,
    })
}
