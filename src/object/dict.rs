//! Dicts (and the hashing behind sets): insertion-ordered maps keyed by hashable builtin values.
//!
//! Keys are hashed and compared without running Python code (the subset has no user classes), so
//! a dict operation never re-enters the interpreter while its lock is held. Hashes follow
//! CPython's exactly for ints, bools, floats, `None` and tuples of those (`hash(1) == hash(1.0) ==
//! hash(True)`, `hash(-1) == -2`, the xxHash-based tuple hash), so equal keys of different numeric
//! types collide as they must and sets of numbers iterate in CPython's order (see [`set`]). Str
//! hashes are our own (CPython randomizes them per process anyway).

pub mod set;

pub use set::SetTable;

use super::exc::err;
use super::{Object, PyResult, TypeId, Value};
use indexmap::{Equivalent, IndexMap};
use num_bigint::{BigInt, Sign};
use num_traits::ToPrimitive;
use std::cell::Cell;
use std::cmp::Ordering;
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// A key with its hash computed once.
#[derive(Clone)]
pub struct HashKey {
    /// The Python hash of `key` (CPython's `Py_hash_t`, as unsigned bits).
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

/// A borrowed key for lookups (`Dict::get(&KeyRef)`): hashes and compares as the [`HashKey`] of
/// the same value would, without cloning the value into one.
pub struct KeyRef<'a> {
    /// The Python hash of `key`.
    pub hash: u64,
    /// The key.
    pub key: &'a Value,
}

impl<'a> KeyRef<'a> {
    /// Hashes `key`, failing with TypeError for unhashable values.
    pub fn new(key: &'a Value) -> PyResult<KeyRef<'a>> {
        Ok(KeyRef {
            hash: hash(key)?,
            key,
        })
    }
}

impl Hash for KeyRef<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash)
    }
}

impl Equivalent<HashKey> for KeyRef<'_> {
    fn equivalent(&self, k: &HashKey) -> bool {
        self.hash == k.hash && key_eq(self.key, &k.key)
    }
}

/// A str key given as a Rust `&str` (`Dict::get(&StrKey::new("__name__"))`): finds the entry of
/// the equal Python str without allocating one.
pub struct StrKey<'a> {
    hash: u64,
    s: &'a str,
}

impl<'a> StrKey<'a> {
    /// The key `s`.
    pub fn new(s: &'a str) -> StrKey<'a> {
        StrKey {
            hash: super::str::hash_str(s),
            s,
        }
    }
}

impl Hash for StrKey<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash)
    }
}

impl Equivalent<HashKey> for StrKey<'_> {
    fn equivalent(&self, k: &HashKey) -> bool {
        self.hash == k.hash && k.key.as_str() == Some(self.s)
    }
}

/// Entries of this thread's memo of name lookups (see [`get_name`]); a power of two.
const MEMO: usize = 64;

thread_local! {
    /// `(dict address, name word, entry index)` of recent name lookups, direct-mapped.
    static NAME_MEMO: [Cell<(usize, usize, usize)>; MEMO] =
        const { [const { Cell::new((0, 0, 0)) }; MEMO] };
}

/// `d[name]` for a name (a str, normally interned) whose hash is `hash`, in the dict whose
/// object is at `addr`: the entry index this thread last found it at, checked, or else a hash
/// lookup whose index is remembered. Globals, builtins and module members are looked up by
/// the same few names over and over; the check (the entry at the index has this very key,
/// or an equal one) makes a stale memo harmless, whatever happened to the dict since.
#[inline]
pub fn get_name<'a>(d: &'a Dict, addr: usize, name: &Value, hash: u64) -> Option<&'a Value> {
    name_index(d, addr, name, hash).map(|i| &d[i])
}

/// The index of `name`'s entry in `d`, found as [`get_name`] finds it. The memo's hit with
/// the very key object (interned names) is inline; anything else is out of line.
#[inline(always)]
pub fn name_index(d: &Dict, addr: usize, name: &Value, hash: u64) -> Option<usize> {
    // Fibonacci hashing of both words: heap addresses share their low and high bits.
    let mix =
        (addr as u64 ^ (name.bits() as u64).rotate_left(32)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let slot = (mix >> (64 - MEMO.trailing_zeros())) as usize;
    let (a, n, i) = NAME_MEMO.with(|m| m[slot].get());
    if a == addr && n == name.bits() {
        if let Some((k, _)) = d.get_index(i) {
            if k.key.bits() == n {
                return Some(i);
            }
        }
    }
    name_index_slow(d, addr, name, hash, slot)
}

/// [`name_index`] past the memo's identity hit: the memo's entry holding an equal key, or a
/// hash lookup, remembered.
#[inline(never)]
fn name_index_slow(d: &Dict, addr: usize, name: &Value, hash: u64, slot: usize) -> Option<usize> {
    let (a, n, i) = NAME_MEMO.with(|m| m[slot].get());
    if a == addr && n == name.bits() {
        if let Some((k, _)) = d.get_index(i) {
            if key_eq(&k.key, name) {
                return Some(i);
            }
        }
    }
    let i = d.get_index_of(&KeyRef { hash, key: name })?;
    NAME_MEMO.with(|m| m[slot].set((addr, name.bits(), i)));
    Some(i)
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

/// Passes a precomputed hash through (spreading it, since Python's int hashes are the ints).
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
        // hashbrown takes its control bits from the top of the hash: mix so that small ints
        // (whose Python hash is the int) do not all share them.
        self.0 = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (n >> 29);
    }
}

