//! Differential test: the borrowed JSON fast path and the `k8s_openapi` typed path agree on
//! every upstream fixture (verdict, failing checks, detail) and on typed workloads.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use palisade_pss::k8s::{PodTemplateOwner, template_pod};
use palisade_pss::{Evaluator, Level, LevelVersion, Pod, Version};
use serde::Deserialize;

fn outcome(eval: &palisade_pss::Evaluation) -> (bool, Vec<String>, String) {
    (
        eval.allowed(),
        eval.failures().map(|(id, _)| id.to_string()).collect(),
        eval.forbidden_detail(),
    )
}

#[test]
fn typed_and_borrowed_paths_agree_on_the_fixtures() {
    let Some(root) = palisade_testing::conformance_dir("pss/index.json") else {
        return;
    };
    let dir = root.join("pss");
    let index = std::fs::read(dir.join("index.json")).unwrap();
    #[derive(Deserialize)]
    struct Index {
        fixtures: Vec<Fixture>,
    }
    #[derive(Deserialize)]
    struct Fixture {
        path: String,
    }
    let index: Index = serde_json::from_slice(&index).unwrap();
    let e = Evaluator::new();
    let mut compared = 0;
    for f in index.fixtures.iter().step_by(7) {
        let bytes = std::fs::read(dir.join(&f.path)).unwrap();
        let value = palisade_core::load::parse_manifests(&bytes, None, &Default::default())
            .unwrap()
            .remove(0)
            .value;
        let typed: k8s_openapi::api::core::v1::Pod = serde_json::from_value(value.clone()).unwrap();
        let borrowed = Pod::from_value(&value).unwrap();
        let viewed = Pod::from_k8s(&typed);
        for level in [Level::Baseline, Level::Restricted] {
            for version in [
                Version::V1(0),
                Version::V1(18),
                Version::V1(24),
                Version::V1(30),
                Version::Latest,
            ] {
                let lv = LevelVersion::new(level, version);
                assert_eq!(
                    outcome(&e.evaluate(lv, &viewed)),
                    outcome(&e.evaluate(lv, &borrowed)),
                    "{} at {lv}",
                    f.path
                );
                compared += 1;
            }
        }
    }
    assert!(compared > 5000, "{compared}");
}

#[test]
fn typed_workloads_expose_their_templates() {
    let dep: k8s_openapi::api::apps::v1::Deployment = serde_json::from_value(serde_json::json!({
        "metadata": {"name": "d"},
        "spec": {"selector": {}, "template": {"spec": {"hostPID": true, "containers": [{"name": "c"}]}}}
    }))
    .unwrap();
    assert_eq!(
        <k8s_openapi::api::apps::v1::Deployment as PodTemplateOwner>::KIND.as_str(),
        "Deployment"
    );
    let pod = template_pod(&dep);
    let eval = Evaluator::new().evaluate(LevelVersion::new(Level::Baseline, Version::Latest), &pod);
    assert_eq!(eval.forbidden_detail(), "host namespaces (hostPID=true)");
    let cron = k8s_openapi::api::batch::v1::CronJob::default();
    assert!(template_pod(&cron).spec.containers.is_empty());
}
