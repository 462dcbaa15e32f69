//! The `netpol` op: whether each probe's connection is allowed by the NetworkPolicies and
//! admin network policies of a cluster state, with an explanation.

use palisade_netpol::{Connection, Endpoint, Endpoints, Protocol, eval, load};
use serde_json::{Map, Value, json};

use super::RequestError;

fn array<'v>(req: &'v Map<String, Value>, field: &str) -> Result<&'v [Value], RequestError> {
    match req.get(field) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(RequestError::new(format!(
            "field `{field}` must be an array"
        ))),
    }
}

fn endpoint(ep: &Endpoints, v: Option<&Value>, at: &str) -> Result<Endpoint, RequestError> {
    match v {
        Some(Value::String(id)) => ep
            .find(id)
            .map(Endpoint::Pod)
            .ok_or_else(|| RequestError::new(format!("{at}: no pod `{id}` in `pods`"))),
        Some(Value::Object(m)) => match m.get("ip") {
            Some(Value::String(ip)) => ip
                .parse()
                .map(Endpoint::Ip)
                .map_err(|_| RequestError::new(format!("{at}: `{ip}` is not an IP address"))),
            _ => Err(RequestError::new(format!(
                "{at}: an address needs a string `ip`"
            ))),
        },
        None => Err(RequestError::new(format!("missing field `{at}`"))),
        Some(_) => Err(RequestError::new(format!(
            "{at}: must be \"namespace/pod\" or {{\"ip\": …}}"
        ))),
    }
}

pub(crate) fn answer(req: &Map<String, Value>) -> Result<Value, RequestError> {
    let Some(Value::Array(probes)) = req.get("probes") else {
        return Err(RequestError::new(match req.get("probes") {
            None => "missing field `probes`",
            Some(_) => "field `probes` must be an array",
        }));
    };
    let objects = array(req, "namespaces")?
        .iter()
        .chain(array(req, "pods")?)
        .chain(array(req, "policies")?);
    let loaded = load::load(objects);
    if !loaded.errors.is_empty() {
        let errors: Vec<String> = loaded.errors.iter().map(ToString::to_string).collect();
        return Err(RequestError::new(format!(
            "invalid objects: {}",
            errors.join("; ")
        )));
    }
    let (ep, ps) = (&loaded.endpoints, &loaded.policies);
    let mut results = Vec::with_capacity(probes.len());
    for (i, probe) in probes.iter().enumerate() {
        let Value::Object(p) = probe else {
            return Err(RequestError::new(format!("probes[{i}] must be an object")));
        };
        let from = endpoint(ep, p.get("from"), &format!("probes[{i}].from"))?;
        let to = endpoint(ep, p.get("to"), &format!("probes[{i}].to"))?;
        let port = p
            .get("port")
            .and_then(Value::as_u64)
            .and_then(|n| u16::try_from(n).ok())
            .filter(|n| *n > 0)
            .ok_or_else(|| {
                RequestError::new(format!("probes[{i}].port must be a number from 1 to 65535"))
            })?;
        let protocol = match p.get("protocol") {
            None | Some(Value::Null) => Protocol::Tcp,
            Some(Value::String(s)) => Protocol::parse(s).ok_or_else(|| {
                RequestError::new(format!("probes[{i}].protocol must be TCP, UDP or SCTP"))
            })?,
            Some(_) => {
                return Err(RequestError::new(format!(
                    "probes[{i}].protocol must be a string"
                )));
            }
        };
        let verdict = eval::evaluate(
            ep,
            ps,
            &Connection {
                from,
                to,
                port,
                protocol,
            },
        );
        results.push(json!({
            "allowed": verdict.allowed,
            "explanation": verdict.explanation_json(),
        }));
    }
    Ok(json!({ "results": results }))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::protocol::handle;

    #[test]
    fn answers_probes_in_order_with_explanations() {
        let r = handle(&json!({
            "op": "netpol", "id": 3,
            "pods": [
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "namespace": "x", "labels": {"pod": "a"}}, "status": {"podIP": "10.0.0.1"}},
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "b", "namespace": "x", "labels": {"pod": "b"}}, "status": {"podIP": "10.0.0.2"}}
            ],
            "policies": [{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                          "metadata": {"name": "deny", "namespace": "x"},
                          "spec": {"podSelector": {"matchLabels": {"pod": "b"}}}}],
            "probes": [
                {"from": "x/a", "to": "x/b", "port": 80},
                {"from": "x/b", "to": {"ip": "192.0.2.1"}, "port": 53, "protocol": "UDP"},
                {"from": "x/b", "to": "x/b", "port": 80}
            ]
        }));
        assert_eq!(r["id"], 3);
        let results = r["results"].as_array().unwrap();
        assert_eq!(results[0]["allowed"], false);
        assert_eq!(
            results[0]["explanation"]["ingress"]["isolating"],
            json!(["x/deny"])
        );
        assert_eq!(
            results[0]["explanation"]["ingress"]["decidedBy"],
            "networkPolicy"
        );
        assert_eq!(results[1]["allowed"], true);
        assert_eq!(
            results[1]["explanation"]["ingress"]["decidedBy"],
            "external"
        );
        assert_eq!(results[2]["allowed"], true);
        assert_eq!(results[2]["explanation"]["loopback"], true);
    }

    #[test]
    fn refuses_unknown_pods_and_bad_policies() {
        let r =
            handle(&json!({"op": "netpol", "probes": [{"from": "x/a", "to": "x/b", "port": 80}]}));
        assert_eq!(r["requestError"], "probes[0].from: no pod `x/a` in `pods`");
        let r = handle(&json!({"op": "netpol", "probes": [],
            "policies": [{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                          "metadata": {"name": "p", "namespace": "x"}, "spec": {"policyTypes": ["Both"]}}]}));
        assert!(
            r["requestError"]
                .as_str()
                .unwrap()
                .contains("spec.policyTypes[0]")
        );
        let r = handle(&json!({"op": "netpol"}));
        assert_eq!(r["requestError"], "missing field `probes`");
    }
}
