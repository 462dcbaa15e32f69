//! Compiling a parsed expression into a program (resolved functions, variables and constants),
//! and evaluating it with cel-go's runtime cost.

use std::sync::Arc;

use cel::common::ast::{EntryExpr, Expr, IdedExpr, LiteralValue, SourceInfo};

use crate::env::{Env, Func, Rt};
use crate::error::{CompileError, EvalError, Issue};
use crate::value::{Key, List, Map, OwnedMap, Str, Type, Value, equals};

/// What a comprehension computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FoldKind {
    All,
    Exists,
    ExistsOne,
    Map,
    Filter,
    TransformList,
    TransformMap,
    TransformMapEntry,
}

pub(crate) struct Fold {
    kind: FoldKind,
    range: Node,
    two_var: bool,
    slot: usize,
    filter: Option<Node>,
    body: Node,
}

pub(crate) enum Node {
    Const(Value<'static>),
    Var(usize),
    Local(usize),
    Select(Box<Node>, Arc<str>),
    Has(Box<Node>, Arc<str>),
    OptSelect(Box<Node>, Arc<str>),
    Index(Box<Node>, Box<Node>),
    OptIndex(Box<Node>, Box<Node>),
    Call {
        name: &'static str,
        f: Box<[Func]>,
        args: Vec<Node>,
    },
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Cond(Box<Node>, Box<Node>, Box<Node>),
    List(Vec<Node>, Vec<bool>),
    Map(Vec<(Node, Node, bool)>),
    Fold(Box<Fold>),
    Bind(usize, Box<Node>, Box<Node>),
    OptMap {
        flat: bool,
        slot: usize,
        target: Box<Node>,
        body: Box<Node>,
    },
    OptOr {
        value: bool,
        target: Box<Node>,
        alt: Box<Node>,
    },
    Block(usize, Vec<Node>, Box<Node>),
    Error(Arc<str>),
}

/// The stack of the thread that parses and compiles an expression.
#[cfg(not(target_arch = "wasm32"))]
const COMPILE_STACK: usize = 256 << 20;

/// A compiled expression, ready to evaluate any number of times.
pub struct Program {
    root: Node,
    vars: Vec<String>,
    cost_limit: Option<u64>,
    presence_cost: bool,
    ast: IdedExpr,
    source_info: SourceInfo,
    result_type: Option<crate::check::Type>,
}

impl std::fmt::Debug for Program {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Program")
            .field("vars", &self.vars)
            .finish_non_exhaustive()
    }
}

/// The outcome of an evaluation: the value or the error, and the runtime cost.
#[derive(Debug)]
pub struct Evaluation<'a> {
    /// The value, or the runtime error.
    pub result: Result<Value<'a>, EvalError>,
    /// cel-go's actual runtime cost.
    pub cost: u64,
}

impl Program {
    /// Compiles `source` in `env`.
    ///
    /// Parsing recurses deeply for nested input (the ANTLR grammar has a dozen rules per
    /// level), so on platforms with threads the work runs on a thread of its own with a large
    /// stack; nesting beyond the parser's limits is a compile error, never a stack overflow.
    pub fn compile(env: &Env, source: &str) -> Result<Program, CompileError> {
        #[cfg(not(target_arch = "wasm32"))]
        {
            let on_big_stack = std::thread::scope(|scope| {
                std::thread::Builder::new()
                    .name("palisade-cel-compile".into())
                    .stack_size(COMPILE_STACK)
                    .spawn_scoped(scope, || Program::compile_here(env, source))
                    .ok()
                    .and_then(|handle| handle.join().ok())
            });
            if let Some(result) = on_big_stack {
                return result;
            }
        }
        Program::compile_here(env, source)
    }

    fn compile_here(env: &Env, source: &str) -> Result<Program, CompileError> {
        let parsed = crate::parse::parse(env, source)?;
        let (ast, source_info) = parsed;
        let mut c = Compiler {
            env,
            source,
            info: &source_info,
            issues: Vec::new(),
            scopes: Vec::new(),
            vars: Vec::new(),
            depth: 0,
            fold_error: None,
        };
        let root = c.compile(&ast);
        c.issues.sort_by_key(|i| (i.line, i.column));
        let invalid = |issues: Vec<Issue>| CompileError::Invalid {
            text: source.to_string(),
            issues,
        };
        let mut result_type = None;
        if env.checked {
            // What the compiler finds besides unknown names (a macro's bad arguments, nesting)
            // cel-go finds while parsing, before any check.
            let parse_phase: Vec<Issue> = c
                .issues
                .iter()
                .filter(|i| !i.message.starts_with("undeclared reference"))
                .cloned()
                .collect();
            if !parse_phase.is_empty() {
                return Err(invalid(parse_phase));
            }
            let (t, issues) = crate::check::run(env, source, &ast, &source_info);
            if !issues.is_empty() {
                return Err(invalid(issues));
            }
            result_type = Some(t);
        }
        if let Some(e) = c.fold_error {
            return Err(CompileError::Instantiation(format!(
                "program instantiation failed: {e}"
            )));
        }
        if !c.issues.is_empty() {
            return Err(invalid(c.issues));
        }
        let vars = c.vars;
        Ok(Program {
            root,
            vars,
            cost_limit: env.cost_limit,
            presence_cost: env.presence_test_cost,
            ast,
            source_info,
            result_type,
        })
    }

    /// The type the checker deduced (`None` when the environment does not check), e.g.
    /// `list(string)` for `['a'].map(x, x + 'b')` in a Kubernetes environment.
    pub fn result_type(&self) -> Option<&crate::check::Type> {
        self.result_type.as_ref()
    }

    /// The parsed expression (ids and source offsets), for checkers and tools.
    pub fn ast(&self) -> (&IdedExpr, &SourceInfo) {
        (&self.ast, &self.source_info)
    }

    /// The variables the program reads, in slot order.
    pub fn variables(&self) -> &[String] {
        &self.vars
    }

