//! `PyStr`: an immutable str with its hash and character count computed once.
//!
//! Python indexes strs by code point; `char_len` and `is_ascii` let the common ASCII case index
//! by byte in O(1).

/// An immutable Python str.
pub struct PyStr {
    s: Box<str>,
    hash: u64,
    char_len: usize,
}

impl PyStr {
    /// A str with the given contents.
    pub fn new(s: &str) -> PyStr {
        PyStr::from_string(s.to_owned())
    }

    /// A str taking ownership of `s`.
    pub fn from_string(s: String) -> PyStr {
        let char_len = if s.is_ascii() {
            s.len()
        } else {
            s.chars().count()
        };
        PyStr {
            hash: hash_str(&s),
            char_len,
            s: s.into_boxed_str(),
        }
    }

    /// The contents.
    #[inline]
    pub fn as_str(&self) -> &str {
        &self.s
    }

    /// The hash (stable within a process).
    #[inline]
    pub fn hash(&self) -> u64 {
        self.hash
    }

    /// Length in code points (`len(s)`).
    #[inline]
    pub fn char_len(&self) -> usize {
        self.char_len
    }

    /// Is every character ASCII (so byte index == char index)?
    #[inline]
    pub fn is_ascii(&self) -> bool {
        self.char_len == self.s.len()
    }
}

/// FNV-1a over the bytes, finished with a multiply-xorshift so short keys spread well.
pub fn hash_str(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in s.as_bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^= h >> 29;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^ (h >> 32)
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
    }
}
