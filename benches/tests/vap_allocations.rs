//! Heap allocations per admission request of the `vap` bench (20 policies with bindings
//! against one Deployment CREATE), counted with dhat, beside the same 20 expressions evaluated
//! through palisade-cel without the policy machinery.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use palisade::cel::authz::NoOpinion;
use palisade::cel::k8s::activation::VapVars;
use palisade::cel::k8s::{EnvType, MAX_MINOR};
use palisade::cel::{Env, Program};
use palisade::vap::{
    Admission, AdmissionRequest, Cluster, ValidatingAdmissionPolicy,
    ValidatingAdmissionPolicyBinding, compile_cel,
};
use palisade_benches::{VAP_EXPRESSIONS, vap_policies, vap_request};
use serde_json::json;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

/// What the machinery may add per policy: the decision list of its validations, and a share
/// of what is built once per request (the hook list, the namespace as CEL sees it).
const MACHINERY_ALLOCATIONS_PER_POLICY: u64 = 2;

// One test per binary: dhat allows one profiler at a time.
#[test]
fn allocations_per_admission_request() {
    let _profiler = dhat::Profiler::builder().testing().build();
    let (policies, bindings) = vap_policies();
    let policies: Vec<ValidatingAdmissionPolicy> = policies
        .into_iter()
        .map(|p| serde_json::from_value(p).unwrap())
        .collect();
    let bindings: Vec<ValidatingAdmissionPolicyBinding> = bindings
        .into_iter()
        .map(|b| serde_json::from_value(b).unwrap())
        .collect();
    let request: AdmissionRequest = serde_json::from_value(vap_request()).unwrap();
    let cluster = Cluster {
        namespaces: vec![json!({"metadata": {"name": request.namespace}})],
        ..Cluster::default()
    };
    let admission = Admission::new(cluster, &policies, &bindings, &|p| {
        compile_cel(p, Box::new(NoOpinion))
    });
    assert!(admission.admit(&request).allowed);
    let before = dhat::HeapStats::get();
    assert!(admission.admit(&request).allowed);
    let vap = dhat::HeapStats::get().total_blocks - before.total_blocks;

    let env = Env::kubernetes(MAX_MINOR, EnvType::Stored, None).unwrap();
    let programs: Vec<Program> = (0..20)
        .map(|i| Program::compile(&env, VAP_EXPRESSIONS[i % 10]).unwrap())
        .collect();
    let object = request.object.clone().unwrap();
    let baseline = || {
        let vars = VapVars::new(Some(&object), None, None, None, None);
        for p in &programs {
            assert!(p.eval(&|n| vars.resolve(n), &NoOpinion).result.is_ok());
        }
    };
    baseline();
    let before = dhat::HeapStats::get();
    baseline();
    let cel = dhat::HeapStats::get().total_blocks - before.total_blocks;
    println!("allocations per request: palisade-vap {vap} (20 policies), palisade-cel alone {cel}");
    assert!(
        vap <= cel + MACHINERY_ALLOCATIONS_PER_POLICY * 20,
        "the policy machinery allocates {vap} vs {cel} for the expressions alone"
    );
}