    /// Evaluates with variables from `resolve` (a missing variable is an error when read).
    pub fn eval<'a>(
        &self,
        resolve: &dyn Fn(&str) -> Option<Value<'a>>,
        authorizer: &dyn crate::authz::Authorizer,
    ) -> Evaluation<'a> {
        self.eval_fallible(&|name| resolve(name).map(Ok), authorizer)
    }

    /// Evaluates with variables from `resolve`, which is asked for a variable only when the
    /// evaluation reads it and may answer with an error: the read then fails with it, as a
    /// lazily computed variable does in cel-go (e.g. VAP `variables`). `true || variables.bad`
    /// is true; `variables.bad == 1` is the variable's error.
    pub fn eval_fallible<'a>(
        &self,
        resolve: &dyn Fn(&str) -> Option<Result<Value<'a>, EvalError>>,
        authorizer: &dyn crate::authz::Authorizer,
    ) -> Evaluation<'a> {
        let mut m = Machine {
            resolve,
            vars: &self.vars,
            locals: Vec::new(),
            args: Vec::new(),
            cost: 0,
            limit: self.cost_limit,
            rt: Rt {
                authorizer,
                extra_cost: 0,
            },
            steps: 0,
            presence_cost: self.presence_cost,
        };
        let result = m.eval(&self.root);
        let cost = m.cost + m.rt.extra_cost;
        Evaluation { result, cost }
    }
}

/// The 1-based line and column (in characters) of expression `id` in `source`.
pub(crate) fn position(source: &str, info: &SourceInfo, id: u64) -> (usize, usize) {
    let start = info.offset_for(id).map_or(0, |(s, _)| s as usize);
    let mut line = 1;
    let mut col = 1;
    for (i, ch) in source.chars().enumerate() {
        if i >= start {
            break;
        }
        if ch == '\n' {
            line += 1;
            col = 1;
        } else {
            col += 1;
        }
    }
    (line, col)
}

struct Compiler<'e> {
    env: &'e Env,
    source: &'e str,
    info: &'e SourceInfo,
    issues: Vec<Issue>,
    scopes: Vec<String>,
    vars: Vec<String>,
    depth: usize,
    fold_error: Option<String>,
}

const TYPE_NAMES: &[(&str, Type)] = &[
    ("int", Type::Int),
    ("uint", Type::Uint),
    ("double", Type::Double),
    ("bool", Type::Bool),
    ("string", Type::String),
    ("bytes", Type::Bytes),
    ("list", Type::List),
    ("map", Type::Map),
    ("null_type", Type::Null),
    ("type", Type::Type),
    ("google.protobuf.Timestamp", Type::Timestamp),
    ("google.protobuf.Duration", Type::Duration),
    ("optional_type", Type::Optional),
];

/// The name of an identifier expression.
pub(crate) fn simple_name(e: &IdedExpr) -> Option<&str> {
    match &e.expr {
        Expr::Ident(n) => Some(n),
        _ => None,
    }
}

/// The hidden variable name of `cel.iterVar(i, j)` (cel-go's block-optimized comprehensions).
fn iter_var_call(e: &IdedExpr) -> Option<String> {
    let Expr::Call(c) = &e.expr else { return None };
    if c.func_name != "iterVar" || c.target.as_deref().and_then(simple_name) != Some("cel") {
        return None;
    }
    match c.args.as_slice() {
        [a, b] => match (&a.expr, &b.expr) {
            (Expr::Literal(LiteralValue::Int(x)), Expr::Literal(LiteralValue::Int(y))) => {
                Some(format!("@it:{}:{}", x.inner(), y.inner()))
            }
            _ => None,
        },
        _ => None,
    }
}