/// The map behind `dict`.
pub type Dict = IndexMap<HashKey, Value, BuildHasherDefault<PassThrough>>;

/// `_PyHASH_BITS`.
const HASH_BITS: u32 = 61;
/// `_PyHASH_MODULUS`: the Mersenne prime 2**61 - 1.
const MODULUS: u64 = (1 << HASH_BITS) - 1;
/// `_PyHASH_INF`.
const HASH_INF: i64 = 314_159;
/// CPython's (3.12+) constant hash of `None`.
const HASH_NONE: u64 = 0xFCA8_6420;

fn fix_minus_one(h: i64) -> u64 {
    (if h == -1 { -2 } else { h }) as u64
}

/// CPython's hash of an int.
pub fn hash_i64(i: i64) -> u64 {
    let m = (i.unsigned_abs() % MODULUS) as i64;
    fix_minus_one(if i < 0 { -m } else { m })
}

/// CPython's hash of a big int.
pub fn hash_bigint(b: &BigInt) -> u64 {
    let m = (b.magnitude() % MODULUS).to_u64().unwrap_or(0) as i64;
    fix_minus_one(if b.sign() == Sign::Minus { -m } else { m })
}

/// CPython's hash of a float (`_Py_HashDouble`): equal to the int hash when integral. NaNs hash
/// by identity in CPython; here they all hash alike (they never compare equal anyway).
pub fn hash_f64(f: f64) -> u64 {
    if f.is_nan() {
        return 0;
    }
    if f.is_infinite() {
        return (if f > 0.0 { HASH_INF } else { -HASH_INF }) as u64;
    }
    let (mut m, mut e) = frexp(f);
    let sign: i64 = if m < 0.0 {
        m = -m;
        -1
    } else {
        1
    };
    let mut x: u64 = 0;
    while m != 0.0 {
        x = ((x << 28) & MODULUS) | (x >> (HASH_BITS - 28));
        m *= 268_435_456.0; // 2**28
        e -= 28;
        let y = m as u64;
        m -= y as f64;
        x += y;
        if x >= MODULUS {
            x -= MODULUS;
        }
    }
    let bits = HASH_BITS as i32;
    let e = if e >= 0 {
        e % bits
    } else {
        bits - 1 - ((-1 - e) % bits)
    } as u32;
    x = ((x << e) & MODULUS) | (x >> (HASH_BITS - e));
    fix_minus_one((x as i64).wrapping_mul(sign))
}

/// `frexp`: `f == m * 2**e` with `0.5 <= |m| < 1` (finite, non-zero `f`; `(0, 0)` for zero).
pub fn frexp(f: f64) -> (f64, i32) {
    if f == 0.0 || !f.is_finite() {
        return (f, 0);
    }
    let bits = f.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    if exp == 0 {
        // Subnormal: scale into the normal range first.
        let (m, e) = frexp(f * 2f64.powi(64));
        return (m, e - 64);
    }
    let e = exp - 1022;
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (m, e)
}

const XXPRIME_1: u64 = 11_400_714_785_074_694_791;
const XXPRIME_2: u64 = 14_029_467_366_897_019_727;
const XXPRIME_5: u64 = 2_870_177_450_012_600_261;

/// The xxHash-style accumulation CPython uses for tuples and slices.
fn xx_lanes(items: &[Value]) -> PyResult<u64> {
    let mut acc: u64 = XXPRIME_5;
    for item in items {
        let lane = hash(item)?;
        acc = acc.wrapping_add(lane.wrapping_mul(XXPRIME_2));
        acc = acc.rotate_left(31);
        acc = acc.wrapping_mul(XXPRIME_1);
    }
    Ok(acc)
}

