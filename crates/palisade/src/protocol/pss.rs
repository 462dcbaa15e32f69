//! The `pss` op: evaluate a pod or workload at a level and version.

use palisade_pss::defaulting::{DefaultingTarget, apply_defaults};
use palisade_pss::workload::{PodKind, read_object, read_pod};
use palisade_pss::{Evaluator, KubernetesVersion, Level, LevelVersion, Version};
use serde_json::{Map, Value};

use super::{RequestError, optional_bool, optional_str, required_str};

pub(crate) fn answer(req: &Map<String, Value>) -> Result<Value, RequestError> {
    let level_text = required_str(req, "level")?;
    let version_text = required_str(req, "version")?;
    let level = Level::parse(level_text)
        .map_err(|e| RequestError::new(format!("invalid level `{level_text}`: {e}")))?;
    let version = Version::parse(version_text)
        .map_err(|e| RequestError::new(format!("invalid version `{version_text}`: {e}")))?;
    let evaluator = match optional_str(req, "kubernetesVersion")? {
        Some(v) => Evaluator::for_kubernetes(
            KubernetesVersion::parse(v).map_err(|e| RequestError::new(e.to_string()))?,
        ),
        None => Evaluator::new(),
    };
    let defaulting = optional_bool(req, "defaulting")?;

    let (kind, name, mut pod) = match (req.get("pod"), req.get("object")) {
        (Some(pod), None) => {
            let kind_given = pod.get("kind").and_then(Value::as_str);
            if kind_given.is_some_and(|k| k != "Pod") {
                return Err(RequestError::new(
                    "field `pod` must hold a Pod; use `object` for workloads",
                ));
            }
            let name = pod.pointer("/metadata/name").and_then(Value::as_str);
            let pod = read_pod(pod).map_err(|e| RequestError::new(e.to_string()))?;
            (PodKind::Pod, name, pod)
        }
        (None, Some(object)) => {
            let obj = read_object(object)
                .map_err(|e| RequestError::new(e.to_string()))?
                .ok_or_else(|| {
                    RequestError::new(format!(
                        "kind `{}` has no pod template: expected Pod, PodTemplate, ReplicationController, ReplicaSet, Deployment, DaemonSet, StatefulSet, Job or CronJob",
                        object.get("kind").and_then(Value::as_str).unwrap_or_default()
                    ))
                })?;
            (obj.kind, obj.name, obj.pod)
        }
        (Some(_), Some(_)) => {
            return Err(RequestError::new("give either `pod` or `object`, not both"));
        }
        (None, None) => return Err(RequestError::new("missing field `pod` (or `object`)")),
    };
    if defaulting {
        let target = if kind == PodKind::Pod {
            DefaultingTarget::Pod
        } else {
            DefaultingTarget::Template
        };
        apply_defaults(&mut pod, target);
    }

    let lv = LevelVersion::new(level, version);
    let eval = evaluator.evaluate(lv, &pod);
    let results: Vec<Value> = eval
        .results()
        .map(|r| {
            let mut m = Map::new();
            m.insert("check".into(), r.check.as_str().into());
            m.insert("allowed".into(), r.allowed().into());
            if let Some(f) = r.forbidden {
                m.insert("forbiddenReason".into(), f.reason.into());
                if !f.detail.is_empty() {
                    m.insert("forbiddenDetail".into(), f.detail.clone().into());
                }
            }
            Value::Object(m)
        })
        .collect();
    let mut response = Map::new();
    response.insert("allowed".into(), eval.allowed().into());
    response.insert(
        "levelVersion".into(),
        format!("{level_text}:{version_text}").into(),
    );
    response.insert("results".into(), results.into());
    if !eval.allowed() {
        response.insert("forbiddenReason".into(), eval.forbidden_reason().into());
        response.insert("forbiddenDetail".into(), eval.forbidden_detail().into());
        response.insert("message".into(), eval.message().into());
        response.insert("warning".into(), eval.warning().into());
        if kind == PodKind::Pod {
            response.insert(
                "admissionMessage".into(),
                eval.admission_message(name.unwrap_or_default()).into(),
            );
        }
    }
    Ok(Value::Object(response))
}

