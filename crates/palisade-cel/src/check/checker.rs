//! The walk over the parsed expression: names, selections, calls with overload resolution,
//! literals, and the macros (typed as cel-go types their expansions).

use std::collections::HashMap;
use std::sync::Arc;

use cel::common::ast::{CallExpr, EntryExpr, Expr, IdedExpr, LiteralValue, SourceInfo};

use super::types::{Overload, Type};
use super::unify::{Mapping, most_general};
use crate::env::Env;
use crate::error::Issue;
use crate::program::{position, qualified, simple_name};

/// Operators the compiler evaluates itself (no runtime function entry): always declared.
const BUILTINS: &[&str] = &[
    "_&&_",
    "_||_",
    "_?_:_",
    "_[_]",
    "_[?_]",
    "@not_strictly_false",
];

/// Deeper nesting than this checks as `dyn` (the parser rejects such input before).
const MAX_DEPTH: usize = 250;

pub(crate) struct Checker<'e> {
    env: &'e Env,
    source: &'e str,
    info: &'e SourceInfo,
    mapping: Mapping,
    fresh: usize,
    scopes: Vec<(String, Type)>,
    pub(crate) issues: Vec<Issue>,
    depth: usize,
    /// The type of every expression checked, by id (before final substitution).
    types: HashMap<u64, Type>,
}

/// The hidden name of `cel.iterVar(i, j)` and of `cel.index(i)` (cel-go's block form).
fn block_name(e: &IdedExpr) -> Option<String> {
    let Expr::Call(c) = &e.expr else { return None };
    if c.target.as_deref().and_then(simple_name) != Some("cel") {
        return None;
    }
    let int = |x: &IdedExpr| match &x.expr {
        Expr::Literal(LiteralValue::Int(i)) => Some(*i.inner()),
        _ => None,
    };
    match (c.func_name.as_str(), c.args.as_slice()) {
        ("iterVar", [a, b]) => Some(format!("@it:{}:{}", int(a)?, int(b)?)),
        ("index", [a]) => Some(format!("@index{}", int(a)?)),
        _ => None,
    }
}

fn format_args(args: &[Type], member: bool) -> String {
    let (target, rest) = match (member, args.split_first()) {
        (true, Some((t, rest))) => (Some(t), rest),
        _ => (None, args),
    };
    let list: Vec<String> = rest.iter().map(ToString::to_string).collect();
    match target {
        Some(t) => format!("{t}.({})", list.join(", ")),
        None => format!("({})", list.join(", ")),
    }
}

