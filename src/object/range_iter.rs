//! `range_iterator`: the iterator of `for i in range(n)`, stepped by one atomic add.
//!
//! Other iterators keep their state behind a lock (`ops::IterState`): a step is a lock and an
//! unlock, two atomic read-modify-writes. A range iterator's state is one counter, so a step is
//! one `fetch_add` that hands each index to exactly one caller: two threads sharing the
//! iterator get each value once between them, as they would under CPython's GIL.
//!
//! Invariant: `start + i * step` fits an `i64` for every `i < len` (the values of a range whose
//! bounds fit `i64`).

use std::sync::atomic::{AtomicU64, Ordering};

/// An iterator over `len` values `start`, `start + step`, ...
pub struct RangeIter {
    start: i64,
    step: i64,
    len: u64,
    /// The index of the next value (past `len` once exhausted; never wraps: it would take 2^64
    /// steps).
    index: AtomicU64,
}

impl RangeIter {
    /// The `len` values from `start` by `step` (see the module invariant).
    pub fn new(start: i64, step: i64, len: u64) -> RangeIter {
        RangeIter {
            start,
            step,
            len,
            index: AtomicU64::new(0),
        }
    }

    /// The next value, or None when exhausted.
    #[inline]
    pub fn next(&self) -> Option<i64> {
        // Relaxed: the counter publishes nothing but itself; each index goes to one caller
        // because the add is a single read-modify-write.
        let i = self.index.fetch_add(1, Ordering::Relaxed);
        (i < self.len).then(|| self.start.wrapping_add((i as i64).wrapping_mul(self.step)))
    }
}

#[cfg(test)]
mod tests {
    use super::RangeIter;
    use std::sync::Arc;

    #[test]
    fn yields_each_value_once_then_stays_exhausted() {
        let it = RangeIter::new(10, -3, 4);
        let got: Vec<i64> = std::iter::from_fn(|| it.next()).collect();
        assert_eq!(got, [10, 7, 4, 1]);
        assert_eq!(it.next(), None);
        assert_eq!(
            RangeIter::new(i64::MAX - 2, 1, 3).next(),
            Some(i64::MAX - 2)
        );
    }

    #[test]
    fn threads_sharing_it_split_the_values() {
        let it = Arc::new(RangeIter::new(0, 1, 100_000));
        let workers: Vec<_> = (0..4)
            .map(|_| {
                let it = it.clone();
                std::thread::spawn(move || std::iter::from_fn(|| it.next()).collect::<Vec<_>>())
            })
            .collect();
        let mut all: Vec<i64> = workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect();
        all.sort_unstable();
        assert!(all.iter().copied().eq(0..100_000));
    }
}
