//! Pod Security Standards: a pod or workload at a level and version, or at the level its
//! namespace's labels enforce.

use palisade_pss::labels::{LabelError, policy_from_labels};
use palisade_pss::{LevelVersion, labels::Policy};
use serde_json::{Map, Value};

use super::{Error, object};
use crate::protocol::{self, RequestError};

/// The labels of a `namespaceLabels` field as `(key, value)` pairs.
fn labels(value: &Value) -> Result<Vec<(&str, &str)>, Error> {
    let Value::Object(map) = value else {
        return Err(Error::request(RequestError::new(
            "field `namespaceLabels` must be an object",
        )));
    };
    map.iter()
        .map(|(k, v)| match v {
            Value::String(s) => Ok((k.as_str(), s.as_str())),
            _ => Err(Error::request(RequestError::new(format!(
                "field `namespaceLabels[{k}]` must be a string"
            )))),
        })
        .collect()
}

fn policy_json(policy: &Policy, errors: &[LabelError]) -> Value {
    let mut out = Map::new();
    out.insert("enforce".into(), policy.enforce.to_string().into());
    out.insert("audit".into(), policy.audit.to_string().into());
    out.insert("warn".into(), policy.warn.to_string().into());
    if !errors.is_empty() {
        let errors: Vec<Value> = errors.iter().map(|e| e.to_string().into()).collect();
        out.insert("errors".into(), errors.into());
    }
    Value::Object(out)
}

/// The policy a namespace's labels select, as upstream's `PolicyToEvaluate` resolves them
/// against the default `privileged:latest`: `{enforce, audit, warn}` as `level:version`, with
/// `errors` (upstream's field error texts) for invalid labels.
pub fn pod_security_policy(namespace_labels: &Value) -> Result<Value, Error> {
    let labels = labels(namespace_labels)?;
    let (policy, errors) = policy_from_labels(labels, &Policy::default());
    Ok(policy_json(&policy, &errors))
}

/// Evaluates a pod or workload (the `pss` op: `level`, `version`, `pod` or `object`, optional
/// `kubernetesVersion` and `defaulting`). With `namespaceLabels` instead of `level` and
/// `version`, evaluates at the level and version the labels enforce and adds the resolved
/// `policy` to the answer.
pub fn evaluate_pod(request: &Value) -> Result<Value, Error> {
    let req = object(request)?;
    let field = if req.contains_key("object") {
        "object"
    } else {
        "pod"
    };
    let answer = |req: &Map<String, Value>| {
        protocol::pss::answer(req).map_err(|e| {
            let nested = e.0.starts_with("invalid ");
            let mut error = Error::request(e);
            if nested && !error.path().is_empty() {
                error.prefix_path(field);
            }
            error
        })
    };
    let Some(labels_value) = req.get("namespaceLabels") else {
        return answer(req);
    };
    if req.contains_key("level") || req.contains_key("version") {
        return Err(Error::request(RequestError::new(
            "give either `namespaceLabels` or `level` and `version`, not both",
        )));
    }
    let (policy, errors) = policy_from_labels(labels(labels_value)?, &Policy::default());
    let LevelVersion { level, version } = policy.enforce;
    let mut with_level = req.clone();
    with_level.insert("level".into(), level.to_string().into());
    with_level.insert("version".into(), version.to_string().into());
    let mut out = answer(&with_level)?;
    if let Value::Object(map) = &mut out {
        map.insert("policy".into(), policy_json(&policy, &errors));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn labels_select_the_enforced_level() {
        let pod = json!({"metadata": {"name": "p"}, "spec": {"hostPID": true, "containers": [{"name": "c"}]}});
        let r = evaluate_pod(&json!({"pod": pod, "namespaceLabels": {
            "pod-security.kubernetes.io/enforce": "baseline",
            "pod-security.kubernetes.io/enforce-version": "v1.30",
            "pod-security.kubernetes.io/warn": "restricted",
        }}))
        .unwrap();
        assert_eq!(r["allowed"], false);
        assert_eq!(r["levelVersion"], "baseline:v1.30");
        assert_eq!(r["forbiddenDetail"], "host namespaces (hostPID=true)");
        assert_eq!(
            r["policy"],
            json!({"enforce": "baseline:v1.30", "audit": "privileged:latest", "warn": "restricted:latest"})
        );
        // No labels: privileged, which runs no checks.
        let r = evaluate_pod(&json!({"pod": pod, "namespaceLabels": {}})).unwrap();
        assert_eq!(r["allowed"], true);
        assert_eq!(r["results"], json!([]));
    }

    #[test]
    fn invalid_labels_and_fields() {
        let r =
            pod_security_policy(&json!({"pod-security.kubernetes.io/enforce": "strict"})).unwrap();
        // Upstream fails closed: an invalid enforce level enforces restricted:latest.
        assert_eq!(r["enforce"], "restricted:latest");
        assert_eq!(
            r["errors"][0],
            "metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"strict\": must be one of privileged, baseline, restricted"
        );
        let e = evaluate_pod(
            &json!({"level": "baseline", "version": "latest", "pod": {"spec": {"hostPID": 1}}}),
        )
        .unwrap_err()
        .to_json();
        assert_eq!(e["path"], json!(["pod", "spec", "hostPID"]));
        let e = evaluate_pod(&json!({"pod": {}, "namespaceLabels": [], })).unwrap_err();
        assert_eq!(e.to_json()["path"], json!(["namespaceLabels"]));
    }
}