impl Compiler<'_> {
    fn error(&mut self, id: u64, msg: impl Into<String>) -> Node {
        let (line, column) = self.position(id);
        self.issues.push(Issue {
            line,
            column,
            message: msg.into(),
        });
        Node::Error(Arc::from("compile error"))
    }

    fn position(&self, id: u64) -> (usize, usize) {
        position(self.source, self.info, id)
    }

    fn var_slot(&mut self, name: &str) -> usize {
        if let Some(i) = self.vars.iter().position(|v| v == name) {
            return i;
        }
        self.vars.push(name.to_string());
        self.vars.len() - 1
    }

    fn local(&self, name: &str) -> Option<usize> {
        self.scopes.iter().rposition(|s| s == name)
    }

    fn candidates(&self, name: &str) -> Vec<String> {
        self.env.candidates(name)
    }

    /// Resolves a qualified name `segs` (root first): a variable (possibly with trailing field
    /// selections) or a type name.
    fn resolve_name(&mut self, id: u64, segs: &[&str]) -> Option<Node> {
        for len in (1..=segs.len()).rev() {
            let prefix = segs.get(..len).unwrap_or(&[]).join(".");
            for cand in self.candidates(&prefix) {
                let found = self.env.vars.contains(&cand);
                let ty = TYPE_NAMES
                    .iter()
                    .find(|(n, _)| *n == cand)
                    .map(|(_, t)| t.clone());
                let node = if found {
                    Some(Node::Var(self.var_slot(&cand)))
                } else if let Some(t) = ty {
                    Some(Node::Const(Value::Type(t)))
                } else if crate::ext::is_type_name(self.env, &cand) {
                    Some(Node::Const(Value::Type(Type::Named(Arc::from(
                        cand.as_str(),
                    )))))
                } else {
                    None
                };
                if let Some(mut n) = node {
                    for f in segs.get(len..).unwrap_or(&[]) {
                        n = Node::Select(Box::new(n), Arc::from(*f));
                    }
                    return Some(n);
                }
            }
        }
        let _ = id;
        None
    }

    fn compile(&mut self, e: &IdedExpr) -> Node {
        self.depth += 1;
        let n = if self.depth > 250 {
            self.error(e.id, "expression nested too deeply")
        } else {
            self.compile_inner(e)
        };
        self.depth -= 1;
        n
    }

    fn compile_inner(&mut self, e: &IdedExpr) -> Node {
        match &e.expr {
            Expr::Literal(l) => Node::Const(literal(l)),
            Expr::Ident(name) => {
                if let Some(slot) = self.local(name) {
                    return Node::Local(slot);
                }
                match self.resolve_name(e.id, &[name.as_str()]) {
                    Some(n) => n,
                    None => self.undeclared(e.id, name),
                }
            }
            Expr::Select(sel) => {
                if !sel.test {
                    // A qualified name `a.b.c` whose root is not a local.
                    if let Some(segs) = qualified(e)
                        && segs.first().is_some_and(|r| self.local(r).is_none())
                    {
                        if let Some(n) = self.resolve_name(e.id, &segs) {
                            return n;
                        }
                        return self.undeclared(e.id, &segs.join("."));
                    }
                }
                let op = Box::new(self.compile(&sel.operand));
                let field: Arc<str> = Arc::from(sel.field.as_str());
                if sel.test {
                    Node::Has(op, field)
                } else {
                    Node::Select(op, field)
                }
            }
            Expr::Call(call) => self.call(e, call),
            Expr::List(list) => {
                let elems: Vec<Node> = list.elements.iter().map(|x| self.compile(x)).collect();
                let opt: Vec<bool> = (0..elems.len())
                    .map(|i| list.optional_indices.contains(&i))
                    .collect();
                if !opt.iter().any(|b| *b)
                    && elems.iter().all(|n| matches!(n, Node::Const(_)))
                    && !elems.is_empty()
                {
                    let vals: Vec<Value<'static>> = elems
                        .into_iter()
                        .filter_map(|n| {
                            if let Node::Const(v) = n {
                                Some(v)
                            } else {
                                None
                            }
                        })
                        .collect();
                    return Node::Const(Value::list(vals));
                }
                Node::List(elems, opt)
            }
            Expr::Map(map) => {
                let mut entries = Vec::new();
                for ent in &map.entries {
                    match &ent.expr {
                        EntryExpr::MapEntry(me) => {
                            let k = self.compile(&me.key);
                            let v = self.compile(&me.value);
                            entries.push((k, v, me.optional));
                        }
                        EntryExpr::StructField(_) => {
                            entries.push((
                                self.error(ent.id, "unexpected struct field"),
                                Node::Const(Value::Null),
                                false,
                            ));
                        }
                    }
                }
                if entries.iter().all(|(k, v, o)| {
                    !o && matches!(k, Node::Const(_)) && matches!(v, Node::Const(_))
                }) {
                    let mut m = OwnedMap::default();
                    let mut ok = true;
                    for (k, v, _) in &entries {
                        if let (Node::Const(k), Node::Const(v)) = (k, v) {
                            match Key::from_value(k) {
                                Some(key) if m.get(k).is_none() => m.entries.push((key, v.clone())),
                                _ => ok = false,
                            }
                        }
                    }
                    if ok {
                        return Node::Const(Value::Map(Map::Owned(Arc::new(m))));
                    }
                }
                Node::Map(entries)
            }
            Expr::Struct(s) => {
                if self.env.strict {
                    self.error(
                        e.id,
                        format!(
                            "undeclared reference to '{}' (in container '{}')",
                            s.type_name, self.env.container
                        ),
                    )
                } else {
                    Node::Error(Arc::from(
                        format!("unknown type '{}'", s.type_name).as_str(),
                    ))
                }
            }
            Expr::Comprehension(_) => self.error(e.id, "unsupported comprehension"),
            Expr::Unspecified => self.error(e.id, "unsupported expression"),
        }
    }

    fn undeclared(&mut self, id: u64, name: &str) -> Node {
        if self.env.strict {
            self.error(
                id,
                format!(
                    "undeclared reference to '{name}' (in container '{}')",
                    self.env.container
                ),
            )
        } else {
            Node::Error(Arc::from(format!("no such attribute(s): {name}").as_str()))
        }
    }

    fn call(&mut self, e: &IdedExpr, call: &cel::common::ast::CallExpr) -> Node {
        let name = call.func_name.as_str();
        if let Some(n) = self.macro_call(e, call) {
            return n;
        }
        match (name, call.target.as_ref(), call.args.as_slice()) {
            ("_&&_", None, [a, b]) => {
                return Node::And(Box::new(self.compile(a)), Box::new(self.compile(b)));
            }
            ("_||_", None, [a, b]) => {
                return Node::Or(Box::new(self.compile(a)), Box::new(self.compile(b)));
            }
            ("_?_:_", None, [c, a, b]) => {
                return Node::Cond(
                    Box::new(self.compile(c)),
                    Box::new(self.compile(a)),
                    Box::new(self.compile(b)),
                );
            }
            ("_[_]", None, [a, b]) => {
                return Node::Index(Box::new(self.compile(a)), Box::new(self.compile(b)));
            }
            ("_[?_]", None, [a, b]) => {
                return Node::OptIndex(Box::new(self.compile(a)), Box::new(self.compile(b)));
            }
            ("_?._", None, [a, b]) => {
                let op = Box::new(self.compile(a));
                if let Expr::Literal(LiteralValue::String(s)) = &b.expr {
                    return Node::OptSelect(op, Arc::from(s.inner()));
                }
                return self.error(b.id, "unsupported optional field selection");
            }
            _ => {}
        }
        // A receiver call on a qualified name may be a namespaced global function (`math.greatest(..)`).
        if let Some(t) = call.target.as_deref()
            && let Some(segs) = qualified(t)
            && segs.first().is_some_and(|r| self.local(r).is_none())
        {
            let qname = format!("{}.{}", segs.join("."), name);
            let is_var = self
                .resolve_name(t.id, &segs)
                .is_some_and(|n| !matches!(n, Node::Const(_)));
            if !is_var
                && let Some((key, entry)) = self.env.funcs.get_key_value(qname.as_str())
                && !entry.global.is_empty()
            {
                let args: Vec<Node> = call.args.iter().map(|a| self.compile(a)).collect();
                let fs: Box<[Func]> = entry.global.clone().into();
                return self.finish_call(key, fs, entry.pure, args);
            }
        }
        let member = call.target.is_some();
        let found = self.env.funcs.get_key_value(name).and_then(|(k, en)| {
            let f = if member { &en.member } else { &en.global };
            (!f.is_empty()).then(|| (*k, Box::<[Func]>::from(f.clone()), en.pure))
        });
        let mut args = Vec::with_capacity(call.args.len() + 1);
        if let Some(t) = &call.target {
            args.push(self.compile(t));
        }
        for a in &call.args {
            args.push(self.compile(a));
        }
        match found {
            Some((key, f, pure)) => self.finish_call(key, f, pure, args),
            None => {
                if self.env.strict {
                    self.error(
                        e.id,
                        format!(
                            "undeclared reference to '{name}' (in container '{}')",
                            self.env.container
                        ),
                    )
                } else {
                    Node::Call {
                        name: "unknown",
                        f: Box::new([no_such_function as Func]),
                        args,
                    }
                }
            }
        }
    }

    fn finish_call(
        &mut self,
        name: &'static str,
        f: Box<[Func]>,
        pure: bool,
        args: Vec<Node>,
    ) -> Node {
        if pure && args.iter().all(|a| matches!(a, Node::Const(_))) {
            let vals: Vec<Value<'static>> = args
                .iter()
                .filter_map(|a| {
                    if let Node::Const(v) = a {
                        Some(v.clone())
                    } else {
                        None
                    }
                })
                .collect();
            let mut rt = Rt {
                authorizer: &crate::authz::NoOpinion,
                extra_cost: 0,
            };
            match call_overloads(&f, &mut rt, &vals) {
                Ok(v) => return Node::Const(v),
                Err(err) => {
                    if self.env.fold_errors {
                        if self.fold_error.is_none() {
                            self.fold_error = Some(err.message);
                        }
                    } else {
                        return Node::Error(Arc::from(err.message.as_str()));
                    }
                }
            }
        }
        Node::Call { name, f, args }
    }

    fn iter_var(&mut self, e: &IdedExpr) -> Option<String> {
        if self.env.macros.block
            && let Some(n) = iter_var_call(e)
        {
            return Some(n);
        }
        match simple_name(e) {
            Some(n) => Some(n.to_string()),
            None => {
                let _ = self.error(e.id, "argument must be a simple name");
                None
            }
        }
    }

    fn macro_call(&mut self, e: &IdedExpr, call: &cel::common::ast::CallExpr) -> Option<Node> {
        let m = self.env.macros;
        let name = call.func_name.as_str();
        let args = call.args.as_slice();
        let Some(target) = call.target.as_deref() else {
            if m.standard && name == "has" && args.len() == 1 {
                let arg = args.first()?;
                return Some(match &arg.expr {
                    Expr::Select(sel) if !sel.test => {
                        let op = Box::new(self.compile(&sel.operand));
                        Node::Has(op, Arc::from(sel.field.as_str()))
                    }
                    _ => self.error(arg.id, "invalid argument to has() macro"),
                });
            }
            return None;
        };
        if m.bind
            && name == "bind"
            && args.len() == 3
            && simple_name(target) == Some("cel")
            && self.local("cel").is_none()
        {
            let var = self.iter_var(args.first()?)?;
            let init = self.compile(args.get(1)?);
            let slot = self.scopes.len();
            self.scopes.push(var);
            let body = self.compile(args.get(2)?);
            self.scopes.pop();
            return Some(Node::Bind(slot, Box::new(init), Box::new(body)));
        }
        if m.optionals && (name == "or" || name == "orValue") && args.len() == 1 {
            let t = self.compile(target);
            let alt = self.compile(args.first()?);
            return Some(Node::OptOr {
                value: name == "orValue",
                target: Box::new(t),
                alt: Box::new(alt),
            });
        }
        if m.block && simple_name(target) == Some("cel") && self.local("cel").is_none() {
            if name == "block" && args.len() == 2 {
                let Expr::List(list) = &args.first()?.expr else {
                    return Some(self.error(e.id, "cel.block requires a list literal"));
                };
                let base = self.scopes.len();
                let mut elems = Vec::new();
                for (i, el) in list.elements.iter().enumerate() {
                    elems.push(self.compile(el));
                    self.scopes.push(format!("@index{i}"));
                }
                let body = self.compile(args.get(1)?);
                self.scopes.truncate(base);
                return Some(Node::Block(base, elems, Box::new(body)));
            }
            if name == "iterVar"
                && let Some(n) = iter_var_call(e)
            {
                return Some(match self.local(&n) {
                    Some(slot) => Node::Local(slot),
                    None => self.error(e.id, "undeclared iteration variable"),
                });
            }
            if name == "index" && args.len() == 1 {
                if let Expr::Literal(LiteralValue::Int(i)) = &args.first()?.expr
                    && let Some(slot) = self.local(&format!("@index{}", i.inner()))
                {
                    return Some(Node::Local(slot));
                }
                return Some(self.error(e.id, "cel.index requires a valid index"));
            }
        }
        if m.optionals && (name == "optMap" || name == "optFlatMap") && args.len() == 2 {
            let var = self.iter_var(args.first()?)?;
            let t = self.compile(target);
            let slot = self.scopes.len();
            self.scopes.push(var);
            let body = self.compile(args.get(1)?);
            self.scopes.pop();
            return Some(Node::OptMap {
                flat: name == "optFlatMap",
                slot,
                target: Box::new(t),
                body: Box::new(body),
            });
        }
        if m.sort_by && name == "sortBy" && args.len() == 2 {
            let var = self.iter_var(args.first()?)?;
            let list = self.compile(target);
            let range = self.compile(target);
            let slot = self.scopes.len();
            self.scopes.push(var);
            let body = self.compile(args.get(1)?);
            self.scopes.truncate(slot);
            let keys = Node::Fold(Box::new(Fold {
                kind: FoldKind::Map,
                range,
                two_var: false,
                slot,
                filter: None,
                body,
            }));
            let entry = self.env.funcs.get("@sortByAssociatedKeys")?;
            let fs: Box<[Func]> = entry.global.clone().into();
            return Some(Node::Call {
                name: "@sortByAssociatedKeys",
                f: fs,
                args: vec![list, keys],
            });
        }
        let (kind, two, filter) = match (name, args.len()) {
            ("all", 2) if m.standard => (FoldKind::All, false, false),
            ("exists", 2) if m.standard => (FoldKind::Exists, false, false),
            ("exists_one" | "existsOne", 2) if m.standard => (FoldKind::ExistsOne, false, false),
            ("map", 2) if m.standard => (FoldKind::Map, false, false),
            ("map", 3) if m.standard => (FoldKind::Map, false, true),
            ("filter", 2) if m.standard => (FoldKind::Filter, false, false),
            ("all", 3) if m.two_var => (FoldKind::All, true, false),
            ("exists", 3) if m.two_var => (FoldKind::Exists, true, false),
            ("existsOne" | "exists_one", 3) if m.two_var => (FoldKind::ExistsOne, true, false),
            ("transformList", 3) if m.two_var => (FoldKind::TransformList, true, false),
            ("transformList", 4) if m.two_var => (FoldKind::TransformList, true, true),
            ("transformMap", 3) if m.two_var => (FoldKind::TransformMap, true, false),
            ("transformMap", 4) if m.two_var => (FoldKind::TransformMap, true, true),
            ("transformMapEntry", 3) if m.two_var => (FoldKind::TransformMapEntry, true, false),
            ("transformMapEntry", 4) if m.two_var => (FoldKind::TransformMapEntry, true, true),
            _ => return None,
        };
        let v1 = self.iter_var(args.first()?)?;
        let mut rest = args.get(1..)?;
        let v2 = if two {
            let v = self.iter_var(rest.first()?)?;
            rest = rest.get(1..)?;
            if v == v1 {
                return Some(self.error(e.id, format!("duplicate variable name: {v}")));
            }
            Some(v)
        } else {
            None
        };
        if v1 == "@result" || v1 == "__result__" {
            return Some(self.error(e.id, "iteration variable overwrites accumulator variable"));
        }
        let range = self.compile(target);
        let slot = self.scopes.len();
        self.scopes.push(v1);
        if let Some(v2) = v2 {
            self.scopes.push(v2);
        }
        let (filter, body) = if filter {
            (
                Some(self.compile(rest.first()?)),
                self.compile(rest.get(1)?),
            )
        } else {
            (None, self.compile(rest.first()?))
        };
        self.scopes.truncate(slot);
        Some(Node::Fold(Box::new(Fold {
            kind,
            range,
            two_var: two,
            slot,
            filter,
            body,
        })))
    }
}