impl<'e> Checker<'e> {
    pub(crate) fn new(env: &'e Env, source: &'e str, info: &'e SourceInfo) -> Checker<'e> {
        Checker {
            env,
            source,
            info,
            mapping: Mapping::default(),
            fresh: 0,
            scopes: Vec::new(),
            issues: Vec::new(),
            depth: 0,
            types: HashMap::new(),
        }
    }

    /// The deduced type of `e`, with free type parameters as `dyn`.
    pub(crate) fn run(&mut self, e: &IdedExpr) -> Type {
        let t = self.check(e);
        self.mapping.substitute(&t, true)
    }

    fn error(&mut self, id: u64, message: String) {
        let (line, column) = position(self.source, self.info, id);
        self.issues.push(Issue {
            line,
            column,
            message,
        });
    }

    fn fresh_var(&mut self) -> Type {
        self.fresh += 1;
        Type::Param(Arc::from(format!("_var{}", self.fresh).as_str()))
    }

    fn check(&mut self, e: &IdedExpr) -> Type {
        self.depth += 1;
        let t = if self.depth > MAX_DEPTH {
            Type::Dyn
        } else {
            self.check_inner(e)
        };
        self.depth -= 1;
        self.types.insert(e.id, t.clone());
        t
    }

    /// cel-go's AST validators, run after a successful check: homogeneous aggregate literals
    /// (the elements of a list literal, and the keys and the values of a map literal, have one
    /// type; a literal that is an argument of `format`, or nested in such a literal, is
    /// exempt) and, where the environment enables them, the literal arguments of `duration`,
    /// `timestamp` and `matches` (`invalid duration argument`).
    pub(crate) fn validate(&mut self, e: &IdedExpr, exempt: bool, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let mut kids: Vec<(&IdedExpr, bool)> = Vec::new();
        match &e.expr {
            Expr::Call(call) => {
                let name = call.func_name.as_str();
                if self.env.literal_validators {
                    self.validate_literal(name, call);
                }
                let exempt = name == "format";
                kids.extend(call.target.as_deref().map(|t| (t, exempt)));
                kids.extend(call.args.iter().map(|a| (a, exempt)));
            }
            Expr::Select(sel) => kids.push((&sel.operand, false)),
            Expr::List(list) => {
                if self.env.homogeneous_literals && !exempt {
                    let elems: Vec<(u64, bool)> = list
                        .elements
                        .iter()
                        .enumerate()
                        .map(|(i, x)| (x.id, list.optional_indices.contains(&i)))
                        .collect();
                    self.same_types(&elems, true);
                }
                kids.extend(list.elements.iter().map(|x| (x, exempt)));
            }
            Expr::Map(map) => {
                let mut keys = Vec::new();
                let mut values = Vec::new();
                for ent in &map.entries {
                    match &ent.expr {
                        EntryExpr::MapEntry(me) => {
                            keys.push((me.key.id, false));
                            values.push((me.value.id, me.optional));
                            kids.push((&me.key, exempt));
                            kids.push((&me.value, exempt));
                        }
                        EntryExpr::StructField(f) => kids.push((&f.value, false)),
                    }
                }
                if self.env.homogeneous_literals && !exempt {
                    self.same_types(&keys, false);
                    self.same_types(&values, false);
                }
            }
            Expr::Struct(s) => {
                for ent in &s.entries {
                    if let EntryExpr::StructField(f) = &ent.expr {
                        kids.push((&f.value, false));
                    }
                }
            }
            _ => {}
        }
        for (k, exempt) in kids {
            self.validate(k, exempt, depth + 1);
        }
    }

    /// `duration('…')`, `timestamp('…')` and `….matches('…')` with a literal first argument
    /// that does not parse (cel-go reads the first argument after the receiver).
    fn validate_literal(&mut self, name: &str, call: &CallExpr) {
        if !matches!(name, "duration" | "timestamp" | "matches") {
            return;
        }
        let Some(arg) = call.args.first() else { return };
        let Expr::Literal(lit) = &arg.expr else {
            return;
        };
        let valid = match (name, lit) {
            ("matches", LiteralValue::String(p)) => crate::stdlib::regex(p.inner()).is_ok(),
            ("matches", _) => false,
            _ => {
                let value = crate::program::literal(lit);
                self.env.funcs.get(name).is_none_or(|f| {
                    let mut rt = crate::env::Rt {
                        authorizer: &crate::authz::NoOpinion,
                        extra_cost: 0,
                    };
                    f.global
                        .iter()
                        .any(|g| g(&mut rt, std::slice::from_ref(&value)).is_ok())
                })
            }
        };
        if !valid {
            self.error(arg.id, format!("invalid {name} argument"));
        }
    }

    /// Compares each type with the first; a list stops at its first mismatch, a map reports
    /// every one (as cel-go's validator does).
    fn same_types(&mut self, elems: &[(u64, bool)], stop: bool) {
        let mut first: Option<Type> = None;
        for (id, optional) in elems {
            let mut t = self
                .types
                .get(id)
                .map_or(Type::Dyn, |t| self.mapping.substitute(t, true));
            if *optional && let Some(inner) = t.optional_elem() {
                t = inner.clone();
            }
            match &first {
                None => first = Some(t),
                Some(f) if *f != t => {
                    let msg = format!("expected type '{f}' but found '{t}'");
                    self.error(*id, msg);
                    if stop {
                        return;
                    }
                }
                _ => {}
            }
        }
    }

    fn check_inner(&mut self, e: &IdedExpr) -> Type {
        match &e.expr {
            Expr::Literal(l) => match l {
                LiteralValue::Boolean(_) => Type::Bool,
                LiteralValue::Bytes(_) => Type::Bytes,
                LiteralValue::Double(_) => Type::Double,
                LiteralValue::Int(_) => Type::Int,
                LiteralValue::Null => Type::Null,
                LiteralValue::String(_) => Type::String,
                LiteralValue::UInt(_) => Type::Uint,
            },
            Expr::Ident(name) => {
                if let Some(t) = self.local(name) {
                    return t;
                }
                match self.lookup_ident(name) {
                    Some(t) => t,
                    None => {
                        self.undeclared(e.id, name);
                        Type::Error
                    }
                }
            }
            Expr::Select(sel) => {
                if !sel.test
                    && let Some(segs) = qualified(e)
                    && segs.first().is_some_and(|r| self.local(r).is_none())
                    && let Some(t) = self.lookup_ident(&segs.join("."))
                {
                    return t;
                }
                let operand = self.check(&sel.operand);
                let t = self.select_field(e.id, &operand, &sel.field, false);
                if sel.test {
                    Type::Bool
                } else {
                    self.mapping.substitute(&t, false)
                }
            }
            Expr::Call(call) => self.call(e, call),
            Expr::List(list) => {
                let mut elem: Option<Type> = None;
                for (i, x) in list.elements.iter().enumerate() {
                    let mut t = self.check(x);
                    if list.optional_indices.contains(&i) {
                        t = self.unwrap_optional(x.id, t);
                    }
                    elem = Some(self.join(x.id, elem, t));
                }
                let elem = match elem {
                    Some(t) => t,
                    None => self.fresh_var(),
                };
                Type::list(elem)
            }
            Expr::Map(map) => {
                let (mut key, mut value): (Option<Type>, Option<Type>) = (None, None);
                for ent in &map.entries {
                    if let EntryExpr::MapEntry(me) = &ent.expr {
                        let k = self.check(&me.key);
                        key = Some(self.join(me.key.id, key, k));
                        let mut v = self.check(&me.value);
                        if me.optional {
                            v = self.unwrap_optional(me.value.id, v);
                        }
                        value = Some(self.join(me.value.id, value, v));
                    }
                }
                match (key, value) {
                    (Some(k), Some(v)) => Type::map(k, v),
                    _ => {
                        let k = self.fresh_var();
                        Type::map(k, self.fresh_var())
                    }
                }
            }
            Expr::Struct(s) => {
                for ent in &s.entries {
                    if let EntryExpr::StructField(f) = &ent.expr {
                        self.check(&f.value);
                    }
                }
                self.undeclared(e.id, &s.type_name);
                Type::Error
            }
            Expr::Comprehension(_) | Expr::Unspecified => Type::Dyn,
        }
    }

    fn undeclared(&mut self, id: u64, name: &str) {
        let msg = format!(
            "undeclared reference to '{name}' (in container '{}')",
            self.env.container
        );
        self.error(id, msg);
    }

    fn local(&self, name: &str) -> Option<Type> {
        self.scopes
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.clone())
    }

