//! `vap`: 20 ValidatingAdmissionPolicies, each with a binding, against one Deployment CREATE,
//! end to end per request (matching, params, activation, validations, the dispatcher's
//! answer). Beside it in the same run: the same 20 expressions evaluated one by one through
//! palisade-cel over the same object, without the policy machinery. Goal: the machinery adds
//! less than 20%.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use palisade::cel::authz::NoOpinion;
use palisade::cel::k8s::activation::VapVars;
use palisade::cel::k8s::{EnvType, MAX_MINOR};
use palisade::cel::{Env, Program, Value};
use palisade::vap::{
    Admission, AdmissionRequest, Cluster, ValidatingAdmissionPolicy,
    ValidatingAdmissionPolicyBinding, compile_cel,
};
use palisade_benches::{VAP_EXPRESSIONS, vap_policies, vap_request};
use serde_json::json;

fn typed<T: serde::de::DeserializeOwned>(objects: Vec<serde_json::Value>) -> Vec<T> {
    objects
        .into_iter()
        .map(|j| serde_json::from_value(j).unwrap())
        .collect()
}

fn bench(c: &mut Criterion) {
    let (policies, bindings) = vap_policies();
    let (policies, bindings): (
        Vec<ValidatingAdmissionPolicy>,
        Vec<ValidatingAdmissionPolicyBinding>,
    ) = (typed(policies), typed(bindings));
    let request: AdmissionRequest = serde_json::from_value(vap_request()).unwrap();
    let cluster = Cluster {
        namespaces: vec![json!({"metadata": {"name": request.namespace}})],
        ..Cluster::default()
    };
    let admission = Admission::new(cluster, &policies, &bindings, &|p| {
        compile_cel(p, Box::new(NoOpinion))
    });
    let answer = admission.admit(&request);
    assert!(answer.allowed, "{:?}", answer.status);

    let env = Env::kubernetes(MAX_MINOR, EnvType::Stored, None).unwrap();
    let programs: Vec<Program> = (0..20)
        .map(|i| Program::compile(&env, VAP_EXPRESSIONS[i % 10]).unwrap())
        .collect();
    let object = request.object.clone().unwrap();

    let mut group = c.benchmark_group("vap");
    group.bench_function("palisade-vap: 20 policies end to end", |b| {
        b.iter(|| black_box(admission.admit(black_box(&request))))
    });
    group.bench_function("baseline: the 20 expressions through palisade-cel", |b| {
        b.iter(|| {
            let vars = VapVars::new(Some(black_box(&object)), None, None, None, None);
            for p in &programs {
                let out = p.eval(&|n| vars.resolve(n), &NoOpinion);
                assert!(matches!(out.result, Ok(Value::Bool(true))));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
