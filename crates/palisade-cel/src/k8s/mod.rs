//! The Kubernetes CEL environment: one per Kubernetes minor version, for stored and for new
//! expressions, gated as the API server's base environment (`environment/base.go`) gates each
//! library and option.

pub mod activation;
mod lib;
pub mod types;

use crate::check::{ObjectType, Type};
use crate::env::{Env, Macros};

/// The oldest Kubernetes minor version palisade emulates.
pub const MIN_MINOR: u32 = 27;
/// The newest Kubernetes minor version palisade emulates.
pub const MAX_MINOR: u32 = 37;
/// The API server's per-expression runtime cost limit (`PerCallLimit`).
pub const PER_CALL_LIMIT: u64 = 1_000_000;

/// Which of the API server's two environments an expression is compiled in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnvType {
    /// Expressions already stored: every library the emulated version knows.
    Stored,
    /// Newly written expressions: the libraries of the compatibility version (emulated − 1).
    New,
}

/// A Kubernetes version that palisade cannot emulate.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unsupported Kubernetes version 1.{0}: supported are 1.{MIN_MINOR} to 1.{MAX_MINOR}")]
pub struct UnsupportedVersion(pub u32);

/// The variables of the ValidatingAdmissionPolicy validation environment.
pub const VAP_VARIABLES: &[&str] = &[
    "object",
    "oldObject",
    "params",
    "request",
    "namespaceObject",
    "authorizer",
    "authorizer.requestResource",
];

/// Library names whose types can be named in expressions.
const K8S_TYPES: &[(&str, u32)] = &[
    ("kubernetes.URL", 0),
    ("kubernetes.Quantity", 28),
    ("net.IP", 30),
    ("net.CIDR", 30),
    ("kubernetes.NamedFormat", 31),
    ("kubernetes.Semver", 33),
];

/// cel-go's network extension: the `ip` and `cidr` functions (the Kubernetes libraries' rules).
pub(crate) fn register_network(env: &mut Env) {
    lib::register_ip(env);
    lib::register_cidr(env);
}

pub(crate) fn is_type_name(env: &Env, name: &str) -> bool {
    if env.network_types && (name == "net.IP" || name == "net.CIDR") {
        return true;
    }
    env.k8s_minor
        .is_some_and(|v| K8S_TYPES.iter().any(|(n, since)| *n == name && v >= *since))
}

impl Env {
    /// The Kubernetes base environment of `1.<minor>` for `env_type` expressions, with the VAP
    /// variables declared. `compatibility_minor` overrides the compatibility version of `New`.
    pub fn kubernetes(
        minor: u32,
        env_type: EnvType,
        compatibility_minor: Option<u32>,
    ) -> Result<Env, UnsupportedVersion> {
        if !(MIN_MINOR..=MAX_MINOR).contains(&minor) {
            return Err(UnsupportedVersion(minor));
        }
        let v = match env_type {
            EnvType::Stored => minor,
            EnvType::New => compatibility_minor.unwrap_or(minor - 1),
        };
        let mut env = Env::spec(&[]);
        env.funcs.clear();
        crate::stdlib::register(&mut env);
        env.macros = Macros {
            standard: true,
            ..Macros::default()
        };
        env.strict = true;
        env.checked = true;
        env.literal_validators = v >= 29;
        env.homogeneous_literals = true;
        env.fold_errors = true;
        env.cost_limit = Some(PER_CALL_LIMIT);
        env.presence_test_cost = false;
        env.k8s_minor = Some(v);
        lib::register_urls(&mut env);
        lib::register_regex(&mut env);
        if v < 37 {
            lib::register_lists(&mut env, 0);
        } else {
            lib::register_lists(&mut env, 1);
        }
        if v >= 27 {
            lib::register_authz(&mut env, v >= 31);
        }
        if v >= 28 {
            env.add_extension(crate::env::Extension::Optionals);
            lib::register_quantity(&mut env);
        }
        crate::ext::strings::register(&mut env, if v >= 29 { 2 } else { 0 });
        if v >= 29 {
            crate::ext::sets::register(&mut env);
        }
        if v >= 30 {
            lib::register_ip(&mut env);
            lib::register_cidr(&mut env);
        }
        if v >= 31 {
            lib::register_format(&mut env);
        }
        if v >= 32 {
            env.add_extension(crate::env::Extension::TwoVarComprehensions);
        }
        if v >= 33 {
            lib::register_semver(&mut env);
        }
        if v >= 34 {
            crate::ext::lists::register(&mut env, 3);
        }
        for var in VAP_VARIABLES {
            env.declare_var(var);
        }
        for (var, ty) in vap_variable_types() {
            env.declare_typed_var(var, ty);
        }
        Ok(env)
    }
}

fn object(name: &str, fields: &[(&str, Type)]) -> Type {
    Type::Object(std::sync::Arc::new(ObjectType {
        name: name.to_string(),
        fields: fields
            .iter()
            .map(|(n, t)| ((*n).to_string(), t.clone()))
            .collect(),
    }))
}

/// The declared types of the VAP variables that are not `dyn`: the authorizer, the request
/// (upstream's `BuildRequestType`) and the namespace (`BuildNamespaceType`), so that a
/// misspelt field is `undefined field` at compile time.
fn vap_variable_types() -> Vec<(&'static str, Type)> {
    let s = || Type::String;
    let strings = || Type::list(Type::String);
    let gvk = object(
        "kubernetes.GroupVersionKind",
        &[("group", s()), ("version", s()), ("kind", s())],
    );
    let gvr = object(
        "kubernetes.GroupVersionResource",
        &[("group", s()), ("version", s()), ("resource", s())],
    );
    let user = object(
        "kubernetes.UserInfo",
        &[
            ("username", s()),
            ("uid", s()),
            ("groups", strings()),
            ("extra", Type::map(Type::String, strings())),
        ],
    );
    let request = object(
        "kubernetes.AdmissionRequest",
        &[
            ("uid", s()),
            ("kind", gvk.clone()),
            ("resource", gvr.clone()),
            ("subResource", s()),
            ("requestKind", gvk),
            ("requestResource", gvr),
            ("requestSubResource", s()),
            ("name", s()),
            ("namespace", s()),
            ("operation", s()),
            ("userInfo", user),
            ("dryRun", Type::Bool),
            ("options", Type::Dyn),
        ],
    );
    let namespace = object(
        "kubernetes.Namespace",
        &[
            ("apiVersion", s()),
            ("kind", s()),
            ("metadata", Type::Dyn),
            ("spec", Type::Dyn),
            ("status", Type::Dyn),
        ],
    );
    vec![
        (
            "authorizer",
            Type::opaque("kubernetes.authorization.Authorizer"),
        ),
        (
            "authorizer.requestResource",
            Type::opaque("kubernetes.authorization.ResourceCheck"),
        ),
        ("request", request),
        ("namespaceObject", namespace),
    ]
}
