//! Assignability, type-parameter substitution and the most general of two types, with cel-go's
//! rules: `dyn` and error types are assignable both ways, `null` only to nullable types, type
//! parameters bind to the first type they meet and widen to the more general one after.

use std::collections::HashMap;
use std::sync::Arc;

use super::types::Type;

/// Substitutions of type parameters found so far.
#[derive(Clone, Debug, Default)]
pub(crate) struct Mapping {
    subs: HashMap<Arc<str>, Type>,
}

fn is_dyn_or_error(t: &Type) -> bool {
    matches!(t, Type::Dyn | Type::Error)
}

/// Types `null` may be assigned to: messages and objects, well-known and abstract types (never
/// a primitive: `c ? 'a' : null` has no matching overload).
fn is_nullable(t: &Type) -> bool {
    matches!(
        t,
        Type::Null | Type::Object(_) | Type::Timestamp | Type::Duration | Type::Opaque(..)
    )
}

impl Mapping {
    fn find(&self, t: &Type) -> Option<&Type> {
        match t {
            Type::Param(n) => self.subs.get(n),
            _ => None,
        }
    }

    /// Whether a value of type `t2` may be used where `t1` is expected; binds type parameters.
    /// On failure the mapping is left as it was.
    pub(crate) fn assignable(&mut self, t1: &Type, t2: &Type) -> bool {
        let mut copy = self.clone();
        if copy.assign(t1, t2) {
            *self = copy;
            true
        } else {
            false
        }
    }

    /// [`Mapping::assignable`] for parallel lists of types.
    pub(crate) fn assignable_list(&mut self, l1: &[Type], l2: &[Type]) -> bool {
        let mut copy = self.clone();
        if copy.assign_list(l1, l2) {
            *self = copy;
            true
        } else {
            false
        }
    }

    fn assign_list(&mut self, l1: &[Type], l2: &[Type]) -> bool {
        l1.len() == l2.len() && l1.iter().zip(l2).all(|(a, b)| self.assign(a, b))
    }

    fn assign(&mut self, t1: &Type, t2: &Type) -> bool {
        if matches!(t2, Type::Param(_)) {
            let (valid, has_sub) = self.substitution(t1, t2);
            if valid {
                return true;
            }
            if has_sub {
                return false;
            }
        }
        if matches!(t1, Type::Param(_)) {
            return self.substitution(t2, t1).0;
        }
        if is_dyn_or_error(t1) || is_dyn_or_error(t2) {
            return true;
        }
        if *t1 == Type::Null {
            return is_nullable(t2);
        }
        if *t2 == Type::Null {
            return is_nullable(t1);
        }
        match (t1, t2) {
            (Type::List(a), Type::List(b)) => self.assign(a, b),
            (Type::Map(k1, v1), Type::Map(k2, v2)) => self.assign(k1, k2) && self.assign(v1, v2),
            (Type::Type(_), Type::Type(_)) => true,
            (Type::Opaque(n1, p1), Type::Opaque(n2, p2)) => n1 == n2 && self.assign_list(p1, p2),
            (Type::Object(a), Type::Object(b)) => a.name == b.name,
            _ => t1 == t2,
        }
    }

    /// Whether `t1` is a valid substitution for the parameter `t2`, and whether `t2` already had one.
    fn substitution(&mut self, t1: &Type, t2: &Type) -> (bool, bool) {
        if t1 == t2 {
            return (true, true);
        }
        if let Some(sub) = self.find(t2).cloned() {
            if *t1 == sub {
                return (true, true);
            }
            if self.assign(t1, &sub) {
                let general = most_general(t1, &sub);
                if !self.occurs(t2, &general) {
                    self.bind(t2, general);
                }
                return (true, true);
            }
            return (false, true);
        }
        if !self.occurs(t2, t1) {
            self.bind(t2, t1.clone());
            return (true, false);
        }
        (false, false)
    }

    fn bind(&mut self, param: &Type, t: Type) {
        if let Type::Param(n) = param {
            self.subs.insert(n.clone(), t);
        }
    }

    /// Whether the parameter `p` occurs in `t` (after substitution).
    fn occurs(&self, p: &Type, t: &Type) -> bool {
        if p == t {
            return true;
        }
        if let Some(sub) = self.find(t) {
            return self.occurs(p, sub);
        }
        match t {
            Type::List(e) => self.occurs(p, e),
            Type::Map(k, v) => self.occurs(p, k) || self.occurs(p, v),
            Type::Type(Some(e)) => self.occurs(p, e),
            Type::Opaque(_, ps) => ps.iter().any(|x| self.occurs(p, x)),
            _ => false,
        }
    }

    /// `t` with bound parameters replaced; free ones become `dyn` when `to_dyn`.
    pub(crate) fn substitute(&self, t: &Type, to_dyn: bool) -> Type {
        self.subst(t, to_dyn, 0)
    }

    fn subst(&self, t: &Type, to_dyn: bool, depth: usize) -> Type {
        if depth > 64 {
            return Type::Dyn;
        }
        if let Some(sub) = self.find(t) {
            return self.subst(sub, to_dyn, depth + 1);
        }
        match t {
            Type::Param(_) if to_dyn => Type::Dyn,
            Type::List(e) => Type::list(self.subst(e, to_dyn, depth + 1)),
            Type::Map(k, v) => Type::map(
                self.subst(k, to_dyn, depth + 1),
                self.subst(v, to_dyn, depth + 1),
            ),
            Type::Type(Some(e)) => Type::type_of(self.subst(e, to_dyn, depth + 1)),
            Type::Opaque(n, ps) => Type::Opaque(
                n.clone(),
                ps.iter()
                    .map(|x| self.subst(x, to_dyn, depth + 1))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
}

/// The more general of two assignable types (`dyn` and parameters over anything concrete; a
/// nullable type over `null`, so that `[optional.of(1), null]` is a `list(optional_type(int))`).
pub(crate) fn most_general(t1: &Type, t2: &Type) -> Type {
    if *t2 == Type::Null {
        return t1.clone();
    }
    if *t1 == Type::Null {
        return t2.clone();
    }
    if less_specific(t1, t2) {
        t1.clone()
    } else {
        t2.clone()
    }
}

fn less_specific(t1: &Type, t2: &Type) -> bool {
    if matches!(t1, Type::Dyn | Type::Param(_)) {
        return true;
    }
    if matches!(t2, Type::Dyn | Type::Param(_)) {
        return false;
    }
    match (t1, t2) {
        (Type::List(a), Type::List(b)) => less_specific(a, b),
        (Type::Map(k1, v1), Type::Map(k2, v2)) => less_specific(k1, k2) && less_specific(v1, v2),
        (Type::Type(_), Type::Type(_)) => true,
        (Type::Opaque(n1, p1), Type::Opaque(n2, p2)) => {
            n1 == n2 && p1.len() == p2.len() && p1.iter().zip(p2).all(|(a, b)| less_specific(a, b))
        }
        _ => t1 == t2,
    }
}
