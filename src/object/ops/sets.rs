//! Set algebra with CPython's algorithms (`set_merge`, `set_intersection` walking the smaller
//! set, `set_difference` choosing between copy-and-remove and build-new, symmetric difference as
//! an updated copy of the right operand), so results iterate in CPython's order.
//!
//! Invariant: set locks are held only while copying a table out or writing one back; keys never
//! run Python code when hashed or compared.

use super::super::dict::{HashKey, SetTable};
use super::super::{Object, PyResult, Value};
use super::iter;
use crate::code::BinOp;
use crate::thread::ThreadState;
use parking_lot::Mutex;

/// A new set value.
pub fn set_value(t: SetTable) -> Value {
    Value::from_object(Object::Set(Mutex::new(t)))
}

fn set_table(v: &Value) -> Option<SetTable> {
    match v.obj() {
        Some(Object::Set(s)) => Some(s.lock().clone()),
        _ => None,
    }
}

/// `a | b`, `a & b`, `a - b`, `a ^ b` for two sets (CPython's algorithms).
pub fn set_binop(op: BinOp, a: &Value, b: &Value) -> PyResult<Value> {
    let (Some(x), Some(y)) = (set_table(a), set_table(b)) else {
        return Err(super::unsupported(op, a, b, false));
    };
    Ok(set_value(set_algebra(op, &x, &y, a.is(b))))
}

/// The set algebra on tables: `same` says both operands are the same object.
pub fn set_algebra(op: BinOp, x: &SetTable, y: &SetTable, same: bool) -> SetTable {
    match op {
        BinOp::Or => {
            let mut r = x.copy();
            if !same {
                r.merge(y);
            }
            r
        }
        BinOp::And => {
            if same {
                return x.copy();
            }
            let (big, small) = if y.len() > x.len() { (y, x) } else { (x, y) };
            let mut r = SetTable::new();
            for k in small.hash_keys() {
                if big.contains(k) {
                    r.add(k.clone());
                }
            }
            r
        }
        BinOp::Sub => {
            if same {
                return SetTable::new();
            }
            if (x.len() >> 2) > y.len() {
                let mut r = x.copy();
                for k in y.hash_keys() {
                    r.remove(k);
                }
                return r;
            }
            let mut r = SetTable::new();
            for k in x.hash_keys() {
                if !y.contains(k) {
                    r.add(k.clone());
                }
            }
            r
        }
        _ => {
            // Symmetric difference: a copy of the right operand, updated with the left.
            if same {
                return SetTable::new();
            }
            let mut r = y.copy();
            for k in x.hash_keys() {
                if !r.remove(k) {
                    r.add(k.clone());
                }
            }
            r
        }
    }
}

/// `a op= b` for two sets, in place.
pub fn set_inplace(op: BinOp, a: &Value, b: &Value) -> PyResult<()> {
    let Some(y) = set_table(b) else {
        return Err(super::unsupported(op, a, b, true));
    };
    let Some(Object::Set(s)) = a.obj() else {
        return Err(super::unsupported(op, a, b, true));
    };
    let same = a.is(b);
    let mut g = s.lock();
    match op {
        BinOp::Or => {
            if !same {
                g.merge(&y);
            }
        }
        BinOp::Sub => {
            if same {
                g.clear();
            } else {
                for k in y.hash_keys() {
                    g.remove(k);
                }
            }
        }
        BinOp::Xor => {
            if same {
                g.clear();
            } else {
                for k in y.hash_keys() {
                    if !g.remove(k) {
                        g.add(k.clone());
                    }
                }
            }
        }
        _ => {
            let r = set_algebra(BinOp::And, &g, &y, same);
            *g = r;
        }
    }
    Ok(())
}

/// Adds every item of an iterable to a set table (`set_update_internal`).
pub fn set_update(ts: &mut ThreadState, t: &mut SetTable, iterable: &Value) -> PyResult<()> {
    match iterable.obj() {
        Some(Object::Set(s)) => {
            let other = s.lock().clone();
            t.merge(&other);
            Ok(())
        }
        Some(Object::Dict(d)) => {
            let keys: Vec<HashKey> = d.read().keys().cloned().collect();
            t.presize_for(keys.len());
            for k in keys {
                t.add(k);
            }
            Ok(())
        }
        _ => {
            for item in iter::collect(ts, iterable)? {
                t.add(HashKey::new(item)?);
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(v: &Value) -> Vec<i64> {
        match v.obj() {
            Some(Object::Set(s)) => s.lock().iter().map(|x| x.as_small().unwrap()).collect(),
            _ => vec![],
        }
    }

    #[test]
    fn set_algebra_orders() {
        let mut ts = ThreadState::new();
        let mk = |items: &[i64]| {
            let mut t = SetTable::new();
            for &i in items {
                t.add(HashKey::new(Value::int(i)).unwrap());
            }
            set_value(t)
        };
        let a = mk(&[1, 2, 3, 40]);
        let b = mk(&[3, 4, 5, 8, 16]);
        let u = set_binop(BinOp::Or, &a, &b).unwrap();
        assert_eq!(
            super::super::repr(&mut ts, &u).unwrap(),
            "{1, 2, 3, 4, 5, 40, 8, 16}"
        );
        let i = set_binop(BinOp::And, &a, &b).unwrap();
        assert_eq!(ints(&i), vec![3]);
        let d = set_binop(BinOp::Sub, &a, &b).unwrap();
        assert_eq!(ints(&d), vec![40, 1, 2]);
        let x = set_binop(BinOp::Xor, &a, &b).unwrap();
        assert_eq!(
            super::super::repr(&mut ts, &x).unwrap(),
            "{16, 1, 2, 4, 5, 8, 40}"
        );
    }
}
