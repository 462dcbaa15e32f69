//! Which params a binding evaluates its policy with (upstream `CollectParams`): none without
//! a paramKind or paramRef, one by name, or every param a selector selects — in the
//! binding's namespace, the request's, or cluster-wide.

use palisade_core::selector::{LabelSelector, SelectorError};
use serde_json::Value;

use crate::cluster::Cluster;
use crate::policy::{ParamKind, ParamRef, ParameterNotFoundAction};

/// Why a binding's params cannot be collected; upstream reports it as
/// `failed to configure binding: <this>`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParamError {
    /// The paramKind is not served.
    #[error("paramKind kind `{0}` not known")]
    UnknownKind(String),
    /// A namespaced paramKind, no `paramRef.namespace`, and a cluster-scoped request.
    #[error(
        "cannot use namespaced paramRef in policy binding that matches cluster-scoped resources"
    )]
    NamespacedParamForClusterRequest,
    /// `paramRef.namespace` with a cluster-scoped paramKind.
    #[error("paramRef.namespace must not be provided for a cluster-scoped `paramKind`")]
    NamespaceForClusterScopedKind,
    /// Both `name` and `selector`.
    #[error("paramRef.name and paramRef.selector are mutually exclusive")]
    NameAndSelector,
    /// Neither `name` nor `selector`.
    #[error("one of name or selector must be provided")]
    NoNameOrSelector,
    /// The selector cannot be parsed.
    #[error("{0}")]
    Selector(#[from] SelectorError),
    /// Nothing found and `parameterNotFoundAction: Deny`.
    #[error("no params found for policy binding with `Deny` parameterNotFoundAction")]
    NotFound,
}

/// The params a binding evaluates its policy with: one evaluation per element of
/// [`Params::iter`].
#[derive(Debug, Clone, PartialEq)]
pub enum Params<'c> {
    /// One evaluation with `params == null` (no paramKind or no paramRef).
    Null,
    /// One evaluation per param object; none means the policy is not evaluated (nothing
    /// found and `parameterNotFoundAction: Allow`).
    Objects(Vec<&'c Value>),
}

impl<'c> Params<'c> {
    /// The `params` of each evaluation, in order (`None`: `params == null`).
    pub fn iter(&self) -> impl Iterator<Item = Option<&'c Value>> + '_ {
        let (null, objects): (Option<Option<&'c Value>>, &[&'c Value]) = match self {
            Params::Null => (Some(None), &[]),
            Params::Objects(objects) => (None, objects),
        };
        null.into_iter().chain(objects.iter().map(|o| Some(*o)))
    }
}

/// Collects the params for one binding.
pub fn collect_params<'c>(
    param_kind: Option<&ParamKind>,
    param_ref: Option<&ParamRef>,
    request_namespace: &str,
    cluster: &'c Cluster,
) -> Result<Params<'c>, ParamError> {
    let (Some(kind), Some(pref)) = (param_kind, param_ref) else {
        return Ok(Params::Null);
    };
    let namespaced = cluster
        .param_scope(kind)
        .ok_or_else(|| ParamError::UnknownKind(go_param_kind(kind)))?;
    let store_namespace = if namespaced {
        if !pref.namespace.is_empty() {
            Some(pref.namespace.as_str())
        } else if !request_namespace.is_empty() {
            Some(request_namespace)
        } else {
            return Err(ParamError::NamespacedParamForClusterRequest);
        }
    } else {
        None
    };
    if !pref.namespace.is_empty() && !namespaced {
        return Err(ParamError::NamespaceForClusterScopedKind);
    }
    let params: Vec<&Value> = if !pref.name.is_empty() {
        if pref.selector.is_some() {
            return Err(ParamError::NameAndSelector);
        }
        cluster
            .params_of(kind, store_namespace)
            .into_iter()
            .find(|p| palisade_core::object::metadata_str(p, "name") == Some(&pref.name))
            .into_iter()
            .collect()
    } else if let Some(selector) = &pref.selector {
        let selector = LabelSelector::to_selector(selector)?;
        cluster
            .params_of(kind, store_namespace)
            .into_iter()
            .filter(|p| selector.matches_object(p))
            .collect()
    } else {
        return Err(ParamError::NoNameOrSelector);
    };
    if params.is_empty() && pref.parameter_not_found_action == Some(ParameterNotFoundAction::Deny) {
        return Err(ParamError::NotFound);
    }
    Ok(Params::Objects(params))
}

/// A ParamKind as Go's generated `String()` prints it.
fn go_param_kind(kind: &ParamKind) -> String {
    format!(
        "&ParamKind{{APIVersion:{},Kind:{},}}",
        kind.api_version, kind.kind
    )
}