/// CPython's tuple hash (`tuplehash`).
fn hash_tuple(items: &[Value]) -> PyResult<u64> {
    let acc = xx_lanes(items)?.wrapping_add(items.len() as u64 ^ (XXPRIME_5 ^ 3_527_539));
    Ok(if acc == u64::MAX { 1_546_275_796 } else { acc })
}

/// CPython's slice hash (`slice_hash`, 3.12+: the tuple hash without the length step).
fn hash_slice(items: &[Value]) -> PyResult<u64> {
    let acc = xx_lanes(items)?;
    Ok(if acc == u64::MAX { 1_546_275_796 } else { acc })
}

/// CPython's range hash: the hash of `(len, start, step)`, with `None` for what does not
/// determine the values (`start` and `step` of an empty range, `step` of a one-item range).
fn hash_range(r: &super::Range) -> PyResult<u64> {
    let len = super::ops::containers::range_len(r);
    let (start, step) = match len {
        0 => (Value::NONE, Value::NONE),
        1 => (Value::int(r.start), Value::NONE),
        _ => (Value::int(r.start), Value::int(r.step)),
    };
    let len = super::ops::arith::int_value(BigInt::from(len));
    hash_tuple(&[len, start, step])
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
        return Ok(HASH_NONE);
    }
    let Some(obj) = v.obj() else {
        return Ok(v.bits() as u64);
    };
    match obj {
        Object::Str(s) => Ok(s.hash()),
        Object::Int(b) => Ok(hash_bigint(b)),
        Object::Float(f) => Ok(hash_f64(*f)),
        Object::Tuple(items) => {
            let _depth = super::ops::enter_recursive_call_plain(" while hashing a tuple")?;
            hash_tuple(items)
        }
        Object::Slice(a, b, c) => hash_slice(&[a.clone(), b.clone(), c.clone()]),
        Object::Range(r) => hash_range(r),
        Object::List(_) | Object::Dict(_) | Object::Set(_) => Err(unhashable(v)),
        Object::Native(n)
            if n.py_type() == TypeId::FrameLocalsProxy
                || n.downcast_ref::<super::ops::views::DictView>().is_some() =>
        {
            Err(unhashable(v))
        }
        _ => Ok((v.id() as u64).rotate_right(4)),
    }
}

fn unhashable(v: &Value) -> crate::object::PyErr {
    err::type_error(format!("unhashable type: '{}'", v.py_type().name()))
}

/// Equality of two keys, never running Python code: numbers by value across int/bool/float,
/// strs and tuples by contents, everything else by identity.
#[inline]
pub fn key_eq(a: &Value, b: &Value) -> bool {
    // Inline: identity (interned names, small ints) settles most probes.
    if a.is(b) {
        return true;
    }
    if a.is_small() && b.is_small() {
        return false;
    }
    key_eq_slow(a, b)
}

fn key_eq_slow(a: &Value, b: &Value) -> bool {
    // Strs first: the commonest keys (names), and never equal to a number.
    if let (Some(Object::Str(x)), Some(Object::Str(y))) = (a.obj(), b.obj()) {
        return x.hash() == y.hash() && x.as_str() == y.as_str();
    }
    if let (Some(x), Some(y)) = (NumRef::of(a), NumRef::of(b)) {
        return num_cmp(&x, &y) == Some(Ordering::Equal);
    }
    match (a.obj(), b.obj()) {
        (Some(Object::Tuple(x)), Some(Object::Tuple(y))) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| key_eq(p, q))
        }
        (Some(Object::Slice(a1, a2, a3)), Some(Object::Slice(b1, b2, b3))) => {
            key_eq(a1, b1) && key_eq(a2, b2) && key_eq(a3, b3)
        }
        (Some(Object::Range(x)), Some(Object::Range(y))) => {
            let (lx, ly) = (
                super::ops::containers::range_len(x),
                super::ops::containers::range_len(y),
            );
            lx == ly && (lx == 0 || (x.start == y.start && (lx == 1 || x.step == y.step)))
        }
        _ => false,
    }
}

/// A borrowed number (int, bool or float), for comparisons across numeric types.
#[derive(Clone, Copy)]
pub enum NumRef<'a> {
    /// A small int or a bool.
    Small(i64),
    /// A big int.
    Big(&'a BigInt),
    /// A float.
    Float(f64),
}