/// Calls the first overload that accepts the arguments.
fn call_overloads<'a>(
    fs: &[Func],
    rt: &mut Rt<'_>,
    args: &[Value<'a>],
) -> Result<Value<'a>, EvalError> {
    if let [f] = fs {
        return f(rt, args);
    }
    for f in fs {
        match f(rt, args) {
            Err(e) if e.message == "no such overload" => continue,
            r => return r,
        }
    }
    Err(EvalError::no_such_overload())
}

fn no_such_function<'a>(_: &mut Rt<'_>, _: &[Value<'a>]) -> Result<Value<'a>, EvalError> {
    Err(EvalError::new("no matching overload"))
}

/// The segments of a qualified name `a.b.c` (root first), if `e` is one.
pub(crate) fn qualified(e: &IdedExpr) -> Option<Vec<&str>> {
    let mut segs = Vec::new();
    let mut cur = e;
    loop {
        match &cur.expr {
            Expr::Ident(n) => {
                segs.push(n.as_str());
                segs.reverse();
                return Some(segs);
            }
            Expr::Select(s) if !s.test => {
                segs.push(s.field.as_str());
                cur = &s.operand;
            }
            _ => return None,
        }
    }
}

/// The value of a literal.
pub(crate) fn literal(l: &LiteralValue) -> Value<'static> {
    match l {
        LiteralValue::Boolean(b) => Value::Bool(*b.inner()),
        LiteralValue::Bytes(b) => Value::Bytes(Arc::from(b.inner())),
        LiteralValue::Double(d) => Value::Double(*d.inner()),
        LiteralValue::Int(i) => Value::Int(*i.inner()),
        LiteralValue::Null => Value::Null,
        LiteralValue::String(s) => Value::string(s.inner()),
        LiteralValue::UInt(u) => Value::Uint(*u.inner()),
    }
}

