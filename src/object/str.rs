//! `PyStr`: an immutable str, stored in its heap object when short, with its hash computed on
//! first use and its character count computed once; and the table of interned identifiers.
//!
//! Python indexes strs by code point; `char_len` and `is_ascii` let the common ASCII case index
//! by byte in O(1).
//!
//! Why the layout: creating a str is the commonest allocation of ordinary programs (`"%d" % i`,
//! `str(i)`, concatenation). A str of at most [`INLINE_CAP`] bytes lives inside its `Object`
//! (in the space its other kinds need anyway), so it costs one allocation, not two;
//! and most strs are never hashed (only dict/set keys and `hash()` need it), so the hash waits
//! until someone asks.
//!
//! Interned strs ([`intern`]) are the identifiers of the program (names in code objects, module
//! and builtins dict keys): one object per spelling, kept for the life of the process, so that a
//! dict lookup by name finds its key by identity, with no byte comparison.

use super::{Object, Value};
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// Longest str (in bytes) stored inline: what fits beside the hash and the character count in
/// the 56 bytes of an `Object`'s payload.
pub const INLINE_CAP: usize = 38;

/// Where the bytes are.
enum Repr {
    Inline { len: u8, buf: [u8; INLINE_CAP] },
    Heap(Box<str>),
}

/// An immutable Python str.
pub struct PyStr {
    /// The hash, 0 until first computed (never 0 once computed: see [`hash_str`]).
    hash: AtomicU64,
    char_len: usize,
    repr: Repr,
}

impl PyStr {
    /// A str with the given contents.
    pub fn new(s: &str) -> PyStr {
        let repr = if s.len() <= INLINE_CAP {
            let mut buf = [0u8; INLINE_CAP];
            buf[..s.len()].copy_from_slice(s.as_bytes());
            Repr::Inline {
                len: s.len() as u8,
                buf,
            }
        } else {
            Repr::Heap(s.into())
        };
        PyStr {
            hash: AtomicU64::new(0),
            char_len: char_count(s),
            repr,
        }
    }

    /// A str taking ownership of `s` (short ones are copied inline and `s` is freed).
    pub fn from_string(s: String) -> PyStr {
        if s.len() <= INLINE_CAP {
            return PyStr::new(&s);
        }
        PyStr {
            hash: AtomicU64::new(0),
            char_len: char_count(&s),
            repr: Repr::Heap(s.into_boxed_str()),
        }
    }

    /// The contents.
    #[inline]
    pub fn as_str(&self) -> &str {
        match &self.repr {
            Repr::Inline { len, buf } => {
                // SAFETY: the first `len` bytes were copied from a `&str` (valid UTF-8) and
                // are never written again.
                unsafe { std::str::from_utf8_unchecked(&buf[..*len as usize]) }
            }
            Repr::Heap(s) => s,
        }
    }

    /// The hash (stable within a process), computed on first use.
    #[inline]
    pub fn hash(&self) -> u64 {
        // Relaxed: every thread computes the same value from immutable bytes, so a race only
        // computes it twice.
        let h = self.hash.load(Ordering::Relaxed);
        if h != 0 {
            return h;
        }
        let h = hash_str(self.as_str());
        self.hash.store(h, Ordering::Relaxed);
        h
    }

    /// Length in code points (`len(s)`).
    #[inline]
    pub fn char_len(&self) -> usize {
        self.char_len
    }

    /// Is every character ASCII (so byte index == char index)?
    #[inline]
    pub fn is_ascii(&self) -> bool {
        self.char_len == self.as_str().len()
    }
}

/// Appends the decimal digits of `n` (as `str(n)`), without the formatting machinery.
pub fn push_i64(out: &mut String, n: i64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut m = n.unsigned_abs();
    loop {
        i -= 1;
        buf[i] = b'0' + (m % 10) as u8;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    if n < 0 {
        out.push('-');
    }
    // The digits are ASCII.
    out.push_str(std::str::from_utf8(&buf[i..]).unwrap_or_default());
}

/// Code points in `s` (bytes when ASCII).
fn char_count(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// The hash of a str with contents `s`: FNV-1a over the bytes, finished with a multiply-xorshift
/// so short keys spread well. Never 0 (0 marks "not computed" in [`PyStr`]).
pub fn hash_str(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in s.as_bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^= h >> 29;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    match h ^ (h >> 32) {
        0 => 1,
        h => h,
    }
}

/// The interned str spelled `s`: the same object for every call (created on the first).
pub fn intern(s: &str) -> Value {
    static TABLE: OnceLock<Mutex<HashMap<Box<str>, Value>>> = OnceLock::new();
    let mut t = TABLE.get_or_init(Default::default).lock();
    if let Some(v) = t.get(s) {
        return v.clone();
    }
    let v = Value::from_object(Object::Str(PyStr::new(s)));
    t.insert(s.into(), v.clone());
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths() {
        assert_eq!(PyStr::new("abc").char_len(), 3);
        assert!(PyStr::new("abc").is_ascii());
        let s = PyStr::new("héllo");
        assert_eq!(s.char_len(), 5);
        assert!(!s.is_ascii());
        assert_eq!(PyStr::new("x").hash(), PyStr::new("x").hash());
        let long = "ab".repeat(INLINE_CAP);
        let l = PyStr::from_string(long.clone());
        assert_eq!(l.as_str(), long);
        assert_eq!(l.hash(), hash_str(&long));
        let short = PyStr::from_string("é".repeat(INLINE_CAP / 2));
        assert_eq!(short.char_len(), INLINE_CAP / 2);
        assert_eq!(short.as_str(), "é".repeat(INLINE_CAP / 2));
        assert_eq!(PyStr::new("").as_str(), "");
    }

    #[test]
    fn decimal_digits() {
        for n in [0, 7, -7, 10, 1234567890, i64::MIN, i64::MAX] {
            let mut s = String::new();
            push_i64(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }

    #[test]
    fn interned_once() {
        assert!(intern("spam").is(&intern("spam")));
        assert_eq!(intern("spam").as_str(), Some("spam"));
        assert!(!intern("spam").is(&intern("eggs")));
    }
}
