//! Environments: which functions, macros, variables and syntax an expression may use.

use std::collections::HashMap;

use crate::error::EvalError;
use crate::value::Value;

/// Runtime state a function may read: the authorizer and the cost so far.
pub struct Rt<'r> {
    /// The authorizer behind `authorizer.*` functions.
    pub authorizer: &'r dyn crate::authz::Authorizer,
    /// Cost added by functions whose cost depends on their work (e.g. list functions).
    pub extra_cost: u64,
}

/// A function implementation: the target (for receiver calls) comes first in `args`.
pub type Func = for<'a> fn(&mut Rt<'_>, &[Value<'a>]) -> Result<Value<'a>, EvalError>;

/// The implementations of one function name: called globally and/or as a receiver method.
#[derive(Clone, Default)]
pub(crate) struct FnEntry {
    pub(crate) global: Vec<Func>,
    pub(crate) member: Vec<Func>,
    /// Whether calls can be folded when every argument is a constant.
    pub(crate) pure: bool,
}

/// Macros an environment expands.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Macros {
    pub(crate) standard: bool,
    pub(crate) bind: bool,
    pub(crate) two_var: bool,
    pub(crate) optionals: bool,
    pub(crate) block: bool,
    pub(crate) sort_by: bool,
}

/// A compilation environment.
#[derive(Clone)]
pub struct Env {
    pub(crate) funcs: HashMap<&'static str, FnEntry>,
    pub(crate) macros: Macros,
    pub(crate) optional_syntax: bool,
    pub(crate) vars: Vec<String>,
    pub(crate) container: String,
    /// Unknown functions and identifiers are compile errors (as with a type checker).
    pub(crate) strict: bool,
    /// Mixed-type list and map literals are compile errors (the checker's validator).
    pub(crate) homogeneous_literals: bool,
    /// Errors of constant folding are compile errors (`program instantiation failed`).
    pub(crate) fold_errors: bool,
    /// The runtime cost limit.
    pub(crate) cost_limit: Option<u64>,
    /// The Kubernetes minor version the environment emulates, if any.
    pub(crate) k8s_minor: Option<u32>,
    /// Whether `has()` adds to the cost (cel-go's default; Kubernetes turns it off).
    pub(crate) presence_test_cost: bool,
    /// Whether `net.IP` and `net.CIDR` name types (the network extension).
    pub(crate) network_types: bool,
    /// Whether the checker validates the literal arguments of `duration`, `timestamp` and
    /// `matches` (cel-go's literal validators; Kubernetes from 1.29).
    pub(crate) literal_validators: bool,
    /// Whether [`crate::Program::compile`] runs the type checker first.
    pub(crate) checked: bool,
    /// Declared types of variables; a variable not listed here is `dyn`.
    pub(crate) var_types: HashMap<String, crate::check::Type>,
    /// Function declarations added by the environment's user (on top of the libraries' own).
    pub(crate) extra_decls: HashMap<String, Vec<crate::check::Overload>>,
}

/// Extension libraries of the plain CEL environment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Extension {
    /// cel-go strings extension (latest version).
    Strings,
    /// Optional types: `optional.*`, `.?`, `[?]`, `optMap`.
    Optionals,
    /// cel-go math extension.
    Math,
    /// cel-go encoders (`base64.encode/decode`).
    Encoders,
    /// `cel.bind`.
    Bindings,
    /// cel-go sets extension.
    Sets,
    /// cel-go lists extension.
    Lists,
    /// Two-variable comprehensions.
    TwoVarComprehensions,
    /// `cel.block` / `cel.index` (cel-go's internal common-subexpression form).
    Block,
    /// cel-go's network extension (`ip`, `cidr`).
    Network,
}

impl Extension {
    /// The extension by its protocol name (`strings`, `optionals`, `math`, `encoders`, `bindings`,
    /// `sets`, `lists`, `twoVarComprehensions`).
    pub fn from_name(name: &str) -> Option<Extension> {
        Some(match name {
            "strings" => Extension::Strings,
            "optionals" => Extension::Optionals,
            "math" => Extension::Math,
            "encoders" => Extension::Encoders,
            "bindings" => Extension::Bindings,
            "sets" => Extension::Sets,
            "lists" => Extension::Lists,
            "twoVarComprehensions" => Extension::TwoVarComprehensions,
            "block" => Extension::Block,
            "network" => Extension::Network,
            _ => return None,
        })
    }
}