struct Machine<'g, 'a, 'r> {
    resolve: &'g dyn Fn(&str) -> Option<Result<Value<'a>, EvalError>>,
    vars: &'g [String],
    locals: Vec<Value<'a>>,
    /// Argument values of the calls being evaluated (a stack, reused by every call).
    args: Vec<Value<'a>>,
    cost: u64,
    limit: Option<u64>,
    rt: Rt<'r>,
    steps: u64,
    presence_cost: bool,
}

fn to_index(v: &Value<'_>) -> Result<i64, EvalError> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Uint(u) => i64::try_from(*u)
            .map_err(|_| EvalError::new(format!("unsupported index value {u} in list"))),
        Value::Double(d) => {
            if d.fract() == 0.0 && d.is_finite() && d.abs() < 9.2e18 {
                Ok(*d as i64)
            } else {
                Err(EvalError::new(format!(
                    "unsupported index value {} in list",
                    crate::stdlib::format_double(*d)
                )))
            }
        }
        other => Err(EvalError::new(format!(
            "unsupported index type '{}' in list",
            other.type_name()
        ))),
    }
}

pub(crate) fn key_text(v: &Value<'_>) -> String {
    match v {
        Value::String(s) => s.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Uint(u) => u.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Double(d) => crate::stdlib::format_double(*d),
        other => other.type_name().to_string(),
    }
}

