//! Dicts (and the table behind sets): insertion-ordered maps keyed by hashable builtin values.
//!
//! Keys are hashed and compared without running Python code (the subset has no user classes), so
//! a dict operation never re-enters the interpreter while its lock is held. Hashes of numbers follow
//! CPython's numeric hash (`hash(1) == hash(1.0) == hash(True)`), so equal keys of different
//! numeric types collide as they must.

use super::exc::err;
use super::{Object, PyResult, Value};
use indexmap::IndexMap;
use num_bigint::BigInt;
use num_traits::{ToPrimitive, Zero};
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// A key with its hash computed once.
#[derive(Clone)]
pub struct HashKey {
    /// The Python hash of `key`.
    pub hash: u64,
    /// The key.
    pub key: Value,
}

impl HashKey {
    /// Hashes `key`, failing with TypeError for unhashable values.
    pub fn new(key: Value) -> PyResult<HashKey> {
        Ok(HashKey {
            hash: hash(&key)?,
            key,
        })
    }
}

impl PartialEq for HashKey {
    fn eq(&self, other: &HashKey) -> bool {
        self.hash == other.hash && key_eq(&self.key, &other.key)
    }
}
impl Eq for HashKey {}

impl Hash for HashKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash)
    }
}

/// Passes a precomputed hash through.
#[derive(Default)]
pub struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// The map behind `dict` and `set` (sets store `None` values).
pub type Dict = IndexMap<HashKey, Value, BuildHasherDefault<PassThrough>>;

const MODULUS: u64 = (1 << 61) - 1;

/// CPython's hash of an int.
pub fn hash_i64(i: i64) -> u64 {
    let m = (i.unsigned_abs() % MODULUS) as i64;
    let h = if i < 0 { -m } else { m };
    (if h == -1 { -2 } else { h }) as u64
}

/// CPython's hash of a big int.
pub fn hash_bigint(b: &BigInt) -> u64 {
    let m = (b.magnitude() % MODULUS).to_u64().unwrap_or(0) as i64;
    let h = if b.sign() == num_bigint::Sign::Minus {
        -m
    } else {
        m
    };
    (if h == -1 { -2 } else { h }) as u64
}

/// Hash of a float (equal to the int hash when integral).
pub fn hash_f64(f: f64) -> u64 {
    if f.fract() == 0.0 && f.is_finite() {
        if let Some(i) = f.to_i64() {
            return hash_i64(i);
        }
        return hash_bigint(&float_to_bigint(f));
    }
    f.to_bits().wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

fn float_to_bigint(f: f64) -> BigInt {
    num_traits::FromPrimitive::from_f64(f).unwrap_or_else(BigInt::zero)
}

/// `hash(v)` for the builtin hashable types; TypeError otherwise.
pub fn hash(v: &Value) -> PyResult<u64> {
    if let Some(i) = v.as_small() {
        return Ok(hash_i64(i));
    }
    if let Some(b) = v.as_bool() {
        return Ok(b as u64);
    }
    if v.is_none() {
        return Ok(0xfc_a86b_5d31);
    }
    match v.obj().expect("heap value") {
        Object::Str(s) => Ok(s.hash()),
        Object::Int(b) => Ok(hash_bigint(b)),
        Object::Float(f) => Ok(hash_f64(*f)),
        Object::Tuple(items) => {
            // xxHash-style combination, as CPython's tuplehash.
            let mut acc: u64 = 0x27D4_EB2F_1656_67C5;
            for item in items.iter() {
                let h = hash(item)?;
                acc = acc.wrapping_add(h.wrapping_mul(0xC2B2_AE3D_27D4_EB4F));
                acc = acc.rotate_left(31).wrapping_mul(0x9E37_79B1_85EB_CA87);
            }
            Ok(acc.wrapping_add(items.len() as u64 ^ 0x27D4_EB2F_1656_67C5 ^ 3_527_539))
        }
        Object::List(_) | Object::Dict(_) | Object::Set(_) | Object::Slice(..) => Err(
            err::type_error(format!("unhashable type: '{}'", v.py_type().name())),
        ),
        Object::Native(n) if n.py_type() == super::TypeId::FrameLocalsProxy => {
            Err(err::type_error("unhashable type: 'FrameLocalsProxy'"))
        }
        _ => Ok((v.id() as u64).rotate_right(4)),
    }
}

/// Equality of two keys, never running Python code: numbers by value across int/bool/float,
/// strs and tuples by contents, everything else by identity.
pub fn key_eq(a: &Value, b: &Value) -> bool {
    if a.is(b) {
        return true;
    }
    if a.is_small() && b.is_small() {
        return false;
    }
    if let (Some(Object::Str(x)), Some(Object::Str(y))) = (a.obj(), b.obj()) {
        return x.hash() == y.hash() && x.as_str() == y.as_str();
    }
    if let (Some(x), Some(y)) = (num_of(a), num_of(b)) {
        return x == y;
    }
    match (a.obj(), b.obj()) {
        (Some(Object::Str(x)), Some(Object::Str(y))) => {
            x.hash() == y.hash() && x.as_str() == y.as_str()
        }
        (Some(Object::Tuple(x)), Some(Object::Tuple(y))) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| key_eq(p, q))
        }
        _ => false,
    }
}

/// A number as a comparable quantity (for cross-type numeric equality of keys).
#[derive(PartialEq)]
enum Num {
    Int(BigInt),
    Float(f64),
}

fn num_of(v: &Value) -> Option<Num> {
    if let Some(i) = v.as_small() {
        return Some(Num::Int(BigInt::from(i)));
    }
    if let Some(b) = v.as_bool() {
        return Some(Num::Int(BigInt::from(b as i64)));
    }
    match v.obj()? {
        Object::Int(b) => Some(Num::Int(b.clone())),
        Object::Float(f) => {
            if f.fract() == 0.0 && f.is_finite() {
                Some(Num::Int(float_to_bigint(*f)))
            } else {
                Some(Num::Float(*f))
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_keys_unify() {
        let mut d = Dict::default();
        d.insert(HashKey::new(Value::int(1)).unwrap(), Value::str("int"));
        d.insert(HashKey::new(Value::TRUE).unwrap(), Value::str("bool"));
        assert_eq!(d.len(), 1);
        assert_eq!(hash_i64(-1), (-2i64) as u64);
    }

    #[test]
    fn unhashable_list() {
        assert!(HashKey::new(Value::list(vec![])).is_err());
    }
}
