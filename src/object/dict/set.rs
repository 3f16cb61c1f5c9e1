//! `SetTable`: the hash table behind `set`, a port of CPython 3.13's `Objects/setobject.c` table
//! (open addressing, runs of `LINEAR_PROBES` consecutive slots, then perturbed jumps; dummies on
//! deletion; growth when `fill * 5 >= mask * 3`), so a set iterates in CPython's order whenever
//! the hashes agree (ints, bools, floats, None and tuples of those).
//!
//! Invariants: the table length is a power of two `>= MIN_SIZE`; `used <= fill <= mask`, so at
//! least one slot is always empty and every probe sequence terminates; keys never run Python code
//! when compared ([`key_eq`]), so the owner may hold its lock across any operation here.

use super::{key_eq, HashKey};
use crate::object::Value;

/// `PySet_MINSIZE`.
const MIN_SIZE: usize = 8;
/// `LINEAR_PROBES`.
const LINEAR_PROBES: usize = 9;
/// `PERTURB_SHIFT`.
const PERTURB_SHIFT: u32 = 5;

#[derive(Clone, Default)]
enum Slot {
    #[default]
    Empty,
    Dummy,
    Active(HashKey),
}

/// A set's table.
#[derive(Clone)]
pub struct SetTable {
    table: Vec<Slot>,
    fill: usize,
    used: usize,
    finger: usize,
}

impl Default for SetTable {
    fn default() -> SetTable {
        SetTable::new()
    }
}

impl SetTable {
    /// An empty table.
    pub fn new() -> SetTable {
        SetTable {
            table: vec![Slot::Empty; MIN_SIZE],
            fill: 0,
            used: 0,
            finger: 0,
        }
    }

    fn mask(&self) -> usize {
        self.table.len() - 1
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.used
    }

    /// Is it empty?
    pub fn is_empty(&self) -> bool {
        self.used == 0
    }

