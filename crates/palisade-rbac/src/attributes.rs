//! The request attributes the authorizer decides on (`authorizer.Attributes`) and the user.

use std::collections::BTreeMap;

/// The authenticated user (`user.Info`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserInfo {
    /// The username.
    pub name: String,
    /// The groups.
    pub groups: Vec<String>,
    /// Extra attributes (RBAC does not read them).
    pub extra: BTreeMap<String, Vec<String>>,
}

/// The prefix of ServiceAccount usernames.
pub const SERVICE_ACCOUNT_PREFIX: &str = "system:serviceaccount:";

impl UserInfo {
    /// A user with groups.
    pub fn new(name: &str, groups: &[&str]) -> Self {
        UserInfo {
            name: name.into(),
            groups: groups.iter().map(|g| (*g).to_owned()).collect(),
            extra: BTreeMap::new(),
        }
    }

    /// The user a ServiceAccount token authenticates as: `system:serviceaccount:<ns>:<name>`
    /// with the groups `system:serviceaccounts`, `system:serviceaccounts:<ns>` and
    /// `system:authenticated`.
    pub fn service_account(namespace: &str, name: &str) -> Self {
        UserInfo {
            name: service_account_username(namespace, name),
            groups: service_account_groups(namespace),
            extra: BTreeMap::new(),
        }
    }

    /// `(namespace, name)` when the username is a ServiceAccount's.
    pub fn as_service_account(&self) -> Option<(&str, &str)> {
        split_service_account(&self.name)
    }
}

/// `system:serviceaccount:<ns>:<name>`.
pub fn service_account_username(namespace: &str, name: &str) -> String {
    format!("{SERVICE_ACCOUNT_PREFIX}{namespace}:{name}")
}

/// The groups of a ServiceAccount in `namespace`.
pub fn service_account_groups(namespace: &str) -> Vec<String> {
    vec![
        "system:serviceaccounts".into(),
        format!("system:serviceaccounts:{namespace}"),
        "system:authenticated".into(),
    ]
}

/// Splits `system:serviceaccount:<ns>:<name>` (both parts non-empty, no further `:`).
pub fn split_service_account(username: &str) -> Option<(&str, &str)> {
    let rest = username.strip_prefix(SERVICE_ACCOUNT_PREFIX)?;
    let (ns, name) = rest.split_once(':')?;
    (!ns.is_empty() && !name.is_empty() && !name.contains(':')).then_some((ns, name))
}

/// One request, as the authorizer sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attributes {
    /// Who asks.
    pub user: UserInfo,
    /// The verb (`get`, `list`, …; for non-resource requests the lower-cased HTTP verb).
    pub verb: String,
    /// Whether this is a resource request (else a non-resource path).
    pub resource_request: bool,
    /// API group (`""` for core).
    pub api_group: String,
    /// Resource (plural).
    pub resource: String,
    /// Subresource.
    pub subresource: String,
    /// Namespace (`""` for cluster-scoped or all namespaces).
    pub namespace: String,
    /// Object name.
    pub name: String,
    /// Non-resource path.
    pub path: String,
    /// Field selector (carried; RBAC ignores it).
    pub field_selector: Option<String>,
    /// Label selector (carried; RBAC ignores it).
    pub label_selector: Option<String>,
}

impl Attributes {
    /// A resource request.
    pub fn resource(
        user: UserInfo,
        verb: &str,
        api_group: &str,
        resource: &str,
        subresource: &str,
        namespace: &str,
        name: &str,
    ) -> Self {
        Attributes {
            user,
            verb: verb.into(),
            resource_request: true,
            api_group: api_group.into(),
            resource: resource.into(),
            subresource: subresource.into(),
            namespace: namespace.into(),
            name: name.into(),
            ..Attributes::default()
        }
    }

    /// A non-resource request.
    pub fn non_resource(user: UserInfo, verb: &str, path: &str) -> Self {
        Attributes {
            user,
            verb: verb.into(),
            path: path.into(),
            ..Attributes::default()
        }
    }
}