    fn candidates(&self, name: &str) -> Vec<String> {
        self.env.candidates(name)
    }

    /// A variable or type name, resolved in the container.
    fn lookup_ident(&self, name: &str) -> Option<Type> {
        for cand in self.candidates(name) {
            if let Some(t) = self.env.var_types.get(&cand) {
                return Some(t.clone());
            }
            if self.env.vars.contains(&cand) {
                return Some(Type::Dyn);
            }
            if let Some(t) = Type::from_type_name(&cand) {
                return Some(Type::type_of(t));
            }
            if crate::ext::is_type_name(self.env, &cand) {
                return Some(Type::type_of(Type::opaque(&cand)));
            }
        }
        None
    }

    fn select_field(&mut self, id: u64, operand: &Type, field: &str, optional: bool) -> Type {
        let operand = self.mapping.substitute(operand, false);
        let (target, was_optional) = match operand.optional_elem() {
            Some(inner) => (inner.clone(), true),
            None => (operand.clone(), false),
        };
        let result = match &target {
            Type::Map(_, v) => (**v).clone(),
            Type::Object(o) => match o.fields.iter().find(|(n, _)| n == field) {
                Some((_, t)) => t.clone(),
                None => {
                    self.error(id, format!("undefined field '{field}'"));
                    Type::Error
                }
            },
            Type::Param(_) => {
                self.mapping.assignable(&Type::Dyn, &target);
                Type::Dyn
            }
            Type::Dyn | Type::Error => Type::Dyn,
            other => {
                let msg = format!("type '{other}' does not support field selection");
                self.error(id, msg);
                Type::Dyn
            }
        };
        if was_optional || optional {
            Type::optional(result)
        } else {
            result
        }
    }

    fn unwrap_optional(&mut self, id: u64, t: Type) -> Type {
        let t = self.mapping.substitute(&t, false);
        if let Some(inner) = t.optional_elem() {
            return inner.clone();
        }
        if !matches!(t, Type::Dyn | Type::Error) {
            let msg = format!(
                "expected type '{}' but found '{t}'",
                Type::optional(t.clone())
            );
            self.error(id, msg);
        }
        t
    }

