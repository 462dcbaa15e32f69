//! The authorizer the `authorizer` variable of the VAP environment asks.
//!
//! palisade-rbac implements [`Authorizer`] in its own crate; the facade wires the two together.

/// What an authorization check asks: the admission request's user and the action checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attributes {
    /// The user's name.
    pub user: String,
    /// The user's groups.
    pub groups: Vec<String>,
    /// The user's extra attributes.
    pub extra: Vec<(String, Vec<String>)>,
    /// The verb (`get`, `create`, ...).
    pub verb: String,
    /// The API group of a resource request.
    pub api_group: String,
    /// The resource of a resource request.
    pub resource: String,
    /// The subresource.
    pub subresource: String,
    /// The namespace.
    pub namespace: String,
    /// The object's name.
    pub name: String,
    /// The path of a non-resource request (empty for resource requests).
    pub path: String,
    /// The field selector requirements, as written.
    pub field_selector: Option<String>,
    /// The label selector requirements, as written.
    pub label_selector: Option<String>,
}

/// An authorizer's decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Explicitly allowed.
    Allow,
    /// Explicitly denied.
    Deny,
    /// No opinion (a plain deny for RBAC).
    NoOpinion,
}

/// The answer to one check: decision, reason and an optional evaluation error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The decision.
    pub decision: Decision,
    /// The reason the authorizer gives.
    pub reason: String,
    /// An error met while deciding, if any.
    pub error: Option<String>,
}

/// Answers authorization checks for the `authorizer` library.
pub trait Authorizer: Send + Sync {
    /// Decides whether the attributes are authorized.
    fn authorize(&self, attributes: &Attributes) -> Answer;
}

/// An authorizer with no opinion on anything.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoOpinion;

impl Authorizer for NoOpinion {
    fn authorize(&self, _: &Attributes) -> Answer {
        Answer {
            decision: Decision::NoOpinion,
            reason: String::new(),
            error: None,
        }
    }
}
