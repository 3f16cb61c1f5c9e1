//! Sorting as CPython 3.13's `list.sort` does it: keys computed first, only `<` comparisons,
//! stable, `reverse` by reversing before and after a stable sort, and CPython's timsort run
//! detection (`count_run`), binary insertion sort for short runs and powersort merge order, so the
//! first comparison that fails (`'<' not supported between ...`) is the one CPython reports.
//! Merges are plain (no galloping): the result is the same, only large-merge comparison counts
//! differ.

use super::super::{PyResult, Value};
use super::compare::lt;
use crate::thread::ThreadState;

/// Sorts `items` in place (`list.sort(key=key, reverse=reverse)`).
pub fn sort_values(
    ts: &mut ThreadState,
    items: &mut Vec<Value>,
    key: Option<&Value>,
    reverse: bool,
) -> PyResult<()> {
    let mut keys: Vec<Value> = match key {
        Some(f) if !f.is_none() => {
            let mut keys = Vec::with_capacity(items.len());
            for x in items.iter() {
                keys.push(crate::interp::call(ts, f, std::slice::from_ref(x), &[])?);
            }
            keys
        }
        _ => items.clone(),
    };
    if reverse {
        keys.reverse();
        items.reverse();
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    let mut cmp = |a: &usize, b: &usize| lt(ts, &keys[*a], &keys[*b]);
    let r = timsort(&mut order, &mut cmp);
    let sorted: Vec<Value> = order.iter().map(|&i| items[i].clone()).collect();
    *items = sorted;
    if reverse {
        items.reverse();
    }
    r
}

type Lt<'a, T> = dyn FnMut(&T, &T) -> PyResult<bool> + 'a;

fn compute_minrun(mut n: usize) -> usize {
    let mut r = 0;
    while n >= 64 {
        r |= n & 1;
        n >>= 1;
    }
    n + r
}

/// CPython 3.13's `count_run`: the length of the run at the start of `a` (made ascending).
fn count_run<T>(a: &mut [T], lt: &mut Lt<T>) -> PyResult<usize> {
    let len = a.len();
    let mut n = 1;
    while n < len {
        if lt(&a[n], &a[n - 1])? {
            break;
        }
        n += 1;
    }
    if n == len {
        return Ok(n);
    }
    if n > 1 {
        if lt(&a[0], &a[n - 1])? {
            return Ok(n);
        }
        a[..n].reverse();
    }
    n += 1;
    let mut neq = 0;
    while n < len {
        if lt(&a[n], &a[n - 1])? {
            if neq > 0 {
                let start = n - (neq + 1);
                a[start..n].reverse();
                neq = 0;
            }
        } else if lt(&a[n - 1], &a[n])? {
            break;
        } else {
            neq += 1;
        }
        n += 1;
    }
    if neq > 0 {
        let start = n - (neq + 1);
        a[start..n].reverse();
    }
    a[..n].reverse();
    while n < len {
        if lt(&a[n], &a[n - 1])? {
            break;
        }
        n += 1;
    }
    Ok(n)
}

/// Binary insertion sort of `a`, whose first `ok` items are sorted.
fn binary_sort<T: Clone>(a: &mut [T], ok: usize, lt: &mut Lt<T>) -> PyResult<()> {
    let mut ok = ok.max(1);
    while ok < a.len() {
        let pivot = a[ok].clone();
        let (mut l, mut r) = (0, ok);
        while l < r {
            let m = (l + r) >> 1;
            if lt(&pivot, &a[m])? {
                r = m;
            } else {
                l = m + 1;
            }
        }
        a[l..=ok].rotate_right(1);
        ok += 1;
    }
    Ok(())
}

fn powerloop(s1: usize, n1: usize, n2: usize, n: usize) -> u32 {
    let mut result = 0;
    let mut a = 2 * s1 + n1;
    let mut b = a + n1 + n2;
    loop {
        result += 1;
        if a >= n {
            a -= n;
            b -= n;
        } else if b >= n {
            break;
        }
        a <<= 1;
        b <<= 1;
    }
    result
}

struct Run {
    base: usize,
    len: usize,
    power: u32,
}

/// Merges the adjacent sorted runs `a[lo..mid]` and `a[mid..hi]` (stable).
fn merge<T: Clone>(a: &mut [T], lo: usize, mid: usize, hi: usize, lt: &mut Lt<T>) -> PyResult<()> {
    let left: Vec<T> = a[lo..mid].to_vec();
    let (mut i, mut j, mut k) = (0, mid, lo);
    let mut result = Ok(());
    while i < left.len() && j < hi {
        match lt(&a[j], &left[i]) {
            Ok(true) => {
                a[k] = a[j].clone();
                j += 1;
            }
            Ok(false) => {
                a[k] = left[i].clone();
                i += 1;
            }
            Err(e) => {
                result = Err(e);
                break;
            }
        }
        k += 1;
    }
    // Whatever happened, put the remaining left items back so `a` stays a permutation.
    while i < left.len() {
        if k < j {
            a[k] = left[i].clone();
            k += 1;
            i += 1;
        } else {
            break;
        }
    }
    result
}

/// CPython's timsort driver over `a` with the `<` of `lt`.
pub fn timsort<T: Clone>(a: &mut [T], lt: &mut Lt<T>) -> PyResult<()> {
    let n = a.len();
    if n < 2 {
        return Ok(());
    }
    let minrun = compute_minrun(n);
    let mut runs: Vec<Run> = Vec::new();
    let mut lo = 0;
    while lo < n {
        let remaining = n - lo;
        let mut run = count_run(&mut a[lo..], lt)?;
        if run < minrun {
            let force = remaining.min(minrun);
            binary_sort(&mut a[lo..lo + force], run, lt)?;
            run = force;
        }
        if let Some(last) = runs.last() {
            let power = powerloop(last.base, last.len, run, n);
            while runs.len() > 1 && runs[runs.len() - 2].power > power {
                let i = runs.len() - 2;
                merge_at(a, &mut runs, i, lt)?;
            }
            if let Some(last) = runs.last_mut() {
                last.power = power;
            }
        }
        runs.push(Run {
            base: lo,
            len: run,
            power: 0,
        });
        lo += run;
    }
    while runs.len() > 1 {
        let i = runs.len() - 2;
        merge_at(a, &mut runs, i, lt)?;
    }
    Ok(())
}

fn merge_at<T: Clone>(a: &mut [T], runs: &mut Vec<Run>, i: usize, lt: &mut Lt<T>) -> PyResult<()> {
    let (base, len1) = (runs[i].base, runs[i].len);
    let len2 = runs[i + 1].len;
    runs[i].len = len1 + len2;
    runs.remove(i + 1);
    merge(a, base, base + len1, base + len1 + len2, lt)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sort_logged(items: &[i64]) -> (Vec<i64>, Vec<(i64, i64)>) {
        let mut v = items.to_vec();
        let mut log = Vec::new();
        let mut lt = |a: &i64, b: &i64| {
            log.push((*a, *b));
            Ok(a < b)
        };
        timsort(&mut v, &mut lt).unwrap();
        (v, log)
    }

    #[test]
    fn sorts_and_compares_like_cpython() {
        // CPython 3.13, logging (a, b) of every a < b:
        // [3, 'a', 1] fails on its first comparison, 'a' < 3.
        let (v, log) = sort_logged(&[3, 2, 1]);
        assert_eq!(v, vec![1, 2, 3]);
        assert_eq!(log, vec![(2, 3), (1, 2)]);
        let (v, log) = sort_logged(&[1, 3, 2, 5, 4]);
        assert_eq!(v, vec![1, 2, 3, 4, 5]);
        assert_eq!(
            log,
            vec![
                (3, 1),
                (2, 3),
                (1, 3),
                (2, 3),
                (2, 1),
                (5, 2),
                (5, 3),
                (4, 3),
                (4, 5)
            ]
        );
        let (_, log) = sort_logged(&[39, 16, 47, 22, 44, 47, 41, 33, 1, 29]);
        let expect = vec![
            (16, 39),
            (47, 16),
            (16, 47),
            (47, 39),
            (22, 47),
            (22, 39),
            (22, 16),
            (44, 39),
            (44, 47),
            (47, 39),
            (47, 47),
            (41, 44),
            (41, 22),
            (41, 39),
            (33, 41),
            (33, 22),
            (33, 39),
            (1, 41),
            (1, 33),
            (1, 22),
            (1, 16),
            (29, 39),
            (29, 22),
            (29, 33),
        ];
        assert_eq!(log, expect);
        let items = [
            49, 15, 41, 3, 10, 7, 23, 30, 15, 24, 34, 6, 36, 15, 0, 46, 13, 26, 17, 11, 49, 24, 10,
            48, 4, 8, 39, 39, 28, 8, 8, 0, 0, 13, 49, 13, 10, 10, 18, 20, 12, 34, 43, 40, 13, 11,
            44, 12, 24, 19, 1, 23, 26, 10, 9, 16, 4, 21, 19, 38, 37, 0, 38, 43, 45, 21, 4, 19, 22,
            19,
        ];
        let (_, log) = sort_logged(&items);
        let expect = vec![
            (15, 49),
            (41, 15),
            (15, 41),
            (41, 49),
            (41, 49),
            (41, 15),
            (3, 41),
            (3, 15),
            (10, 41),
            (10, 15),
            (10, 3),
            (7, 15),
            (7, 10),
            (7, 3),
            (23, 15),
            (23, 49),
            (23, 41),
            (30, 15),
            (30, 41),
            (30, 23),
            (15, 23),
            (15, 10),
            (15, 15),
            (24, 15),
            (24, 41),
            (24, 30),
            (24, 23),
            (34, 23),
            (34, 41),
            (34, 30),
            (6, 23),
            (6, 10),
            (6, 7),
            (6, 3),
            (36, 23),
            (36, 34),
            (36, 49),
            (36, 41),
            (15, 23),
            (15, 10),
        ];
        assert_eq!(log[..40], expect[..]);
    }

    #[test]
    fn large_sort_is_correct_and_stable() {
        let items: Vec<i64> = (0..1000).map(|i| (i * 7919) % 1000).collect();
        let (v, _) = sort_logged(&items);
        let mut expect = items.clone();
        expect.sort();
        assert_eq!(v, expect);
        // Stability: sort pairs by first element only.
        let mut pairs: Vec<(i64, usize)> = (0..500).map(|i| ((i * 31 % 7) as i64, i)).collect();
        let mut lt = |a: &(i64, usize), b: &(i64, usize)| Ok(a.0 < b.0);
        timsort(&mut pairs, &mut lt).unwrap();
        for w in pairs.windows(2) {
            assert!(w[0].0 < w[1].0 || (w[0].0 == w[1].0 && w[0].1 < w[1].1));
        }
    }
}
