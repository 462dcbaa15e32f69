//! Policies compiled once and evaluated for many requests: what `palisade check` and
//! long-running embedders use instead of compiling per request.

use crate::cluster::Cluster;
use crate::dispatch::{PolicyHook, bindings_for, dispatch};
use crate::input::configuration_error;
use crate::policy::{ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding};
use crate::request::AdmissionRequest;
use crate::response::AdmissionResponse;
use crate::validator::Validator;

/// A cluster state with its policies and bindings (API defaults applied) and each policy
/// compiled.
pub struct Admission {
    cluster: Cluster,
    policies: Vec<ValidatingAdmissionPolicy>,
    /// Per policy, its bindings in evaluation order.
    bindings: Vec<Vec<ValidatingAdmissionPolicyBinding>>,
    validators: Vec<Box<dyn Validator>>,
    configuration_errors: Vec<Option<String>>,
}

impl Admission {
    /// Applies the API defaults to `policies` and `bindings` and compiles each policy with
    /// `compile`.
    pub fn new(
        cluster: Cluster,
        policies: &[ValidatingAdmissionPolicy],
        bindings: &[ValidatingAdmissionPolicyBinding],
        compile: &dyn Fn(&ValidatingAdmissionPolicy) -> Box<dyn Validator>,
    ) -> Self {
        let policies: Vec<ValidatingAdmissionPolicy> =
            policies.iter().cloned().map(|p| p.defaulted()).collect();
        let bindings: Vec<ValidatingAdmissionPolicyBinding> =
            bindings.iter().cloned().map(|b| b.defaulted()).collect();
        let bindings = policies
            .iter()
            .map(|p| bindings_for(p, &bindings))
            .collect();
        let validators = policies.iter().map(compile).collect();
        let configuration_errors = policies
            .iter()
            .map(|p| configuration_error(p, &cluster))
            .collect();
        Admission {
            cluster,
            policies,
            bindings,
            validators,
            configuration_errors,
        }
    }

    /// The cluster state.
    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// The number of policies.
    pub fn policy_count(&self) -> usize {
        self.policies.len()
    }

    /// Evaluates one request as the API server does.
    pub fn admit(&self, request: &AdmissionRequest) -> AdmissionResponse {
        let hooks: Vec<PolicyHook<'_>> = self
            .policies
            .iter()
            .zip(&self.bindings)
            .zip(&self.validators)
            .zip(&self.configuration_errors)
            .map(|(((policy, bindings), validator), error)| PolicyHook {
                policy,
                bindings,
                validator: validator.as_ref(),
                configuration_error: error.clone(),
            })
            .collect();
        dispatch(&hooks, request, &self.cluster)
    }
}
