//! Structure-aware CEL fuzzing: well-typed expressions (ints, bools, strings, lists of ints,
//! with comprehensions, ternaries and variables) built by `arbitrary`, rendered to source,
//! compiled and evaluated in the plain CEL environment and in the Kubernetes one. Where both
//! palisade-cel and the independent `cel` crate evaluate an expression to an int, a bool or a
//! string, they must agree (a differential test: two engines, one specification). Nothing may
//! panic.

#![no_main]

use std::sync::Arc;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use palisade::cel::authz::NoOpinion;
use palisade::cel::k8s::activation::VapVars;
use palisade::cel::k8s::{EnvType, MAX_MINOR};
use palisade::cel::{Env, Program, Value};

const STRINGS: &[&str] = &["", "a", "abc", "ß", "日本", "a b", "\\u00e9", "x\\ty"];
/// Deeper subtrees are rendered as literals, so every input renders to a bounded expression.
const MAX_DEPTH: usize = 6;

#[derive(Debug, Arbitrary)]
enum IntE {
    Lit(i8),
    Var(bool),
    Add(Box<IntE>, Box<IntE>),
    Sub(Box<IntE>, Box<IntE>),
    Mul(Box<IntE>, Box<IntE>),
    Div(Box<IntE>, Box<IntE>),
    Mod(Box<IntE>, Box<IntE>),
    Neg(Box<IntE>),
    SizeS(Box<StrE>),
    SizeL(Box<ListE>),
    Cond(Box<BoolE>, Box<IntE>, Box<IntE>),
    Index(Box<ListE>, Box<IntE>),
}

#[derive(Debug, Arbitrary)]
enum BoolE {
    Lit(bool),
    Not(Box<BoolE>),
    And(Box<BoolE>, Box<BoolE>),
    Or(Box<BoolE>, Box<BoolE>),
    Lt(Box<IntE>, Box<IntE>),
    Le(Box<IntE>, Box<IntE>),
    Eq(Box<IntE>, Box<IntE>),
    Ne(Box<IntE>, Box<IntE>),
    StrEq(Box<StrE>, Box<StrE>),
    StrLt(Box<StrE>, Box<StrE>),
    Contains(Box<StrE>, Box<StrE>),
    StartsWith(Box<StrE>, Box<StrE>),
    EndsWith(Box<StrE>, Box<StrE>),
    In(Box<IntE>, Box<ListE>),
    All(Box<ListE>, Box<BoolE>),
    Exists(Box<ListE>, Box<BoolE>),
    ExistsOne(Box<ListE>, Box<BoolE>),
    ListEq(Box<ListE>, Box<ListE>),
    Cond(Box<BoolE>, Box<BoolE>, Box<BoolE>),
}

#[derive(Debug, Arbitrary)]
enum StrE {
    Lit(u8),
    Var,
    Concat(Box<StrE>, Box<StrE>),
    Cond(Box<BoolE>, Box<StrE>, Box<StrE>),
    FromInt(Box<IntE>),
}

#[derive(Debug, Arbitrary)]
enum ListE {
    Lit(Vec<IntE>),
    Var,
    Concat(Box<ListE>, Box<ListE>),
    Map(Box<ListE>, Box<IntE>),
    Filter(Box<ListE>, Box<BoolE>),
}

/// Renders with full parentheses. Inside comprehensions the loop variable `x` is an int, and
/// `IntE::Var(true)` reads it there.
struct R {
    depth: usize,
    in_loop: bool,
}

impl R {
    fn deeper<T>(&mut self, f: impl FnOnce(&mut R) -> T) -> T {
        self.depth += 1;
        let out = f(self);
        self.depth -= 1;
        out
    }

    fn int(&mut self, e: &IntE) -> String {
        if self.depth > MAX_DEPTH {
            return "1".into();
        }
        self.deeper(|r| match e {
            IntE::Lit(v) => format!("{v}"),
            IntE::Var(true) if r.in_loop => "x".into(),
            IntE::Var(_) => "object.n".into(),
            IntE::Add(a, b) => format!("({} + {})", r.int(a), r.int(b)),
            IntE::Sub(a, b) => format!("({} - {})", r.int(a), r.int(b)),
            IntE::Mul(a, b) => format!("({} * {})", r.int(a), r.int(b)),
            IntE::Div(a, b) => format!("({} / {})", r.int(a), r.int(b)),
            IntE::Mod(a, b) => format!("({} % {})", r.int(a), r.int(b)),
            IntE::Neg(a) => format!("(-{})", r.int(a)),
            IntE::SizeS(s) => format!("size({})", r.str(s)),
            IntE::SizeL(l) => format!("size({})", r.list(l)),
            IntE::Cond(c, a, b) => format!("({} ? {} : {})", r.bool(c), r.int(a), r.int(b)),
            IntE::Index(l, i) => format!("({})[{}]", r.list(l), r.int(i)),
        })
    }

