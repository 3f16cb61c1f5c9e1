//! The debug map of one compiled code object: native address -> bytecode instruction.
//!
//! A JIT activation keeps no "current instruction" word: it is always blocked in a call when
//! anyone can look at it (a runtime helper, or a direct call into another JIT function), and the
//! return address of that call identifies the call site exactly. The compiler records one entry
//! per call site (keyed by the return address) and one per guard site (keyed by the address
//! right after the guard's conditional jump, where a deoptimization stub will resume the
//! bookkeeping in a later phase), so the map answers "which instruction is this activation
//! executing" with a binary search and no per-call store.
//!
//! Invariants: entries are sorted by offset and offsets are unique (two sites never end at the
//! same address); offsets are relative to the start of the code buffer, so the map is built
//! before the buffer's final address is known and never needs relocation.

/// What kind of site an entry describes.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum SiteKind {
    /// A call: the offset is the call's return address.
    Call,
    /// A type or overflow guard: the offset is the address after its conditional jump.
    Guard,
}

/// One site.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct DebugEntry {
    /// Offset of the site's address from the start of the code buffer.
    pub offset: u32,
    /// Index of the bytecode instruction the site belongs to.
    pub instr: u32,
    /// Call or guard.
    pub kind: SiteKind,
}

/// Sorted sites of one code buffer.
#[derive(Clone, Debug, Default)]
pub struct DebugMap {
    base: usize,
    len: usize,
    entries: Vec<DebugEntry>,
}

impl DebugMap {
    /// A map of `entries` for a buffer of `len` bytes at `base`.
    ///
    /// Panics if two entries share an offset (a compiler bug: the address would be ambiguous).
    pub fn new(base: usize, len: usize, mut entries: Vec<DebugEntry>) -> DebugMap {
        entries.sort_by_key(|e| e.offset);
        for w in entries.windows(2) {
            assert_ne!(w[0].offset, w[1].offset, "two debug sites at one address");
        }
        DebugMap { base, len, entries }
    }

    /// Does `addr` fall inside the code buffer?
    pub fn contains(&self, addr: usize) -> bool {
        addr >= self.base && addr < self.base + self.len
    }

    /// The site whose address is exactly `addr` (a return address or a guard address).
    pub fn lookup(&self, addr: usize) -> Option<DebugEntry> {
        if !self.contains(addr) {
            return None;
        }
        let off = (addr - self.base) as u32;
        self.entries
            .binary_search_by_key(&off, |e| e.offset)
            .ok()
            .map(|i| self.entries[i])
    }

    /// The instruction index of the call whose return address is `ret_addr`.
    pub fn instr_at(&self, ret_addr: usize) -> Option<usize> {
        self.lookup(ret_addr)
            .filter(|e| e.kind == SiteKind::Call)
            .map(|e| e.instr as usize)
    }

    /// All entries, sorted by offset.
    #[cfg(test)]
    pub fn entries(&self) -> &[DebugEntry] {
        &self.entries
    }

    /// Start address of the code buffer.
    #[cfg(test)]
    pub fn base(&self) -> usize {
        self.base
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_lookup_only() {
        let e = |offset, instr, kind| DebugEntry {
            offset,
            instr,
            kind,
        };
        let m = DebugMap::new(
            0x1000,
            0x100,
            vec![
                e(0x40, 3, SiteKind::Call),
                e(0x10, 1, SiteKind::Guard),
                e(0x20, 2, SiteKind::Call),
            ],
        );
        assert_eq!(m.instr_at(0x1020), Some(2));
        assert_eq!(m.instr_at(0x1040), Some(3));
        assert_eq!(m.instr_at(0x1010), None, "guards are not call sites");
        assert_eq!(m.lookup(0x1010).map(|e| e.instr), Some(1));
        assert_eq!(m.instr_at(0x1021), None);
        assert_eq!(m.instr_at(0x2000), None);
        assert!(m.entries().windows(2).all(|w| w[0].offset < w[1].offset));
    }
}