    /// The element type of an aggregate literal after one more element.
    fn join(&mut self, id: u64, previous: Option<Type>, current: Type) -> Type {
        let Some(previous) = previous else {
            return current;
        };
        if self.mapping.assignable(&previous, &current) {
            return most_general(&previous, &current);
        }
        let _ = id;
        Type::Dyn
    }

    /// The overloads of `name` that apply in this environment; `None` when the function is
    /// unknown, `Some(empty)` when it is implemented but not described (it checks as `dyn`).
    fn overloads(&self, name: &str) -> Option<Vec<Overload>> {
        let extra = self.env.extra_decls.get(name);
        let builtin = BUILTINS.contains(&name)
            || (self.env.macros.optionals && matches!(name, "or" | "orValue"));
        let runtime = self.env.funcs.get(name);
        if extra.is_none() && runtime.is_none() && !builtin {
            return None;
        }
        let mut out: Vec<Overload> = extra.cloned().unwrap_or_default();
        if runtime.is_some() || builtin {
            let declared = super::decls::library_overloads(name);
            // Kubernetes before 1.28 leaves cel-go's cross-type numeric comparisons off.
            let same_type_only = self.env.k8s_minor.is_some_and(|v| v < 28)
                && matches!(name, "_<_" | "_<=_" | "_>_" | "_>=_");
            out.extend(
                declared
                    .iter()
                    .filter(|o| !same_type_only || o.params.first() == o.params.get(1))
                    .filter(|o| {
                        runtime.is_none_or(|entry| {
                            if o.member {
                                !entry.member.is_empty()
                            } else {
                                !entry.global.is_empty()
                            }
                        })
                    })
                    .cloned(),
            );
            if out.is_empty() {
                return Some(Vec::new());
            }
        }
        Some(out)
    }

    /// The function of a call, resolved in the container: its full name and overloads.
    fn lookup_function(&self, name: &str) -> Option<(String, Vec<Overload>)> {
        for cand in self.candidates(name) {
            if let Some(o) = self.overloads(&cand) {
                return Some((cand, o));
            }
        }
        None
    }

    /// Overload resolution: the result type, or an error (reported) when nothing matches.
    fn resolve(
        &mut self,
        id: u64,
        name: &str,
        overloads: &[Overload],
        args: &[Type],
        member: bool,
    ) -> Type {
        if overloads.is_empty() {
            return Type::Dyn;
        }
        let mut result: Option<Type> = None;
        for o in overloads.iter().filter(|o| o.member == member) {
            let params = self.instantiate(o);
            let (ret, params) = match params.split_last() {
                Some((r, p)) => (r.clone(), p.to_vec()),
                None => continue,
            };
            if self.mapping.assignable_list(args, &params) {
                let t = self.mapping.substitute(&ret, false);
                result = Some(match result {
                    None => t,
                    Some(prev) if prev == Type::Dyn || prev == t => prev,
                    Some(_) => Type::Dyn,
                });
            }
        }
        match result {
            Some(t) => t,
            None => {
                let shown: Vec<Type> = args
                    .iter()
                    .map(|a| self.mapping.substitute(a, true))
                    .collect();
                let msg = format!(
                    "found no matching overload for '{name}' applied to '{}'",
                    format_args(&shown, member)
                );
                self.error(id, msg);
                Type::Error
            }
        }
    }

    /// The overload's parameters then its result, with fresh type variables for its parameters.
    fn instantiate(&mut self, o: &Overload) -> Vec<Type> {
        let mut names: Vec<Arc<str>> = Vec::new();
        let mut all: Vec<Type> = o.params.clone();
        all.push(o.result.clone());
        for t in &all {
            collect_params(t, &mut names);
        }
        if names.is_empty() {
            return all;
        }
        let fresh: Vec<(Arc<str>, Type)> =
            names.into_iter().map(|n| (n, self.fresh_var())).collect();
        all.iter().map(|t| rename(t, &fresh)).collect()
    }

    /// Resolves an operator the macros expand to, e.g. `_&&_` for `all`.
    fn resolve_builtin(&mut self, id: u64, name: &str, args: &[Type]) -> Type {
        match self.overloads(name) {
            Some(o) => self.resolve(id, name, &o, args, false),
            None => Type::Dyn,
        }
    }

