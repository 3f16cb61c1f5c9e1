//! The iterators of every loop, `for i in range(n)` and `for x in a_list` (or a tuple), with
//! their state in one atomic word instead of behind a lock.
//!
//! Other iterators keep their state behind a lock (`ops::IterState`): a step is a lock and an
//! unlock, two atomic read-modify-writes. Here a step is one: a range iterator's `fetch_add`,
//! or a sequence iterator's compare-exchange of its index. Each hands every index to exactly
//! one caller, so threads sharing an iterator get each item once between them, and nothing
//! after it was found exhausted, as under CPython's GIL.
//!
//! Invariants: a [`RangeIter`]'s `start + i * step` fits an `i64` for every `i < len` (the
//! values of a range whose bounds fit `i64`); a [`SeqIter`]'s sequence is a list or a tuple.

use super::{Object, Value};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

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
        self.value(i)
    }

    /// [`RangeIter::next`] for a caller that holds the iterator's only reference
    /// (`Value::is_exclusive`), which no other thread can then reach: a plain load and store
    /// of the index (a `for` loop's iterator, in its stack slot, steps with no atomic
    /// read-modify-write).
    #[inline]
    pub fn next_exclusive(&self) -> Option<i64> {
        let i = self.index.load(Ordering::Relaxed);
        self.index.store(i + 1, Ordering::Relaxed);
        self.value(i)
    }

    #[inline]
    fn value(&self, i: u64) -> Option<i64> {
        (i < self.len).then(|| self.start.wrapping_add((i as i64).wrapping_mul(self.step)))
    }
}

/// `list_iterator` / `tuple_iterator`: the items of a list (seeing appends made before it gets
/// there) or a tuple, by index.
pub struct SeqIter {
    seq: Value,
    /// The next index, or [`SeqIter::DONE`] once exhausted (for good, as in CPython).
    index: AtomicUsize,
}

impl SeqIter {
    const DONE: usize = usize::MAX;

    /// An iterator over `seq`, a list or a tuple.
    pub fn new(seq: Value) -> SeqIter {
        debug_assert!(matches!(
            seq.obj(),
            Some(Object::List(_) | Object::Tuple(_))
        ));
        SeqIter {
            seq,
            index: AtomicUsize::new(0),
        }
    }

    /// The list or tuple.
    pub fn seq(&self) -> &Value {
        &self.seq
    }

    /// CPython's name of its type.
    pub fn type_name(&self) -> &'static str {
        match self.seq.obj() {
            Some(Object::Tuple(_)) => "tuple_iterator",
            _ => "list_iterator",
        }
    }

    /// The next item, or None when exhausted.
    // Not inlined: in the eval loop's `ForIter` it would crowd the loop's registers.
    #[inline(never)]
    pub fn next(&self) -> Option<Value> {
        match self.seq.obj() {
            Some(Object::List(l)) => {
                let items = l.lock();
                // Relaxed load and store, no read-modify-write: every step of an iterator over
                // a list (its only sequence) holds this list's lock, which orders them. An item
                // is handed out by the step that moves the index past it; exhaustion is final.
                let i = self.index.load(Ordering::Relaxed);
                let item = if i == Self::DONE {
                    None
                } else {
                    items.get(i).cloned()
                };
                let after = if item.is_some() { i + 1 } else { Self::DONE };
                self.index.store(after, Ordering::Relaxed);
                item
            }
            Some(Object::Tuple(t)) => {
                // Relaxed: the index publishes nothing but itself (a tuple is immutable). An
                // item is handed out only by the exchange that moves the index past it.
                let mut i = self.index.load(Ordering::Relaxed);
                loop {
                    let item = t.get(i).cloned();
                    let after = if item.is_some() { i + 1 } else { Self::DONE };
                    match self.index.compare_exchange_weak(
                        i,
                        after,
                        Ordering::Relaxed,
                        Ordering::Relaxed,
                    ) {
                        Ok(_) => return item,
                        Err(now) => i = now,
                    }
                }
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{RangeIter, SeqIter};
    use crate::object::Value;
    use std::sync::Arc;

    /// An iterator held by one reference steps without a read-modify-write, and continues
    /// where the shared stepping left off (and the other way round).
    #[test]
    fn exclusive_steps_continue_the_shared_ones() {
        use crate::object::ops::iter::range_next;
        use crate::object::Object;
        let v = Value::from_object(Object::RangeIter(RangeIter::new(0, 1, 5)));
        let Some(Object::RangeIter(r)) = v.obj() else {
            unreachable!()
        };
        assert!(v.is_exclusive());
        assert_eq!((range_next(&v, r), r.next_exclusive()), (Some(0), Some(1)));
        let other = v.clone();
        assert!(!v.is_exclusive(), "two references: the shared step");
        assert_eq!(range_next(&other, r), Some(2));
        drop(other);
        let rest: Vec<i64> = std::iter::from_fn(|| range_next(&v, r)).collect();
        assert_eq!(rest, [3, 4]);
        assert_eq!(r.next(), None);
    }

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
    fn a_sequence_iterator_sees_appends_until_exhausted_then_stays_so() {
        let list = Value::list(vec![Value::int(1)]);
        let it = SeqIter::new(list.clone());
        assert_eq!(it.next().and_then(|v| v.as_small()), Some(1));
        let Some(crate::object::Object::List(l)) = list.obj() else {
            unreachable!()
        };
        l.lock().push(Value::int(2));
        assert_eq!(it.next().and_then(|v| v.as_small()), Some(2));
        assert!(it.next().is_none());
        l.lock().push(Value::int(3));
        assert!(it.next().is_none(), "exhausted for good");
        let t = SeqIter::new(Value::tuple(vec![Value::int(7), Value::int(8)]));
        let got: Vec<i64> = std::iter::from_fn(|| t.next())
            .filter_map(|v| v.as_small())
            .collect();
        assert_eq!(got, [7, 8]);
    }

    /// Four threads call `next` until it says None; all they got, sorted.
    fn drain_in_threads(next: impl Fn() -> Option<i64> + Send + Sync + 'static) -> Vec<i64> {
        let next = Arc::new(next);
        let workers: Vec<_> = (0..4)
            .map(|_| {
                let next = next.clone();
                std::thread::spawn(move || std::iter::from_fn(|| next()).collect::<Vec<_>>())
            })
            .collect();
        let mut all: Vec<i64> = workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect();
        all.sort_unstable();
        all
    }

    #[test]
    fn threads_sharing_a_sequence_iterator_split_the_items() {
        let it = SeqIter::new(Value::list((0..50_000).map(Value::int).collect()));
        let all = drain_in_threads(move || it.next().map(|v| v.as_small().unwrap()));
        assert!(all.iter().copied().eq(0..50_000));
    }

    #[test]
    fn threads_sharing_it_split_the_values() {
        let it = RangeIter::new(0, 1, 100_000);
        let all = drain_in_threads(move || it.next());
        assert!(all.iter().copied().eq(0..100_000));
    }
}