/// `container[key]` with cel-go's errors.
pub(crate) fn index<'a>(container: &Value<'a>, key: &Value<'a>) -> Result<Value<'a>, EvalError> {
    match container {
        Value::List(l) => {
            let i = to_index(key)?;
            usize::try_from(i)
                .ok()
                .and_then(|u| l.get(u))
                .ok_or_else(|| {
                    EvalError::new(format!(
                        "index '{i}' out of range in list size '{}'",
                        l.len()
                    ))
                })
        }
        Value::Map(m) => {
            if !matches!(
                key,
                Value::String(_)
                    | Value::Int(_)
                    | Value::Uint(_)
                    | Value::Bool(_)
                    | Value::Double(_)
            ) {
                return Err(EvalError::new(format!(
                    "unsupported key type: {}",
                    key.type_name()
                )));
            }
            m.get(key)
                .ok_or_else(|| EvalError::no_such_key(key_text(key)))
        }
        Value::Optional(o) => match o {
            None => Ok(Value::Optional(None)),
            Some(inner) => match &**inner {
                Value::Map(m) => Ok(Value::Optional(m.get(key).map(Arc::new))),
                other => Ok(match index(other, key) {
                    Ok(v) => Value::Optional(Some(Arc::new(v))),
                    Err(_) => Value::Optional(None),
                }),
            },
        },
        _ => Err(EvalError::no_such_overload()),
    }
}

/// `container.field` with cel-go's errors.
pub(crate) fn select<'a>(v: &Value<'a>, field: &str) -> Result<Value<'a>, EvalError> {
    match v {
        Value::Map(m) => m
            .get_str(field)
            .ok_or_else(|| EvalError::no_such_key(field)),
        Value::Optional(o) => Ok(match o {
            None => Value::Optional(None),
            Some(inner) => match &**inner {
                Value::Map(m) => Value::Optional(m.get_str(field).map(Arc::new)),
                other => Value::Optional(Some(Arc::new(select(other, field)?))),
            },
        }),
        Value::Opaque(o) => crate::ext::select_opaque(&**o, field),
        _ => Err(EvalError::new(format!("no such key: {field}"))),
    }
}

fn has<'a>(v: &Value<'a>, field: &str) -> Result<bool, EvalError> {
    match v {
        Value::Map(m) => Ok(m.get_str(field).is_some()),
        Value::Opaque(o) => crate::ext::select_opaque(&**o, field).map(|_| true),
        Value::Optional(None) => Ok(false),
        // cel-go qualifies a null value with nothing present: `has(params.x)` with no params
        // is false, as the API server evaluates it.
        Value::Null => Ok(false),
        Value::Optional(Some(inner)) => has(inner, field),
        _ => Err(EvalError::no_such_overload()),
    }
}

fn truth(v: Result<Value<'_>, EvalError>) -> Result<bool, EvalError> {
    match v? {
        Value::Bool(b) => Ok(b),
        _ => Err(EvalError::no_such_overload()),
    }
}

const LIMIT_EXCEEDED: &str = "operation cancelled: actual cost limit exceeded";

impl<'a> Machine<'_, 'a, '_> {
    fn check_limit(&self) -> Result<(), EvalError> {
        if let Some(l) = self.limit
            && self.cost + self.rt.extra_cost > l
        {
            return Err(EvalError::new(LIMIT_EXCEEDED));
        }
        Ok(())
    }