    /// Index of the slot holding `key`, if present (`set_lookkey`).
    fn find(&self, key: &HashKey) -> Option<usize> {
        let mask = self.mask();
        let mut perturb = key.hash;
        let mut i = key.hash as usize & mask;
        loop {
            let probes = if i + LINEAR_PROBES <= mask {
                LINEAR_PROBES
            } else {
                0
            };
            for j in i..=i + probes {
                match &self.table[j] {
                    Slot::Empty => return None,
                    Slot::Active(k) if k.hash == key.hash && key_eq(&k.key, &key.key) => {
                        return Some(j)
                    }
                    _ => {}
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = (i
                .wrapping_mul(5)
                .wrapping_add(1)
                .wrapping_add(perturb as usize))
                & mask;
        }
    }

    /// `key in set`.
    pub fn contains(&self, key: &HashKey) -> bool {
        self.find(key).is_some()
    }

    /// Adds `key` (`set_add_entry`); true if it was not there.
    pub fn add(&mut self, key: HashKey) -> bool {
        let mask = self.mask();
        let mut perturb = key.hash;
        let mut i = key.hash as usize & mask;
        let mut freeslot: Option<usize> = None;
        let empty = loop {
            let probes = if i + LINEAR_PROBES <= mask {
                LINEAR_PROBES
            } else {
                0
            };
            let mut found = None;
            for j in i..=i + probes {
                match &self.table[j] {
                    Slot::Empty => {
                        found = Some(j);
                        break;
                    }
                    Slot::Active(k) => {
                        if k.hash == key.hash && key_eq(&k.key, &key.key) {
                            return false;
                        }
                    }
                    Slot::Dummy => {
                        if freeslot.is_none() {
                            freeslot = Some(j);
                        }
                    }
                }
            }
            if let Some(j) = found {
                break j;
            }
            perturb >>= PERTURB_SHIFT;
            i = (i
                .wrapping_mul(5)
                .wrapping_add(1)
                .wrapping_add(perturb as usize))
                & mask;
        };
        if let Some(f) = freeslot {
            self.table[f] = Slot::Active(key);
            self.used += 1;
            return true;
        }
        self.table[empty] = Slot::Active(key);
        self.fill += 1;
        self.used += 1;
        if self.fill * 5 >= mask * 3 {
            let minused = if self.used > 50_000 {
                self.used * 2
            } else {
                self.used * 4
            };
            self.resize(minused);
        }
        true
    }

    /// Same as [`SetTable::add`]; the value is ignored (the signature of `IndexMap::insert`, for
    /// code written against the earlier map-backed sets).
    pub fn insert(&mut self, key: HashKey, _value: Value) -> bool {
        self.add(key)
    }

    /// `set_insert_clean`: places a key known to be absent into a table without dummies.
    fn insert_clean(table: &mut [Slot], key: HashKey) {
        let mask = table.len() - 1;
        let mut perturb = key.hash;
        let mut i = key.hash as usize & mask;
        loop {
            if matches!(table[i], Slot::Empty) {
                table[i] = Slot::Active(key);
                return;
            }
            if i + LINEAR_PROBES <= mask {
                for slot in &mut table[i + 1..=i + LINEAR_PROBES] {
                    if matches!(slot, Slot::Empty) {
                        *slot = Slot::Active(key);
                        return;
                    }
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = (i
                .wrapping_mul(5)
                .wrapping_add(1)
                .wrapping_add(perturb as usize))
                & mask;
        }
    }

    /// `set_table_resize`: a table of the smallest size `> minused`, keys re-inserted in slot
    /// order, dummies dropped.
    fn resize(&mut self, minused: usize) {
        let mut newsize = MIN_SIZE;
        while newsize <= minused {
            newsize <<= 1;
        }
        let old = std::mem::replace(&mut self.table, vec![Slot::Empty; newsize]);
        for slot in old {
            if let Slot::Active(k) = slot {
                SetTable::insert_clean(&mut self.table, k);
            }
        }
        self.fill = self.used;
    }

    /// Removes `key` (`set_discard_entry`); true if it was there.
    pub fn remove(&mut self, key: &HashKey) -> bool {
        match self.find(key) {
            Some(i) => {
                self.table[i] = Slot::Dummy;
                self.used -= 1;
                true
            }
            None => false,
        }
    }

    /// `set.pop()`: the first key at or after the search finger.
    pub fn pop(&mut self) -> Option<Value> {
        if self.used == 0 {
            return None;
        }
        let mask = self.mask();
        let mut i = self.finger & mask;
        while !matches!(self.table[i], Slot::Active(_)) {
            i = if i == mask { 0 } else { i + 1 };
        }
        let Slot::Active(k) = std::mem::replace(&mut self.table[i], Slot::Dummy) else {
            return None;
        };
        self.used -= 1;
        self.finger = i + 1;
        Some(k.key)
    }

    /// Removes every key (back to the minimum size).
    pub fn clear(&mut self) {
        *self = SetTable::new();
    }

    /// The keys in iteration order.
    pub fn iter(&self) -> impl Iterator<Item = &Value> + '_ {
        self.table.iter().filter_map(|s| match s {
            Slot::Active(k) => Some(&k.key),
            _ => None,
        })
    }

    /// The keys with their hashes, in iteration order.
    pub fn hash_keys(&self) -> impl Iterator<Item = &HashKey> + '_ {
        self.table.iter().filter_map(|s| match s {
            Slot::Active(k) => Some(k),
            _ => None,
        })
    }

    /// The keys, cloned, in iteration order.
    pub fn keys(&self) -> Vec<Value> {
        self.iter().cloned().collect()
    }

    /// The first key in slot `pos` or after it, with the position to continue from (for
    /// iterators that release the lock between items).
    pub fn next_from(&self, pos: usize) -> Option<(usize, Value)> {
        (pos..self.table.len()).find_map(|i| match &self.table[i] {
            Slot::Active(k) => Some((i + 1, k.key.clone())),
            _ => None,
        })
    }

    /// `set_merge`: adds every key of `other` (CPython's bulk path, so the resulting order is
    /// CPython's).
    pub fn merge(&mut self, other: &SetTable) {
        if other.used == 0 {
            return;
        }
        if (self.fill + other.used) * 5 >= self.mask() * 3 {
            self.resize((self.used + other.used) * 2);
        }
        if self.fill == 0 && self.mask() == other.mask() && other.fill == other.used {
            for (dst, src) in self.table.iter_mut().zip(other.table.iter()) {
                if let Slot::Active(k) = src {
                    *dst = Slot::Active(k.clone());
                }
            }
            self.fill = other.fill;
            self.used = other.used;
            return;
        }
        if self.fill == 0 {
            self.fill = other.used;
            self.used = other.used;
            for k in other.hash_keys() {
                SetTable::insert_clean(&mut self.table, k.clone());
            }
            return;
        }
        for k in other.hash_keys() {
            self.add(k.clone());
        }
    }

    /// Prepares for adding `n` keys of a dict at once (the presize step of `set_update_internal`
    /// for dict arguments).
    pub fn presize_for(&mut self, n: usize) {
        if (self.fill + n) * 5 >= self.mask() * 3 {
            self.resize((self.used + n) * 2);
        }
    }

    /// A copy (`set.copy()`, `make_new_set` from a set): merged into a fresh table.
    pub fn copy(&self) -> SetTable {
        let mut t = SetTable::new();
        t.merge(self);
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set_of(items: &[i64]) -> SetTable {
        let mut t = SetTable::new();
        for &i in items {
            t.add(HashKey::new(Value::int(i)).unwrap());
        }
        t
    }

    fn order(t: &SetTable) -> Vec<i64> {
        t.iter().map(|v| v.as_small().unwrap()).collect()
    }

    #[test]
    fn small_int_order_matches_cpython() {
        // CPython 3.13: print(set([5, 3, 17, 1, 9, 33, 100, 64]))
        let t = set_of(&[5, 3, 17, 1, 9, 33, 100, 64]);
        assert_eq!(order(&t), vec![64, 1, 33, 3, 100, 5, 9, 17]);
        // {x * 7 for x in range(20)}
        let items: Vec<i64> = (0..20).map(|x| x * 7).collect();
        let t = set_of(&items);
        assert_eq!(
            order(&t),
            vec![0, 133, 7, 14, 21, 28, 35, 42, 49, 56, 63, 70, 77, 84, 91, 98, 105, 112, 119, 126]
        );
    }

    #[test]
    fn add_remove_pop() {
        let mut t = set_of(&[1, 2, 3]);
        assert!(!t.add(HashKey::new(Value::int(2)).unwrap()));
        assert!(t.remove(&HashKey::new(Value::int(2)).unwrap()));
        assert!(!t.contains(&HashKey::new(Value::int(2)).unwrap()));
        assert_eq!(t.len(), 2);
        assert_eq!(t.pop().and_then(|v| v.as_small()), Some(1));
        assert_eq!(t.pop().and_then(|v| v.as_small()), Some(3));
        assert!(t.pop().is_none());
    }

    #[test]
    fn many_keys() {
        let items: Vec<i64> = (0..1000).map(|x| x * 31).collect();
        let t = set_of(&items);
        assert_eq!(t.len(), 1000);
        for &i in &items {
            assert!(t.contains(&HashKey::new(Value::int(i)).unwrap()));
        }
        let c = t.copy();
        assert_eq!(c.len(), 1000);
    }
}
