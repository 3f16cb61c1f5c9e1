//! [`Chunked`]: items in chunks of 8, 16, 32, ... that never move once pushed, appended through
//! a cursor that compiled code can advance too.
//!
//! An unwinding run appends one item per frame: a run of 1,000,000 frames is built without
//! copying what it holds, and a run of a few frames takes one small chunk. The store is
//! `#[repr(C)]` so that a JIT's compiled unwind step (`unwind::RunAbi`) can append in place:
//! while `cur < end` it writes the item at `cur`, then advances `cur` and `len` together, which
//! is exactly [`Chunked::push`] without the call.
//!
//! Invariants:
//! - chunk `k` has room for `FIRST << k` items and holds positions `FIRST * (2^k - 1)` up to
//!   `FIRST * (2^(k+1) - 1)` ([`Chunked::place`]); the positions `0..len` are initialized;
//! - `cur..end` is the free tail of the last chunk (`cur == end` when there is no chunk or the
//!   last one is full), so `len` and `cur` always name the same position.

use std::mem::MaybeUninit;

/// Capacity of the first chunk.
const FIRST: usize = 8;

/// The store (see the module docs).
#[repr(C)]
pub(super) struct Chunked<T> {
    /// Where the next item goes (in the last chunk).
    pub(super) cur: *mut T,
    /// The end of the last chunk.
    pub(super) end: *mut T,
    /// How many items are stored.
    pub(super) len: usize,
    chunks: Vec<Box<[MaybeUninit<T>]>>,
}

// SAFETY: the store owns its items as a `Vec` does; the pointers only point into its own chunks.
unsafe impl<T: Send> Send for Chunked<T> {}
// SAFETY: as above; shared access only reads.
unsafe impl<T: Sync> Sync for Chunked<T> {}

impl<T> Default for Chunked<T> {
    fn default() -> Chunked<T> {
        Chunked {
            cur: std::ptr::null_mut(),
            end: std::ptr::null_mut(),
            len: 0,
            chunks: Vec::new(),
        }
    }
}

impl<T> Chunked<T> {
    /// Chunk and offset of position `p` (module invariants).
    fn place(p: usize) -> (usize, usize) {
        let k = (p / FIRST + 1).ilog2() as usize;
        (k, p - FIRST * ((1 << k) - 1))
    }

    /// Appends `v`.
    #[inline]
    pub(super) fn push(&mut self, v: T) {
        if self.cur == self.end {
            self.grow();
        }
        // SAFETY: `cur < end`: a free slot of the last chunk (module invariants).
        unsafe {
            self.cur.write(v);
            self.cur = self.cur.add(1);
        }
        self.len += 1;
    }

    /// Starts the next chunk (the last one is full).
    #[cold]
    fn grow(&mut self) {
        let k = self.chunks.len();
        debug_assert_eq!(Self::place(self.len), (k, 0));
        let mut chunk = Box::new_uninit_slice(FIRST << k);
        let range = chunk.as_mut_ptr_range();
        self.cur = range.start as *mut T;
        self.end = range.end as *mut T;
        self.chunks.push(chunk);
    }

    /// The item at position `p < len`.
    #[inline]
    pub(super) fn get(&self, p: usize) -> &T {
        assert!(p < self.len);
        let (k, o) = Self::place(p);
        // SAFETY: positions below `len` are initialized, in chunk `k` at `o` (module invariants).
        unsafe {
            self.chunks
                .get_unchecked(k)
                .get_unchecked(o)
                .assume_init_ref()
        }
    }

    /// The item at position `p < len`.
    pub(super) fn get_mut(&mut self, p: usize) -> &mut T {
        assert!(p < self.len);
        let (k, o) = Self::place(p);
        // SAFETY: as in `get`.
        unsafe { self.chunks[k][o].assume_init_mut() }
    }

    /// The initialized part of each chunk, in position order.
    fn filled(&self) -> impl Iterator<Item = &[MaybeUninit<T>]> {
        let len = self.len;
        self.chunks.iter().enumerate().map(move |(k, c)| {
            let start = FIRST * ((1 << k) - 1);
            &c[..(len - start).min(c.len())]
        })
    }

    /// The items in position order.
    pub(super) fn iter(&self) -> impl Iterator<Item = &T> {
        // SAFETY: `filled` yields initialized items only.
        self.filled()
            .flatten()
            .map(|v| unsafe { v.assume_init_ref() })
    }
}

impl<T> Drop for Chunked<T> {
    /// Drops the items in position order.
    fn drop(&mut self) {
        let len = self.len;
        for (k, c) in self.chunks.iter_mut().enumerate() {
            let start = FIRST * ((1 << k) - 1);
            let n = (len - start).min(c.len());
            for v in &mut c[..n] {
                // SAFETY: initialized (module invariants), dropped once: the store is going.
                unsafe { v.assume_init_drop() };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Chunked;
    use std::rc::Rc;

    #[test]
    fn positions_round_trip() {
        let mut c = Chunked::default();
        for i in 0..10_000usize {
            c.push(i);
        }
        assert_eq!(c.len, 10_000);
        for p in [0, 7, 8, 23, 24, 55, 56, 9_999] {
            assert_eq!(*c.get(p), p);
        }
        assert!(c.iter().copied().eq(0..10_000));
        // Chunks double: 8, 16, 32, ... and never exceed twice what they hold.
        assert!(c.chunks.iter().map(|c| c.len()).sum::<usize>() < 2 * 10_000 + 8);
    }

    #[test]
    fn drops_each_item_once() {
        let item = Rc::new(());
        for n in [0, 1, 8, 9, 100] {
            let mut c = Chunked::default();
            (0..n).for_each(|_| c.push(item.clone()));
            assert_eq!(Rc::strong_count(&item), n + 1);
            drop(c);
            assert_eq!(Rc::strong_count(&item), 1);
        }
    }

    #[test]
    fn cursor_names_the_next_position() {
        let mut c = Chunked::default();
        for i in 0..100u64 {
            c.push(i);
            // What compiled code relies on: `cur` is where position `len` goes, until `end`.
            if c.cur != c.end {
                // SAFETY: a free slot of the last chunk.
                unsafe { c.cur.write(1000 + i) };
                c.cur = unsafe { c.cur.add(1) };
                c.len += 1;
                assert_eq!(*c.get(c.len - 1), 1000 + i);
            }
        }
    }
}