#[cfg(test)]
mod tests {
    use super::super::handle;
    use serde_json::json;

    #[test]
    fn denies_with_upstream_texts() {
        let r = handle(&json!({"op":"pss","level":"baseline","version":"latest",
            "pod":{"metadata":{"name":"web"},"spec":{"hostNetwork":true,"containers":[{"name":"c"}]}}}));
        assert_eq!(r["allowed"], false);
        assert_eq!(r["levelVersion"], "baseline:latest");
        assert_eq!(r["forbiddenReason"], "host namespaces");
        assert_eq!(r["forbiddenDetail"], "host namespaces (hostNetwork=true)");
        assert_eq!(
            r["message"],
            r#"violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true)"#
        );
        assert_eq!(
            r["warning"],
            r#"would violate PodSecurity "baseline:latest": host namespaces (hostNetwork=true)"#
        );
        assert_eq!(
            r["admissionMessage"],
            r#"pods "web" is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true)"#
        );
        let failing: Vec<_> = r["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["allowed"] == false)
            .collect();
        assert_eq!(failing.len(), 1);
        assert_eq!(failing[0]["check"], "hostNamespaces");
    }

    #[test]
    fn workloads_have_no_admission_message_and_privileged_runs_nothing() {
        let dep = json!({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},
            "spec":{"template":{"spec":{"hostPID":true}}}});
        let r = handle(&json!({"op":"pss","level":"baseline","version":"v1.30","object":dep}));
        assert_eq!(r["allowed"], false);
        assert!(r.get("admissionMessage").is_none());
        let r = handle(&json!({"op":"pss","level":"privileged","version":"latest","object":dep}));
        assert_eq!(
            r,
            json!({"allowed": true, "levelVersion": "privileged:latest", "results": []})
        );
    }

    #[test]
    fn kubernetes_version_caps_latest_and_defaulting_is_opt_in() {
        // sysctl allowed only from policy v1.37.
        let pod =
            json!({"spec":{"securityContext":{"sysctls":[{"name":"net.ipv4.tcp_notsent_lowat"}]}}});
        let at = |k: &str| {
            handle(&json!({"op":"pss","level":"baseline","version":"latest","kubernetesVersion":k,"pod":pod}))["allowed"].clone()
        };
        assert_eq!(at("1.37"), true);
        assert_eq!(at("1.36"), false);
        let pod = json!({"spec":{"volumes":[{"name":"v"}],"containers":[]}});
        let r = handle(&json!({"op":"pss","level":"restricted","version":"latest","pod":pod}));
        assert_eq!(
            r["forbiddenDetail"],
            r#"restricted volume types (volume "v" uses restricted volume type "unknown")"#
        );
        let r = handle(
            &json!({"op":"pss","level":"restricted","version":"latest","pod":pod,"defaulting":true}),
        );
        assert_eq!(r["allowed"], true);
    }

    #[test]
    fn bad_fields_are_request_errors() {
        let r = handle(&json!({"op":"pss","level":"strict","version":"latest","pod":{}}));
        assert_eq!(
            r["requestError"],
            "invalid level `strict`: must be one of privileged, baseline, restricted"
        );
        let r = handle(&json!({"op":"pss","level":"baseline","pod":{}}));
        assert_eq!(r["requestError"], "missing field `version`");
        let r = handle(
            &json!({"op":"pss","level":"baseline","version":"latest","pod":{"spec":{"hostPID":1}}}),
        );
        assert_eq!(
            r["requestError"],
            "invalid Pod: spec.hostPID: invalid type: integer `1`, expected a boolean"
        );
    }
}