    fn call(&mut self, e: &IdedExpr, call: &CallExpr) -> Type {
        if let Some(t) = self.macro_call(e, call) {
            return t;
        }
        let name = call.func_name.as_str();
        if name == "_?._"
            && let [operand, field] = call.args.as_slice()
        {
            let t = self.check(operand);
            return match &field.expr {
                Expr::Literal(LiteralValue::String(s)) => {
                    self.select_field(e.id, &t, s.inner(), true)
                }
                _ => Type::Dyn,
            };
        }
        let mut arg_types: Vec<Type> = call.args.iter().map(|a| self.check(a)).collect();
        let Some(target) = call.target.as_deref() else {
            return match self.lookup_function(name) {
                Some((full, o)) => self.resolve(e.id, &full, &o, &arg_types, false),
                None => {
                    self.undeclared(e.id, name);
                    Type::Error
                }
            };
        };
        if let Some(segs) = qualified(target)
            && segs.first().is_some_and(|r| self.local(r).is_none())
            && let Some((full, o)) = self.lookup_function(&format!("{}.{name}", segs.join(".")))
            && self
                .env
                .funcs
                .get(full.as_str())
                .is_none_or(|f| !f.global.is_empty())
        {
            return self.resolve(e.id, &full, &o, &arg_types, false);
        }
        let t = self.check(target);
        match self.lookup_function(name) {
            Some((full, o)) => {
                arg_types.insert(0, t);
                self.resolve(e.id, &full, &o, &arg_types, true)
            }
            None => {
                self.undeclared(e.id, name);
                Type::Error
            }
        }
    }

    /// The iteration variables' types for a range of type `range`.
    fn range_vars(&mut self, id: u64, range: &Type, two: bool) -> (Type, Type) {
        match self.mapping.substitute(range, false) {
            Type::List(e) if two => (Type::Int, *e),
            Type::List(e) => (*e, Type::Dyn),
            Type::Map(k, v) => (*k, *v),
            Type::Dyn | Type::Error | Type::Param(_) => (Type::Dyn, Type::Dyn),
            other => {
                let msg = format!(
                    "expression of type '{other}' cannot be range of a comprehension (must be list, map, or dynamic)"
                );
                self.error(id, msg);
                (Type::Dyn, Type::Dyn)
            }
        }
    }

    /// The name a macro binds: a simple name, or `cel.iterVar(i, j)` in the block form.
    fn iter_name(&self, e: &IdedExpr) -> Option<String> {
        match simple_name(e) {
            Some(n) => Some(n.to_string()),
            None if self.env.macros.block => block_name(e),
            None => None,
        }
    }

    fn scoped(&mut self, vars: Vec<(String, Type)>, body: &IdedExpr) -> Type {
        let base = self.scopes.len();
        self.scopes.extend(vars);
        let t = self.check(body);
        self.scopes.truncate(base);
        t
    }

