//! Renderings of a [`Matrix`]: a text table, JSON, Graphviz DOT and a self-contained HTML page.

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::matrix::Matrix;
use crate::model::Endpoints;

fn ids(ep: &Endpoints) -> Vec<String> {
    ep.pods().iter().map(crate::model::Pod::id).collect()
}

/// One table per port: rows are sources, columns destinations, `.` allowed and `X` denied.
pub fn text(m: &Matrix, ep: &Endpoints) -> String {
    let ids = ids(ep);
    let width = ids.iter().map(String::len).max().unwrap_or(0);
    let col = ids.iter().map(String::len).max().unwrap_or(1).max(1);
    let mut s = String::new();
    for (pi, (port, protocol)) in m.ports().iter().enumerate() {
        let _ = writeln!(
            s,
            "{protocol}/{port}: {} of {} pairs allowed (rows: from, columns: to; . allowed, X denied)",
            m.count_allowed(pi),
            m.len() * m.len()
        );
        let _ = write!(s, "{:width$}", "");
        for id in &ids {
            let _ = write!(s, " {id:>col$}");
        }
        s.push('\n');
        for (from, id) in ids.iter().enumerate() {
            let _ = write!(s, "{id:width$}");
            for to in 0..ids.len() {
                let mark = if m.allowed(pi, from, to) { "." } else { "X" };
                let _ = write!(s, " {mark:>col$}");
            }
            s.push('\n');
        }
        s.push('\n');
    }
    s
}

/// `{"pods": [ids], "ports": [{"port", "protocol", "allowedPairs", "allowed": [[bool…]…]}]}`,
/// with `allowed[from][to]` in pod order.
pub fn json(m: &Matrix, ep: &Endpoints) -> Value {
    let ports: Vec<Value> = m
        .ports()
        .iter()
        .enumerate()
        .map(|(pi, (port, protocol))| {
            let rows: Vec<Vec<bool>> = (0..m.len())
                .map(|from| (0..m.len()).map(|to| m.allowed(pi, from, to)).collect())
                .collect();
            json!({
                "port": port,
                "protocol": protocol.as_str(),
                "allowedPairs": m.count_allowed(pi),
                "allowed": rows,
            })
        })
        .collect();
    json!({ "pods": ids(ep), "ports": ports })
}

fn dot_quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A Graphviz digraph: one cluster per namespace, one edge per pair of distinct pods that is
/// allowed on at least one port, labelled with those ports.
pub fn dot(m: &Matrix, ep: &Endpoints) -> String {
    let ids = ids(ep);
    let mut s = String::from("digraph reachability {\n  rankdir=LR;\n  node [shape=box];\n");
    for (ni, ns) in ep.namespaces().iter().enumerate() {
        let members: Vec<&String> = ep
            .pods()
            .iter()
            .zip(&ids)
            .filter(|(p, _)| p.namespace == ns.name)
            .map(|(_, id)| id)
            .collect();
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "  subgraph cluster_{ni} {{\n    label={};",
            dot_quote(&ns.name)
        );
        for id in members {
            let _ = writeln!(s, "    {};", dot_quote(id));
        }
        s.push_str("  }\n");
    }
    for (from, a) in ids.iter().enumerate() {
        for (to, b) in ids.iter().enumerate() {
            if from == to {
                continue;
            }
            let ports: Vec<String> = m
                .ports()
                .iter()
                .enumerate()
                .filter(|(pi, _)| m.allowed(*pi, from, to))
                .map(|(_, (port, protocol))| format!("{protocol}/{port}"))
                .collect();
            if !ports.is_empty() {
                let _ = writeln!(
                    s,
                    "  {} -> {} [label={}];",
                    dot_quote(a),
                    dot_quote(b),
                    dot_quote(&ports.join(","))
                );
            }
        }
    }
    s.push_str("}\n");
    s
}

fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A self-contained HTML page (no external resources): one table per port, each cell green
/// (allowed) or red (denied) with the pair and port as its tooltip.
pub fn html(m: &Matrix, ep: &Endpoints) -> String {
    let ids: Vec<String> = ids(ep).iter().map(|s| escape_html(s)).collect();
    let mut s = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>NetworkPolicy reachability</title>\n<style>\nbody{font-family:system-ui,sans-serif;margin:1.5em}\ntable{border-collapse:collapse;font-size:12px;margin-bottom:2em}\nth,td{border:1px solid #ccc;padding:2px 4px}\nth.to{writing-mode:vertical-rl;transform:rotate(180deg)}\ntd.a{background:#c8e6c9;text-align:center}\ntd.d{background:#ffcdd2;text-align:center}\n</style>\n</head>\n<body>\n<h1>NetworkPolicy reachability</h1>\n<p>Rows: source pod; columns: destination pod. &#10003; allowed, &#10007; denied.</p>\n",
    );
    for (pi, (port, protocol)) in m.ports().iter().enumerate() {
        let _ = writeln!(
            s,
            "<h2>{protocol}/{port}</h2>\n<p>{} of {} pairs allowed</p>\n<table>\n<tr><th></th>",
            m.count_allowed(pi),
            m.len() * m.len()
        );
        for id in &ids {
            let _ = write!(s, "<th class=\"to\">{id}</th>");
        }
        s.push_str("</tr>\n");
        for (from, a) in ids.iter().enumerate() {
            let _ = write!(s, "<tr><th>{a}</th>");
            for (to, b) in ids.iter().enumerate() {
                let (class, mark) = if m.allowed(pi, from, to) {
                    ("a", "&#10003;")
                } else {
                    ("d", "&#10007;")
                };
                let _ = write!(
                    s,
                    "<td class=\"{class}\" title=\"{a} &#8594; {b} {protocol}/{port}\">{mark}</td>"
                );
            }
            s.push_str("</tr>\n");
        }
        s.push_str("</table>\n");
    }
    s.push_str("</body>\n</html>\n");
    s
}