impl Env {
    /// Plain, spec-conformant CEL: the standard library and the given extensions, no Kubernetes
    /// options. Unknown identifiers and functions fail at evaluation, as without a type checker.
    pub fn spec(extensions: &[Extension]) -> Env {
        let mut env = Env {
            funcs: HashMap::new(),
            macros: Macros {
                standard: true,
                two_var: true,
                ..Macros::default()
            },
            optional_syntax: false,
            vars: Vec::new(),
            container: String::new(),
            strict: false,
            homogeneous_literals: false,
            fold_errors: false,
            cost_limit: None,
            k8s_minor: None,
            presence_test_cost: true,
            network_types: false,
            checked: false,
            literal_validators: false,
            var_types: HashMap::new(),
            extra_decls: HashMap::new(),
        };
        crate::stdlib::register(&mut env);
        crate::ext::comprehensions::register(&mut env);
        for ext in extensions {
            env.add_extension(*ext);
        }
        env
    }

    pub(crate) fn add_extension(&mut self, ext: Extension) {
        match ext {
            Extension::Strings => crate::ext::strings::register(self, u32::MAX),
            Extension::Optionals => {
                self.optional_syntax = true;
                self.macros.optionals = true;
                crate::ext::optionals::register(self);
            }
            Extension::Math => crate::ext::math::register(self),
            Extension::Encoders => crate::ext::encoders::register(self),
            Extension::Bindings => self.macros.bind = true,
            Extension::Sets => crate::ext::sets::register(self),
            Extension::Lists => crate::ext::lists::register(self, u32::MAX),
            Extension::TwoVarComprehensions => {
                self.macros.two_var = true;
                crate::ext::comprehensions::register(self);
            }
            Extension::Block => self.macros.block = true,
            Extension::Network => {
                self.network_types = true;
                crate::k8s::register_network(self);
            }
        }
    }

    /// Declares a variable (dynamic type).
    pub fn declare_var(&mut self, name: &str) {
        if !self.vars.iter().any(|v| v == name) {
            self.vars.push(name.to_string());
        }
    }

    /// Declares a variable with a type: the checker types expressions that read it.
    pub fn declare_typed_var(&mut self, name: &str, ty: crate::check::Type) {
        self.declare_var(name);
        self.var_types.insert(name.to_string(), ty);
    }

    /// Gives a name a type for the checker only, without a runtime variable: the type of
    /// `variables` in a policy whose runtime reads each `variables.<name>` as a variable of
    /// its own.
    pub fn declare_type_only(&mut self, name: &str, ty: crate::check::Type) {
        self.var_types.insert(name.to_string(), ty);
    }

    /// Declares a function overload for the checker only (e.g. a test's `typeEnv`); calls to a
    /// function that no library implements still fail at evaluation.
    pub fn declare_function(&mut self, name: &str, overload: crate::check::Overload) {
        self.extra_decls
            .entry(name.to_string())
            .or_default()
            .push(overload);
    }

    /// Turns the type checker on or off for [`crate::Program::compile`] (on in the Kubernetes
    /// environments, off in [`Env::spec`] unless turned on).
    pub fn set_checked(&mut self, checked: bool) {
        self.checked = checked;
    }

    /// Removes a declared variable: reading it becomes a compile error (`undeclared reference`),
    /// as for a VAP without `paramKind` (no `params`) or a messageExpression (no `authorizer`).
    pub fn undeclare_var(&mut self, name: &str) {
        self.vars.retain(|v| v != name);
        self.var_types.remove(name);
    }

    /// The names `name` may stand for in the container, most qualified first (`a.b.x`, `a.x`,
    /// `x` in container `a.b`); a leading dot names the root only.
    pub(crate) fn candidates(&self, name: &str) -> Vec<String> {
        if let Some(stripped) = name.strip_prefix('.') {
            return vec![stripped.to_string()];
        }
        let mut out = Vec::new();
        let mut c = self.container.as_str();
        while !c.is_empty() {
            out.push(format!("{c}.{name}"));
            c = c.rfind('.').map_or("", |i| c.get(..i).unwrap_or(""));
        }
        out.push(name.to_string());
        out
    }

    /// Sets the container that qualifies names.
    pub fn set_container(&mut self, container: &str) {
        self.container = container.to_string();
    }

    /// Sets macros off (the calls stay calls).
    pub fn disable_macros(&mut self) {
        self.macros = Macros::default();
    }

    /// Sets the runtime cost limit.
    pub fn set_cost_limit(&mut self, limit: Option<u64>) {
        self.cost_limit = limit;
    }

    pub(crate) fn add(&mut self, name: &'static str, global: Option<Func>, member: Option<Func>) {
        let e = self.funcs.entry(name).or_default();
        e.global.extend(global);
        e.member.extend(member);
        e.pure = true;
    }

    pub(crate) fn global(&mut self, name: &'static str, f: Func) {
        self.add(name, Some(f), None);
    }

    pub(crate) fn member(&mut self, name: &'static str, f: Func) {
        self.add(name, None, Some(f));
    }

    pub(crate) fn both(&mut self, name: &'static str, f: Func) {
        self.add(name, Some(f), Some(f));
    }

    pub(crate) fn impure(&mut self, name: &'static str) {
        if let Some(e) = self.funcs.get_mut(name) {
            e.pure = false;
        }
    }
}