    fn macro_call(&mut self, e: &IdedExpr, call: &CallExpr) -> Option<Type> {
        let m = self.env.macros;
        let name = call.func_name.as_str();
        let args = call.args.as_slice();
        let Some(target) = call.target.as_deref() else {
            if m.standard && name == "has" && args.len() == 1 {
                if let Some(arg) = args.first()
                    && let Expr::Select(sel) = &arg.expr
                {
                    let op = self.check(&sel.operand);
                    self.select_field(arg.id, &op, &sel.field, false);
                }
                return Some(Type::Bool);
            }
            return None;
        };
        let is_cel = simple_name(target) == Some("cel") && self.local("cel").is_none();
        if m.bind && is_cel && name == "bind" && args.len() == 3 {
            let var = args.first().and_then(simple_name)?.to_string();
            let init = self.check(args.get(1)?);
            return Some(self.scoped(vec![(var, init)], args.get(2)?));
        }
        if m.block && is_cel && matches!(name, "index" | "iterVar") {
            return Some(
                block_name(e)
                    .and_then(|n| self.local(&n))
                    .unwrap_or(Type::Dyn),
            );
        }
        if m.block
            && is_cel
            && name == "block"
            && let [Expr::List(list), _] =
                args.iter().map(|a| &a.expr).collect::<Vec<_>>().as_slice()
        {
            let base = self.scopes.len();
            for (i, el) in list.elements.iter().enumerate() {
                let t = self.check(el);
                self.scopes.push((format!("@index{i}"), t));
            }
            let body = self.check(args.get(1)?);
            self.scopes.truncate(base);
            return Some(body);
        }
        if m.optionals && (name == "optMap" || name == "optFlatMap") && args.len() == 2 {
            let var = args.first().and_then(simple_name)?.to_string();
            let t = self.check(target);
            let t = self.mapping.substitute(&t, false);
            let inner = t.optional_elem().cloned().unwrap_or(Type::Dyn);
            let body = self.scoped(vec![(var, inner)], args.get(1)?);
            return Some(if name == "optMap" {
                Type::optional(body)
            } else {
                body
            });
        }
        if m.sort_by && name == "sortBy" && args.len() == 2 {
            let var = args.first().and_then(simple_name)?.to_string();
            let t = self.check(target);
            let (elem, _) = self.range_vars(target.id, &t, false);
            self.scoped(vec![(var, elem)], args.get(1)?);
            return Some(self.mapping.substitute(&t, false));
        }
        let (two, filter) = match (name, args.len()) {
            ("all" | "exists" | "exists_one" | "existsOne" | "filter", 2) if m.standard => {
                (false, false)
            }
            ("map", 2) if m.standard => (false, false),
            ("map", 3) if m.standard => (false, true),
            ("all" | "exists" | "existsOne" | "exists_one", 3) if m.two_var => (true, false),
            ("transformList" | "transformMap" | "transformMapEntry", 3) if m.two_var => {
                (true, false)
            }
            ("transformList" | "transformMap" | "transformMapEntry", 4) if m.two_var => {
                (true, true)
            }
            _ => return None,
        };
        let v1 = self.iter_name(args.first()?)?;
        let mut rest = args.get(1..)?;
        let v2 = if two {
            let v = self.iter_name(rest.first()?)?;
            rest = rest.get(1..)?;
            Some(v)
        } else {
            None
        };
        let range = self.check(target);
        let (t1, t2) = self.range_vars(target.id, &range, two);
        let mut vars = vec![(v1, t1.clone())];
        if let Some(v2) = v2 {
            vars.push((v2, t2.clone()));
        }
        let base = self.scopes.len();
        self.scopes.extend(vars);
        if filter {
            let f = self.check(rest.first()?);
            let acc = Type::list(Type::Dyn);
            self.resolve_builtin(e.id, "_?_:_", &[f, acc.clone(), acc]);
            rest = rest.get(1..)?;
        }
        let body = self.check(rest.first()?);
        self.scopes.truncate(base);
        Some(match name {
            "all" => {
                self.resolve_builtin(e.id, "_&&_", &[Type::Bool, body]);
                Type::Bool
            }
            "exists" => {
                self.resolve_builtin(e.id, "_||_", &[Type::Bool, body]);
                Type::Bool
            }
            "exists_one" | "existsOne" => {
                self.resolve_builtin(e.id, "_?_:_", &[body, Type::Int, Type::Int]);
                Type::Bool
            }
            "filter" => {
                let l = Type::list(t1);
                self.resolve_builtin(e.id, "_?_:_", &[body, l.clone(), l.clone()]);
                l
            }
            "map" | "transformList" => Type::list(body),
            "transformMap" => {
                let key = if matches!(self.mapping.substitute(&range, false), Type::List(_)) {
                    Type::Int
                } else {
                    t1
                };
                Type::map(key, body)
            }
            _ => match self.mapping.substitute(&body, false) {
                t @ Type::Map(..) => t,
                _ => Type::map(Type::Dyn, Type::Dyn),
            },
        })
    }
}

fn collect_params(t: &Type, out: &mut Vec<Arc<str>>) {
    match t {
        Type::Param(n) if !out.contains(n) => out.push(n.clone()),
        Type::List(e) => collect_params(e, out),
        Type::Map(k, v) => {
            collect_params(k, out);
            collect_params(v, out);
        }
        Type::Type(Some(e)) => collect_params(e, out),
        Type::Opaque(_, ps) => ps.iter().for_each(|p| collect_params(p, out)),
        _ => {}
    }
}

fn rename(t: &Type, fresh: &[(Arc<str>, Type)]) -> Type {
    match t {
        Type::Param(n) => fresh
            .iter()
            .find(|(k, _)| k == n)
            .map_or_else(|| t.clone(), |(_, v)| v.clone()),
        Type::List(e) => Type::list(rename(e, fresh)),
        Type::Map(k, v) => Type::map(rename(k, fresh), rename(v, fresh)),
        Type::Type(Some(e)) => Type::type_of(rename(e, fresh)),
        Type::Opaque(n, ps) => {
            Type::Opaque(n.clone(), ps.iter().map(|p| rename(p, fresh)).collect())
        }
        other => other.clone(),
    }
}
