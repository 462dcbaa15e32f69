//! The coverage table: for a policy, the level each common class of request gets.
//!
//! Rows are request classes (core resources, secrets, `pods/exec`, `nodes/proxy`, RBAC
//! objects, non-resource URLs, anonymous requests); columns are the verbs `get`, `list`,
//! `watch`, `create`, `update`, `delete`. A cell is empty where the verb does not apply.

use crate::checker::{Request, User};
use crate::policy::{Level, Policy};

/// The table's columns.
pub const VERBS: [&str; 6] = ["get", "list", "watch", "create", "update", "delete"];

/// Who a row's requests come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// The user the table was built for.
    User,
    /// `system:anonymous` in `system:unauthenticated`.
    Anonymous,
}

/// One request class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowSpec {
    /// The row label (`pods`, `secrets`, `pods/exec`, `/healthz`, `anonymous pods`).
    pub label: &'static str,
    /// The API group (`""` for core); ignored for non-resource rows.
    pub group: &'static str,
    /// The resource, `""` for a non-resource row.
    pub resource: &'static str,
    /// The subresource, `""` for none.
    pub subresource: &'static str,
    /// Whether the resource is namespaced (requests are made in `default`).
    pub namespaced: bool,
    /// For a non-resource row, the path.
    pub path: &'static str,
    /// Who makes the requests.
    pub subject: Subject,
    /// Which of [`VERBS`] apply (a bit per column).
    verbs: u8,
}

const ALL: u8 = 0b11_1111;
const GET: u8 = 0b00_0001;
const CREATE: u8 = 0b00_1000;

const fn row(
    label: &'static str,
    group: &'static str,
    resource: &'static str,
    subresource: &'static str,
    namespaced: bool,
    verbs: u8,
) -> RowSpec {
    RowSpec {
        label,
        group,
        resource,
        subresource,
        namespaced,
        path: "",
        subject: Subject::User,
        verbs,
    }
}

const fn url(label: &'static str, subject: Subject) -> RowSpec {
    RowSpec {
        label,
        group: "",
        resource: "",
        subresource: "",
        namespaced: false,
        path: label,
        subject,
        verbs: GET,
    }
}

/// The rows, in table order.
pub const ROWS: [RowSpec; 21] = [
    row("pods", "", "pods", "", true, ALL),
    row("services", "", "services", "", true, ALL),
    row("configmaps", "", "configmaps", "", true, ALL),
    row("namespaces", "", "namespaces", "", false, ALL),
    row("nodes", "", "nodes", "", false, ALL),
    row("deployments.apps", "apps", "deployments", "", true, ALL),
    row("secrets", "", "secrets", "", true, ALL),
    row(
        "serviceaccounts/token",
        "",
        "serviceaccounts",
        "token",
        true,
        CREATE,
    ),
    row("pods/exec", "", "pods", "exec", true, GET | CREATE),
    row("pods/log", "", "pods", "log", true, GET),
    row(
        "nodes/proxy",
        "",
        "nodes",
        "proxy",
        false,
        GET | CREATE | 0b11_0000,
    ),
    row(
        "roles.rbac.authorization.k8s.io",
        "rbac.authorization.k8s.io",
        "roles",
        "",
        true,
        ALL,
    ),
    row(
        "rolebindings.rbac.authorization.k8s.io",
        "rbac.authorization.k8s.io",
        "rolebindings",
        "",
        true,
        ALL,
    ),
    row(
        "clusterroles.rbac.authorization.k8s.io",
        "rbac.authorization.k8s.io",
        "clusterroles",
        "",
        false,
        ALL,
    ),
    row(
        "clusterrolebindings.rbac.authorization.k8s.io",
        "rbac.authorization.k8s.io",
        "clusterrolebindings",
        "",
        false,
        ALL,
    ),
    url("/healthz", Subject::User),
    url("/metrics", Subject::User),
    url("/version", Subject::User),
    url("/api", Subject::User),
    RowSpec {
        label: "anonymous pods",
        subject: Subject::Anonymous,
        ..row("", "", "pods", "", true, ALL)
    },
    url("/healthz", Subject::Anonymous),
];

impl RowSpec {
    /// Whether `verb` (one of [`VERBS`]) applies to this row.
    pub fn applies(&self, verb: &str) -> bool {
        VERBS
            .iter()
            .position(|v| *v == verb)
            .is_some_and(|i| self.verbs & (1 << i) != 0)
    }
}

/// One cell: the level and the deciding rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    /// The level the request gets.
    pub level: Level,
    /// The rule that decides it (`None`: no rule matches).
    pub matched_rule: Option<usize>,
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The request class.
    pub spec: RowSpec,
    /// One entry per [`VERBS`] column; `None` where the verb does not apply.
    pub cells: Vec<Option<Cell>>,
}

/// Builds the coverage table of `policy` for requests made by `user` (anonymous rows use
/// `system:anonymous`). Resource requests are made in namespace `default` on an object named
/// `example` (no name for list, watch and create).
pub fn coverage(policy: &Policy, user: User<'_>) -> Vec<Row> {
    let anonymous_groups = ["system:unauthenticated"];
    let anonymous = User {
        name: "system:anonymous",
        groups: &anonymous_groups,
    };
    ROWS.iter()
        .map(|spec| {
            let who = match spec.subject {
                Subject::User => user,
                Subject::Anonymous => anonymous,
            };
            let cells = VERBS
                .iter()
                .map(|verb| {
                    if !spec.applies(verb) {
                        return None;
                    }
                    let request = if spec.resource.is_empty() {
                        Request::non_resource(Some(who), verb, spec.path)
                    } else {
                        let name = if matches!(*verb, "list" | "watch" | "create")
                            && spec.subresource.is_empty()
                        {
                            ""
                        } else if spec.resource == "nodes" {
                            "node-1"
                        } else {
                            "example"
                        };
                        Request::resource(
                            Some(who),
                            verb,
                            spec.group,
                            spec.resource,
                            spec.subresource,
                            // A request on one Namespace object has that name as its
                            // namespace (upstream `RequestInfoFactory.NewRequestInfo`).
                            if spec.namespaced {
                                "default"
                            } else if spec.resource == "namespaces" {
                                name
                            } else {
                                ""
                            },
                            name,
                        )
                    };
                    let d = policy.evaluate(&request);
                    Some(Cell {
                        level: d.level,
                        matched_rule: d.matched_rule,
                    })
                })
                .collect();
            Row { spec: *spec, cells }
        })
        .collect()
}