impl<'a> NumRef<'a> {
    /// The number `v` is, if it is an int, bool or float.
    pub fn of(v: &'a Value) -> Option<NumRef<'a>> {
        if let Some(i) = v.as_small() {
            return Some(NumRef::Small(i));
        }
        if let Some(b) = v.as_bool() {
            return Some(NumRef::Small(b as i64));
        }
        match v.obj()? {
            Object::Int(b) => Some(NumRef::Big(b)),
            Object::Float(f) => Some(NumRef::Float(*f)),
            _ => None,
        }
    }
}

/// Exact comparison of two numbers (`None` when a NaN is involved), as CPython compares ints
/// with floats: exactly, never through a lossy conversion.
pub fn num_cmp(a: &NumRef, b: &NumRef) -> Option<Ordering> {
    use NumRef::*;
    match (a, b) {
        (Small(x), Small(y)) => Some(x.cmp(y)),
        (Small(x), Big(y)) => Some(BigInt::from(*x).cmp(y)),
        (Big(x), Small(y)) => Some((*x).cmp(&BigInt::from(*y))),
        (Big(x), Big(y)) => Some(x.cmp(y)),
        (Float(x), Float(y)) => x.partial_cmp(y),
        (Float(x), _) => int_float_cmp(b, *x).map(Ordering::reverse),
        (_, Float(y)) => int_float_cmp(a, *y),
    }
}

/// Compares an int (small or big) with a float exactly.
fn int_float_cmp(i: &NumRef, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f.is_infinite() {
        return Some(if f > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        });
    }
    if let NumRef::Small(x) = i {
        // Exactly representable both ways: compare as floats.
        if x.unsigned_abs() < (1u64 << 53) {
            return (*x as f64).partial_cmp(&f);
        }
    }
    let fl = f.floor();
    let fi = num_traits::FromPrimitive::from_f64(fl).unwrap_or_default();
    let ord = match i {
        NumRef::Small(x) => BigInt::from(*x).cmp(&fi),
        NumRef::Big(b) => (*b).cmp(&fi),
        NumRef::Float(_) => return None,
    };
    Some(match ord {
        // i == floor(f): i < f exactly when f has a fractional part.
        Ordering::Equal if fl != f => Ordering::Less,
        o => o,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_keys_unify() {
        let mut d = Dict::default();
        d.insert(HashKey::new(Value::int(1)).unwrap(), Value::str("int"));
        d.insert(HashKey::new(Value::TRUE).unwrap(), Value::str("bool"));
        d.insert(
            HashKey::new(Value::from_object(Object::Float(1.0))).unwrap(),
            Value::str("float"),
        );
        assert_eq!(d.len(), 1);
        assert_eq!(hash_i64(-1), (-2i64) as u64);
    }

    #[test]
    fn unhashable_list() {
        assert!(HashKey::new(Value::list(vec![])).is_err());
    }

    #[test]
    fn hashes_match_cpython() {
        let f = |x: f64| hash_f64(x) as i64;
        assert_eq!(f(f64::INFINITY), 314159);
        assert_eq!(f(0.5), 1152921504606846976);
        assert_eq!(f(1e300), 1224995262755759164);
        assert_eq!(f(-0.0), 0);
        assert_eq!(f(1.0000001), 230584301057);
        assert_eq!(f(1.5), 1152921504606846977);
        assert_eq!(f(-1.5), -1152921504606846977);
        assert_eq!(hash(&Value::NONE).unwrap(), 4238894112);
        let t = |items: Vec<Value>| hash(&Value::tuple(items)).unwrap() as i64;
        assert_eq!(t(vec![Value::int(1), Value::int(2)]), -3550055125485641917);
        assert_eq!(t(vec![]), 5740354900026072187);
        assert_eq!(t(vec![Value::int(-1)]), 8078679518589016365);
        let big = |s: &str| hash_bigint(&s.parse::<BigInt>().unwrap()) as i64;
        assert_eq!(big("2305843009213693951"), 0);
        assert_eq!(big("2305843009213693952"), 1);
        assert_eq!(big("-2305843009213693952"), -2);
        let r = |start, stop, step| {
            let range = crate::object::Range { start, stop, step };
            hash(&Value::from_object(Object::Range(range))).unwrap()
        };
        assert_eq!(
            r(0, 3, 1),
            t(vec![Value::int(3), Value::int(0), Value::int(1)]) as u64
        );
        assert_eq!(
            r(5, 5, 2),
            t(vec![Value::int(0), Value::NONE, Value::NONE]) as u64
        );
    }

    #[test]
    fn int_float_equality_is_exact() {
        let big = Value::from_object(Object::Int(BigInt::from(1u64 << 63)));
        let fl = Value::from_object(Object::Float(9223372036854775808.0));
        assert!(key_eq(&big, &fl));
        let odd = Value::int((1 << 53) + 1);
        let fl2 = Value::from_object(Object::Float(9007199254740992.0));
        assert!(!key_eq(&odd, &fl2));
        assert!(key_eq(&Value::int(0), &Value::FALSE));
    }
}