    fn bool(&mut self, e: &BoolE) -> String {
        if self.depth > MAX_DEPTH {
            return "true".into();
        }
        self.deeper(|r| match e {
            BoolE::Lit(v) => format!("{v}"),
            BoolE::Not(a) => format!("(!{})", r.bool(a)),
            BoolE::And(a, b) => format!("({} && {})", r.bool(a), r.bool(b)),
            BoolE::Or(a, b) => format!("({} || {})", r.bool(a), r.bool(b)),
            BoolE::Lt(a, b) => format!("({} < {})", r.int(a), r.int(b)),
            BoolE::Le(a, b) => format!("({} <= {})", r.int(a), r.int(b)),
            BoolE::Eq(a, b) => format!("({} == {})", r.int(a), r.int(b)),
            BoolE::Ne(a, b) => format!("({} != {})", r.int(a), r.int(b)),
            BoolE::StrEq(a, b) => format!("({} == {})", r.str(a), r.str(b)),
            BoolE::StrLt(a, b) => format!("({} < {})", r.str(a), r.str(b)),
            BoolE::Contains(a, b) => format!("{}.contains({})", r.str(a), r.str(b)),
            BoolE::StartsWith(a, b) => format!("{}.startsWith({})", r.str(a), r.str(b)),
            BoolE::EndsWith(a, b) => format!("{}.endsWith({})", r.str(a), r.str(b)),
            BoolE::In(a, l) => format!("({} in {})", r.int(a), r.list(l)),
            BoolE::All(l, p) => r.macro_call(l, "all", p),
            BoolE::Exists(l, p) => r.macro_call(l, "exists", p),
            BoolE::ExistsOne(l, p) => r.macro_call(l, "exists_one", p),
            BoolE::ListEq(a, b) => format!("({} == {})", r.list(a), r.list(b)),
            BoolE::Cond(c, a, b) => format!("({} ? {} : {})", r.bool(c), r.bool(a), r.bool(b)),
        })
    }

    fn macro_call(&mut self, l: &ListE, name: &str, p: &BoolE) -> String {
        let list = self.list(l);
        let outer = std::mem::replace(&mut self.in_loop, true);
        let body = self.bool(p);
        self.in_loop = outer;
        format!("{list}.{name}(x, {body})")
    }

    fn str(&mut self, e: &StrE) -> String {
        if self.depth > MAX_DEPTH {
            return "'s'".into();
        }
        self.deeper(|r| match e {
            StrE::Lit(i) => format!("'{}'", STRINGS[usize::from(*i) % STRINGS.len()]),
            StrE::Var => "object.s".into(),
            StrE::Concat(a, b) => format!("({} + {})", r.str(a), r.str(b)),
            StrE::Cond(c, a, b) => format!("({} ? {} : {})", r.bool(c), r.str(a), r.str(b)),
            StrE::FromInt(i) => format!("string({})", r.int(i)),
        })
    }

    fn list(&mut self, e: &ListE) -> String {
        if self.depth > MAX_DEPTH {
            return "[1]".into();
        }
        self.deeper(|r| match e {
            ListE::Lit(items) => {
                let items: Vec<String> = items.iter().take(4).map(|i| r.int(i)).collect();
                format!("[{}]", items.join(", "))
            }
            ListE::Var => "object.l".into(),
            ListE::Concat(a, b) => format!("({} + {})", r.list(a), r.list(b)),
            ListE::Map(l, f) => {
                let list = r.list(l);
                let outer = std::mem::replace(&mut r.in_loop, true);
                let body = r.int(f);
                r.in_loop = outer;
                format!("{list}.map(x, {body})")
            }
            ListE::Filter(l, p) => r.macro_call(l, "filter", p),
        })
    }
}

#[derive(Debug, Arbitrary)]
enum Top {
    Int(IntE),
    Bool(BoolE),
    Str(StrE),
    List(ListE),
}

/// A result both engines can state: an int, a bool or a string.
#[derive(Debug, PartialEq)]
enum Scalar {
    Int(i64),
    Bool(bool),
    Str(String),
}

fn ours(v: &Value<'_>) -> Option<Scalar> {
    match v {
        Value::Int(i) => Some(Scalar::Int(*i)),
        Value::Bool(b) => Some(Scalar::Bool(*b)),
        Value::String(s) => Some(Scalar::Str(s.to_string())),
        _ => None,
    }
}

fn theirs(v: &cel::Value) -> Option<Scalar> {
    match v {
        cel::Value::Int(i) => Some(Scalar::Int(*i)),
        cel::Value::Bool(b) => Some(Scalar::Bool(*b)),
        cel::Value::String(s) => Some(Scalar::Str(s.to_string())),
        _ => None,
    }
}

thread_local! {
    static SPEC: Env = Env::spec(&[]);
    static K8S: Env = Env::kubernetes(MAX_MINOR, EnvType::Stored, None).expect("the newest version is supported");
    static RAW: Arc<cel::Env> = Arc::new(cel::Env::stdlib());
}

fuzz_target!(|top: Top| {
    let mut r = R { depth: 0, in_loop: false };
    let source = match &top {
        Top::Int(e) => r.int(e),
        Top::Bool(e) => r.bool(e),
        Top::Str(e) => r.str(e),
        Top::List(e) => r.list(e),
    };
    let object = serde_json::json!({"n": 7, "s": "héllo", "l": [3, -1, 0, 12]});
    let vars = VapVars::new(Some(&object), None, None, None, None);
    let ours_out = SPEC.with(|env| {
        let program = Program::compile(env, &source).expect("a well-typed expression compiles");
        program.eval(&|n| vars.resolve(n), &NoOpinion).result.map(|v| ours(&v)).ok().flatten()
    });
    K8S.with(|env| {
        if let Ok(program) = Program::compile(env, &source) {
            let _ = program.eval(&|n| vars.resolve(n), &NoOpinion);
        }
    });
    let theirs_out = RAW.with(|raw| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let program = raw.compile(&source).ok()?;
            let mut ctx = cel::Context::with_env(Arc::clone(raw));
            ctx.add_variable("object", &object).ok()?;
            program.execute(&ctx).ok().as_ref().and_then(theirs)
        }))
        .ok()
        .flatten()
    });
    if let (Some(a), Some(b)) = (&ours_out, &theirs_out) {
        assert_eq!(a, b, "palisade-cel and the cel crate disagree on {source}");
    }
});