    fn eval(&mut self, n: &Node) -> Result<Value<'a>, EvalError> {
        match n {
            Node::Const(v) => Ok(v.clone()),
            Node::Var(i) => {
                self.cost += 1;
                match self.vars.get(*i).and_then(|name| (self.resolve)(name)) {
                    Some(v) => v,
                    None => Err(EvalError::new(format!(
                        "no such attribute(s): {}",
                        self.vars.get(*i).map_or("", String::as_str)
                    ))),
                }
            }
            Node::Local(i) => {
                self.cost += 1;
                self.locals
                    .get(*i)
                    .cloned()
                    .ok_or_else(|| EvalError::new("no such attribute"))
            }
            Node::Select(op, f) => {
                let v = self.eval(op)?;
                self.cost += 1;
                select(&v, f)
            }
            Node::Has(op, f) => {
                let v = self.eval(op)?;
                self.cost += u64::from(self.presence_cost);
                has(&v, f).map(Value::Bool)
            }
            Node::OptSelect(op, f) => {
                let v = self.eval(op)?;
                self.cost += 1;
                Ok(match v {
                    Value::Optional(None) => Value::Optional(None),
                    Value::Optional(Some(inner)) => opt_select(&inner, f)?,
                    other => opt_select(&other, f)?,
                })
            }
            Node::Index(a, b) => {
                let c = self.eval(a)?;
                let k = self.eval(b)?;
                self.cost += 1;
                index(&c, &k)
            }
            Node::OptIndex(a, b) => {
                let c = self.eval(a)?;
                let k = self.eval(b)?;
                self.cost += 1;
                let inner = match c {
                    Value::Optional(None) => return Ok(Value::Optional(None)),
                    Value::Optional(Some(inner)) => (*inner).clone(),
                    other => other,
                };
                match &inner {
                    Value::List(_) | Value::Map(_) => {}
                    _ => return Err(EvalError::no_such_overload()),
                }
                Ok(match index(&inner, &k) {
                    Ok(v) => Value::Optional(Some(Arc::new(v))),
                    Err(_) => Value::Optional(None),
                })
            }
            Node::Call { name, f, args } => {
                let base = self.args.len();
                for a in args {
                    match self.eval(a) {
                        Ok(v) => self.args.push(v),
                        Err(e) => {
                            self.args.truncate(base);
                            return Err(e);
                        }
                    }
                }
                let vals = self.args.get(base..).unwrap_or(&[]);
                self.cost += crate::cost::call_cost(name, vals);
                let r = match self.check_limit() {
                    Ok(()) => call_overloads(f, &mut self.rt, vals),
                    Err(e) => Err(e),
                };
                self.args.truncate(base);
                r
            }
            Node::And(a, b) => {
                let l = truth(self.eval(a));
                if l == Ok(false) {
                    return Ok(Value::Bool(false));
                }
                let r = truth(self.eval(b));
                match (l, r) {
                    (_, Ok(false)) => Ok(Value::Bool(false)),
                    (Ok(true), Ok(true)) => Ok(Value::Bool(true)),
                    (Err(e), _) | (_, Err(e)) => Err(e),
                    _ => Ok(Value::Bool(false)),
                }
            }
            Node::Or(a, b) => {
                let l = truth(self.eval(a));
                if l == Ok(true) {
                    return Ok(Value::Bool(true));
                }
                let r = truth(self.eval(b));
                match (l, r) {
                    (_, Ok(true)) => Ok(Value::Bool(true)),
                    (Ok(false), Ok(false)) => Ok(Value::Bool(false)),
                    (Err(e), _) | (_, Err(e)) => Err(e),
                    _ => Ok(Value::Bool(true)),
                }
            }
            Node::Cond(c, a, b) => {
                if truth(self.eval(c))? {
                    self.eval(a)
                } else {
                    self.eval(b)
                }
            }
            Node::List(elems, opt) => {
                let mut out = Vec::with_capacity(elems.len());
                for (i, e) in elems.iter().enumerate() {
                    let v = self.eval(e)?;
                    if opt.get(i).copied().unwrap_or(false) {
                        match v {
                            Value::Optional(Some(x)) => out.push((*x).clone()),
                            Value::Optional(None) => {}
                            other => {
                                return Err(EvalError::new(format!(
                                    "cannot initialize optional list element from non-optional value {}",
                                    crate::stdlib::debug_string(&other)
                                )));
                            }
                        }
                    } else {
                        out.push(v);
                    }
                }
                self.cost += 10;
                Ok(Value::list(out))
            }
            Node::Map(entries) => {
                let mut m = OwnedMap::default();
                for (kn, vn, optional) in entries {
                    let k = self.eval(kn)?;
                    let v = self.eval(vn)?;
                    let key = match &k {
                        Value::Double(_)
                        | Value::Null
                        | Value::Bytes(_)
                        | Value::List(_)
                        | Value::Map(_) => {
                            return Err(EvalError::new(format!(
                                "unsupported key type: {}",
                                k.type_name()
                            )));
                        }
                        other => Key::from_value(other).ok_or_else(|| {
                            EvalError::new(format!("unsupported key type: {}", other.type_name()))
                        })?,
                    };
                    let v = if *optional {
                        match v {
                            Value::Optional(Some(x)) => (*x).clone(),
                            Value::Optional(None) => continue,
                            other => {
                                return Err(EvalError::new(format!(
                                    "cannot initialize optional entry '{}' from non-optional value {}",
                                    key_text(&k),
                                    crate::stdlib::debug_string(&other)
                                )));
                            }
                        }
                    } else {
                        v
                    };
                    if m.get(&k).is_some() {
                        return Err(EvalError::new(format!(
                            "Failed with repeated key: {}",
                            key_text(&k)
                        )));
                    }
                    m.entries.push((key, v));
                }
                self.cost += 30;
                Ok(Value::Map(Map::Owned(Arc::new(m))))
            }
            Node::Bind(slot, init, body) => {
                let v = self.eval(init)?;
                self.locals.truncate(*slot);
                self.locals.push(v);
                let r = self.eval(body);
                self.locals.truncate(*slot);
                r
            }
            Node::OptMap {
                flat,
                slot,
                target,
                body,
            } => {
                let t = self.eval(target)?;
                match t {
                    Value::Optional(None) => Ok(Value::Optional(None)),
                    Value::Optional(Some(v)) => {
                        self.locals.truncate(*slot);
                        self.locals.push((*v).clone());
                        let r = self.eval(body);
                        self.locals.truncate(*slot);
                        let r = r?;
                        if *flat {
                            match r {
                                Value::Optional(_) => Ok(r),
                                _ => Err(EvalError::no_such_overload()),
                            }
                        } else {
                            Ok(Value::Optional(Some(Arc::new(r))))
                        }
                    }
                    _ => Err(EvalError::no_such_overload()),
                }
            }
            Node::Fold(f) => self.fold(f),
            Node::OptOr { value, target, alt } => match self.eval(target)? {
                Value::Optional(Some(v)) => Ok(if *value {
                    (*v).clone()
                } else {
                    Value::Optional(Some(v))
                }),
                Value::Optional(None) => {
                    let a = self.eval(alt)?;
                    if !*value && !matches!(a, Value::Optional(_)) {
                        return Err(EvalError::no_such_overload());
                    }
                    Ok(a)
                }
                _ => Err(EvalError::no_such_overload()),
            },
            Node::Block(base, elems, body) => {
                self.locals.truncate(*base);
                for el in elems {
                    let v = self.eval(el);
                    match v {
                        Ok(v) => self.locals.push(v),
                        Err(e) => {
                            self.locals.truncate(*base);
                            return Err(e);
                        }
                    }
                }
                let r = self.eval(body);
                self.locals.truncate(*base);
                r
            }
            Node::Error(msg) => Err(EvalError::new(&**msg)),
        }
    }

    fn fold(&mut self, f: &Fold) -> Result<Value<'a>, EvalError> {
        let range = self.eval(&f.range)?;
        let map_items: Option<Vec<(Value<'a>, Value<'a>)>> = match &range {
            Value::List(_) => {
                if f.kind == FoldKind::TransformMapEntry && !f.two_var {
                    return Err(EvalError::no_such_overload());
                }
                None
            }
            Value::Map(m) => Some(if f.two_var {
                m.entries()
            } else {
                m.keys().into_iter().map(|k| (k, Value::Null)).collect()
            }),
            _ => return Err(EvalError::new("cannot iterate over non-list/non-map value")),
        };
        let len = match (&map_items, &range) {
            (Some(items), _) => items.len(),
            (None, Value::List(l)) => l.len(),
            _ => 0,
        };
        let is_list = matches!(range, Value::List(_));
        let mut first_err: Option<EvalError> = None;
        let mut count: i64 = 0;
        let mut out_list: Vec<Value<'a>> = Vec::new();
        let mut out_map = OwnedMap::default();
        match f.kind {
            FoldKind::Map | FoldKind::Filter | FoldKind::TransformList => self.cost += 10,
            FoldKind::TransformMap | FoldKind::TransformMapEntry => self.cost += 30,
            _ => {}
        }
        for idx in 0..len {
            let (a, b) = match (&map_items, &range) {
                (Some(items), _) => items
                    .get(idx)
                    .cloned()
                    .unwrap_or((Value::Null, Value::Null)),
                (None, Value::List(l)) => {
                    (Value::Int(idx as i64), l.get(idx).unwrap_or(Value::Null))
                }
                _ => (Value::Null, Value::Null),
            };
            self.steps += 1;
            self.locals.truncate(f.slot);
            if f.two_var {
                self.locals.push(a);
                self.locals.push(b);
            } else if is_list {
                self.locals.push(b);
            } else {
                self.locals.push(a);
            }
            self.check_limit()?;
            match f.kind {
                FoldKind::All | FoldKind::Exists => {
                    let want = f.kind == FoldKind::Exists;
                    // loop condition and step of cel-go's expansion
                    self.cost += if want { 3 } else { 2 };
                    self.cost += 1;
                    match truth(self.eval(&f.body)) {
                        Ok(b) if b == want => {
                            self.cost += 1 + if want { 3 } else { 2 };
                            self.locals.truncate(f.slot);
                            return Ok(Value::Bool(want));
                        }
                        Ok(_) => {}
                        Err(e) => {
                            if first_err.is_none() {
                                first_err = Some(e);
                            }
                        }
                    }
                }
                FoldKind::ExistsOne => {
                    let r = truth(self.eval(&f.body));
                    self.cost += 1;
                    match r {
                        Ok(true) => {
                            count += 1;
                            self.cost += 1;
                        }
                        Ok(false) => {}
                        Err(e) => {
                            self.locals.truncate(f.slot);
                            return Err(e);
                        }
                    }
                }
                FoldKind::Map | FoldKind::Filter | FoldKind::TransformList => {
                    let keep = match &f.filter {
                        Some(p) => {
                            truth(self.eval(p)).inspect_err(|_| self.locals.truncate(f.slot))?
                        }
                        None if f.kind == FoldKind::Filter => truth(self.eval(&f.body))
                            .inspect_err(|_| self.locals.truncate(f.slot))?,
                        None => true,
                    };
                    if keep {
                        let v = if f.kind == FoldKind::Filter {
                            self.cost += 1;
                            self.locals.get(f.slot).cloned().unwrap_or(Value::Null)
                        } else {
                            self.eval(&f.body)
                                .inspect_err(|_| self.locals.truncate(f.slot))?
                        };
                        self.cost += 12;
                        out_list.push(v);
                    } else {
                        self.cost += 1;
                    }
                }
                FoldKind::TransformMap | FoldKind::TransformMapEntry => {
                    let keep = match &f.filter {
                        Some(p) => {
                            truth(self.eval(p)).inspect_err(|_| self.locals.truncate(f.slot))?
                        }
                        None => true,
                    };
                    if keep {
                        let v = self
                            .eval(&f.body)
                            .inspect_err(|_| self.locals.truncate(f.slot))?;
                        self.cost += 2;
                        if f.kind == FoldKind::TransformMap {
                            let k = self.locals.get(f.slot).cloned().unwrap_or(Value::Null);
                            let key =
                                Key::from_value(&k).ok_or_else(EvalError::no_such_overload)?;
                            out_map.entries.push((key, v));
                        } else {
                            let Value::Map(m) = v else {
                                self.locals.truncate(f.slot);
                                return Err(EvalError::no_such_overload());
                            };
                            for (k, val) in m.entries() {
                                if out_map.get(&k).is_some() {
                                    self.locals.truncate(f.slot);
                                    return Err(EvalError::new(format!(
                                        "insert failed: key {} already exists",
                                        key_text(&k)
                                    )));
                                }
                                let key =
                                    Key::from_value(&k).ok_or_else(EvalError::no_such_overload)?;
                                out_map.entries.push((key, val));
                            }
                        }
                    } else {
                        self.cost += 1;
                    }
                }
            }
        }
        self.locals.truncate(f.slot);
        self.cost += 1;
        match f.kind {
            FoldKind::All | FoldKind::Exists => match first_err {
                Some(e) => Err(e),
                None => Ok(Value::Bool(f.kind == FoldKind::All)),
            },
            FoldKind::ExistsOne => {
                self.cost += 1;
                Ok(Value::Bool(count == 1))
            }
            FoldKind::Map | FoldKind::Filter | FoldKind::TransformList => Ok(Value::list(out_list)),
            FoldKind::TransformMap | FoldKind::TransformMapEntry => {
                Ok(Value::Map(Map::Owned(Arc::new(out_map))))
            }
        }
    }
}

fn opt_select<'a>(v: &Value<'a>, f: &str) -> Result<Value<'a>, EvalError> {
    match v {
        Value::Map(m) => Ok(Value::Optional(m.get_str(f).map(Arc::new))),
        Value::Opaque(o) => Ok(Value::Optional(
            crate::ext::select_opaque(&**o, f).ok().map(Arc::new),
        )),
        _ => Err(EvalError::no_such_overload()),
    }
}

/// Equality used by `in` and list functions.
pub(crate) fn contains<'a>(list: &List<'a>, v: &Value<'_>) -> bool {
    list.iter().any(|x| equals(&x, v))
}

#[allow(dead_code)]
pub(crate) fn str_value(s: &str) -> Value<'_> {
    Value::String(Str::Borrowed(s))
}
