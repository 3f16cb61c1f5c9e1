//! Fallible allocation for sizes a program chooses.
//!
//! Rust aborts the process when an allocation fails; CPython raises `MemoryError`. Every
//! allocation whose size the program controls (a repetition count, a padding width, a precision,
//! the result of `str.replace` or `str.join`, a list that grows without bound) goes through these
//! functions, so the program gets a `MemoryError` it can catch and the process goes on. The
//! runtime's own small allocations stay infallible: when even those fail, nothing sensible is
//! left to do.
//!
//! Growth keeps `Vec`'s amortized doubling: [`push`] asks for room only when the vector is full,
//! so the fast path is the same capacity check `Vec::push` makes.

use super::exc::err;
use super::PyResult;

/// A vector with room for `n` items, or `MemoryError`.
pub fn vec_with_capacity<T>(n: usize) -> PyResult<Vec<T>> {
    let mut v = Vec::new();
    v.try_reserve_exact(n).map_err(|_| err::memory_error())?;
    Ok(v)
}

/// Room for `additional` more items in `v` (amortized, as `Vec::reserve`), or `MemoryError`.
pub fn reserve<T>(v: &mut Vec<T>, additional: usize) -> PyResult<()> {
    v.try_reserve(additional).map_err(|_| err::memory_error())
}

/// `v.push(x)`, or `MemoryError` when `v` is full and cannot grow (`x` is dropped).
pub fn push<T>(v: &mut Vec<T>, x: T) -> PyResult<()> {
    if v.len() == v.capacity() {
        reserve(v, 1)?;
    }
    v.push(x);
    Ok(())
}

/// `v.extend(items)`, all or nothing: `MemoryError` leaves `v` as it was.
pub fn extend<T>(v: &mut Vec<T>, items: Vec<T>) -> PyResult<()> {
    reserve(v, items.len())?;
    v.extend(items);
    Ok(())
}

/// `out.push_str(s)`, or `MemoryError` when `out` cannot grow.
pub fn push_str(out: &mut String, s: &str) -> PyResult<()> {
    out.try_reserve(s.len()).map_err(|_| err::memory_error())?;
    out.push_str(s);
    Ok(())
}

/// A string with room for `n` bytes, or `MemoryError`.
pub fn string_with_capacity(n: usize) -> PyResult<String> {
    let mut s = String::new();
    s.try_reserve_exact(n).map_err(|_| err::memory_error())?;
    Ok(s)
}

/// `s` repeated `n` times, or `MemoryError` (an overflowing size included).
pub fn repeat_str(s: &str, n: usize) -> PyResult<String> {
    if s.is_empty() {
        // Any count, even an absurd one, without looping over it.
        return Ok(String::new());
    }
    let total = s.len().checked_mul(n).ok_or_else(err::memory_error)?;
    let mut out = string_with_capacity(total)?;
    for _ in 0..n {
        out.push_str(s);
    }
    Ok(out)
}

/// The concatenation of `parts`, sized first: `MemoryError` instead of an abort when the
/// result cannot be allocated.
pub fn concat(parts: &[&str]) -> PyResult<String> {
    let total = parts
        .iter()
        .try_fold(0usize, |acc, p| acc.checked_add(p.len()))
        .ok_or_else(err::memory_error)?;
    let mut out = string_with_capacity(total)?;
    for p in parts {
        out.push_str(p);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::object::ExcKind;

    #[test]
    fn impossible_sizes_are_memory_errors() {
        let e = vec_with_capacity::<u64>(usize::MAX / 4).unwrap_err();
        assert_eq!(e.kind(), ExcKind::MemoryError);
        let e = string_with_capacity(usize::MAX / 2).unwrap_err();
        assert_eq!(e.kind(), ExcKind::MemoryError);
        let e = repeat_str("ab", usize::MAX / 2 + 1).unwrap_err();
        assert_eq!(e.kind(), ExcKind::MemoryError);
        let mut v = vec![1u8];
        let e = reserve(&mut v, usize::MAX).unwrap_err();
        assert_eq!(e.kind(), ExcKind::MemoryError);
        assert_eq!(v, [1]);
    }

    #[test]
    fn possible_sizes_work() {
        assert_eq!(repeat_str("ab", 3).unwrap(), "ababab");
        assert_eq!(concat(&["a", "", "bc"]).unwrap(), "abc");
        let mut v = vec_with_capacity(0).unwrap();
        for i in 0..100 {
            push(&mut v, i).unwrap();
        }
        extend(&mut v, vec![100, 101]).unwrap();
        assert_eq!(v.len(), 102);
        assert_eq!(v[101], 101);
    }
}
