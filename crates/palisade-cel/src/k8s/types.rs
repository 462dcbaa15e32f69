//! The Kubernetes CEL value types: Quantity, IP, CIDR, URL, Semver and the authorizer's checks.

use std::any::Any;
use std::sync::Arc;

use palisade_core::net::{Cidr, Ip};
use palisade_core::quantity::Quantity;
use palisade_core::semver::Semver;

use crate::authz::Attributes;
use crate::error::EvalError;
use crate::value::{Opaque, Value};

macro_rules! opaque {
    ($ty:ty, $name:literal, |$a:ident, $b:ident| $eq:expr, |$s:ident| $disp:expr) => {
        impl Opaque for $ty {
            fn type_name(&self) -> &'static str {
                $name
            }
            fn as_any(&self) -> &dyn Any {
                self
            }
            fn equals(&self, other: &dyn Opaque) -> bool {
                match other.as_any().downcast_ref::<$ty>() {
                    Some($b) => {
                        let $a = self;
                        $eq
                    }
                    None => false,
                }
            }
            fn to_display(&self) -> String {
                let $s = self;
                $disp
            }
        }
    };
}

/// `kubernetes.Quantity`
#[derive(Debug, Clone)]
pub struct QuantityVal(pub Quantity);
opaque!(
    QuantityVal,
    "kubernetes.Quantity",
    |a, b| a.0.compare(&b.0).is_eq(),
    |s| s.0.to_string()
);

/// `net.IP`
#[derive(Debug, Clone)]
pub struct IpVal(pub Ip);
opaque!(IpVal, "net.IP", |a, b| a.0 == b.0, |s| s.0.to_string());

/// `net.CIDR`
#[derive(Debug, Clone)]
pub struct CidrVal(pub Cidr);
opaque!(
    CidrVal,
    "net.CIDR",
    |a, b| a.0.to_string() == b.0.to_string(),
    |s| s.0.to_string()
);

/// `kubernetes.Semver`
#[derive(Debug, Clone)]
pub struct SemverVal(pub Semver);
opaque!(SemverVal, "kubernetes.Semver", |a, b| a.0 == b.0, |s| s
    .0
    .to_string());

/// `kubernetes.URL`
#[derive(Debug, Clone)]
pub struct UrlVal(pub palisade_core::url::Url, pub String);
opaque!(UrlVal, "kubernetes.URL", |a, b| a.0 == b.0, |s| s.1.clone());

/// `kubernetes.NamedFormat`
#[derive(Debug, Clone)]
pub struct FormatVal(pub palisade_core::format::Format);
opaque!(
    FormatVal,
    "kubernetes.NamedFormat",
    |a, b| a.0 == b.0,
    |s| s.0.name().to_string()
);

/// What an authorizer value is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthzKind {
    /// `authorizer` (possibly impersonating a service account).
    Authorizer,
    /// `authorizer.path(p)`
    Path,
    /// `authorizer.group(g)`
    Group,
    /// `....resource(r)`
    Resource,
    /// `....check(verb)`
    Decision {
        /// Allowed or not.
        allowed: bool,
        /// The reason.
        reason: String,
        /// The error, if any.
        error: Option<String>,
    },
}

/// A value of the authz library: the attributes built so far.
#[derive(Debug, Clone)]
pub struct AuthzVal {
    /// Which step of the builder.
    pub kind: AuthzKind,
    /// The attributes (user from the request, action from the builder).
    pub attrs: Arc<Attributes>,
}

impl Opaque for AuthzVal {
    fn type_name(&self) -> &'static str {
        match self.kind {
            AuthzKind::Authorizer => "kubernetes.authorization.Authorizer",
            AuthzKind::Path => "kubernetes.authorization.PathCheck",
            AuthzKind::Group => "kubernetes.authorization.GroupCheck",
            AuthzKind::Resource => "kubernetes.authorization.ResourceCheck",
            AuthzKind::Decision { .. } => "kubernetes.authorization.Decision",
        }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn equals(&self, other: &dyn Opaque) -> bool {
        other
            .as_any()
            .downcast_ref::<AuthzVal>()
            .is_some_and(|o| o.kind == self.kind && o.attrs == self.attrs)
    }
    fn to_display(&self) -> String {
        self.type_name().to_string()
    }
}

/// The opaque value of type `T` in `v`.
pub(crate) fn get<'v, T: 'static>(v: &'v Value<'_>) -> Option<&'v T> {
    match v {
        Value::Opaque(o) => o.as_any().downcast_ref::<T>(),
        _ => None,
    }
}

/// Wraps a library value.
pub(crate) fn wrap<'a>(o: impl Opaque + 'static) -> Value<'a> {
    Value::Opaque(Arc::new(o))
}

/// The `authorizer` variable for a request's user.
pub fn authorizer_value(
    user: &str,
    groups: &[String],
    extra: &[(String, Vec<String>)],
) -> Value<'static> {
    let attrs = Attributes {
        user: user.to_string(),
        groups: groups.to_vec(),
        extra: extra.to_vec(),
        ..Attributes::default()
    };
    wrap(AuthzVal {
        kind: AuthzKind::Authorizer,
        attrs: Arc::new(attrs),
    })
}

/// The `authorizer.requestResource` variable: a resource check for the request's resource.
pub fn request_resource_value(
    authorizer: &Value<'_>,
    group: &str,
    resource: &str,
    subresource: &str,
    namespace: &str,
    name: &str,
) -> Result<Value<'static>, EvalError> {
    let a = get::<AuthzVal>(authorizer).ok_or_else(EvalError::no_such_overload)?;
    let mut attrs = (*a.attrs).clone();
    attrs.api_group = group.to_string();
    attrs.resource = resource.to_string();
    attrs.subresource = subresource.to_string();
    attrs.namespace = namespace.to_string();
    attrs.name = name.to_string();
    Ok(wrap(AuthzVal {
        kind: AuthzKind::Resource,
        attrs: Arc::new(attrs),
    }))
}
