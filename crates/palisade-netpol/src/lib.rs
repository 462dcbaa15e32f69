//! NetworkPolicy reachability, offline and exact: who can talk to whom, and why.
//!
//! Evaluates `networking.k8s.io/v1` NetworkPolicy with the API's semantics (per-direction
//! isolation, `policyTypes` defaulting, union of allows, peers, ipBlock `except`, named ports
//! resolved on the destination, `endPort`), around it the `policy.networking.k8s.io/v1alpha1`
//! admin tiers (AdminNetworkPolicy by priority with first-match rules and Allow/Deny/Pass,
//! BaselineAdminNetworkPolicy after NetworkPolicy), and explains every answer.
//!
//! Most users want the `palisade` facade crate, which re-exports this one as
//! `palisade::netpol`.
//!
//! - [`load`]: namespaces, pods, workloads standing in for their pods, and policies from their
//!   JSON form, defaulted as the API server stores them;
//! - [`eval`]: one connection, with an explanation ([`eval::evaluate`]) or without
//!   ([`eval::allows`]);
//! - [`matrix`]: every pod × every pod × ports at once, the same answers in bulk, and
//!   [`render`] for it as a text table, JSON, Graphviz DOT or a self-contained HTML page;
//! - [`diff`]: the connections a change of policies opens or closes;
//! - [`lint`]: policies and peers that match nothing, unresolvable named ports, redundant
//!   rules, the `policyTypes` trap, namespaces without a default-deny, each with a severity;
//!
//! ```
//! use palisade_netpol::{Connection, Endpoint, Protocol, eval, load};
//! use serde_json::json;
//!
//! let objects = [
//!     json!({"apiVersion": "v1", "kind": "Pod",
//!            "metadata": {"name": "web", "namespace": "shop", "labels": {"app": "web"}},
//!            "spec": {"containers": [{"name": "c", "ports": [{"name": "http", "containerPort": 8080}]}]},
//!            "status": {"podIP": "10.0.0.2"}}),
//!     json!({"apiVersion": "v1", "kind": "Pod",
//!            "metadata": {"name": "db", "namespace": "shop", "labels": {"app": "db"}},
//!            "status": {"podIP": "10.0.0.3"}}),
//!     // Only pods labelled app=db may reach web, and only on its named port `http`.
//!     json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
//!            "metadata": {"name": "web-ingress", "namespace": "shop"},
//!            "spec": {"podSelector": {"matchLabels": {"app": "web"}},
//!                     "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "db"}}}],
//!                                  "ports": [{"port": "http"}]}]}}),
//! ];
//! let loaded = load::load(&objects);
//! assert!(loaded.errors.is_empty());
//! let (ep, ps) = (&loaded.endpoints, &loaded.policies);
//! let web = Endpoint::Pod(ep.find("shop/web").unwrap());
//! let db = Endpoint::Pod(ep.find("shop/db").unwrap());
//!
//! let to_web = |from, port| Connection { from, to: web, port, protocol: Protocol::Tcp };
//! assert!(eval::allows(ep, ps, &to_web(db, 8080)));
//! assert!(!eval::allows(ep, ps, &to_web(db, 80)));
//! let outside = Endpoint::Ip("192.0.2.1".parse().unwrap());
//! let verdict = eval::evaluate(ep, ps, &to_web(outside, 8080));
//! assert!(!verdict.allowed);
//! assert!(verdict.to_string().contains("isolated for Ingress by shop/web-ingress"));
//! ```
//!
//! ## Untrusted input
//!
//! Loading and evaluation never panic and do no I/O. Evaluating one connection is linear in
//! the size of the policies.

mod addr;
pub mod diff;
pub mod eval;
pub mod labels;
pub mod lint;
pub mod load;
pub mod matching;
pub mod matrix;
pub mod model;
pub mod policy;
pub mod render;

pub use addr::Cidr;
pub use eval::{Connection, Verdict};
pub use labels::{LabelSelector, Labels};
pub use load::{LoadError, Loaded};
pub use matching::Endpoint;
pub use model::{ContainerPort, Endpoints, Namespace, Pod, PodSource, Protocol};
pub use policy::{AdminPolicy, Direction, NetworkPolicy, PolicySet};
