//! The counting rules, each path: the owner's, a stranger's, the queue, orphans, weak
//! references, and threads racing on one object.

use super::*;
use crate::object::Value;
use std::sync::atomic::AtomicU8;
use std::sync::{Arc, Barrier};

/// Runs `f` on a new thread that owns what it creates, with its poll byte.
fn owning<R: Send>(f: impl FnOnce(&Ownership, &AtomicU8) -> R + Send) -> R {
    std::thread::scope(|s| {
        s.spawn(|| {
            let (poll, trip) = (AtomicU8::new(0), std::sync::atomic::AtomicUsize::new(0));
            // SAFETY: `poll` and `trip` outlive the ownership, which ends on this thread.
            let o = unsafe { Ownership::begin(&poll, &trip) };
            let r = f(&o, &poll);
            drop(o);
            r
        })
        .join()
        .unwrap()
    })
}

fn word(v: &Value) -> i64 {
    // SAFETY: `v` holds a strong reference.
    unsafe { header(v.obj().unwrap()) }
        .word
        .load(Ordering::Relaxed)
}

fn local(v: &Value) -> u32 {
    // SAFETY: as above.
    unsafe { header(v.obj().unwrap()) }
        .local
        .load(Ordering::Relaxed)
}

#[test]
fn the_owner_counts_in_local() {
    owning(|o, _| {
        let v = Value::list(vec![]);
        assert_eq!((local(&v), word(&v)), (1, 1));
        let w = v.clone();
        assert_eq!((local(&v), word(&v), v.ref_count()), (2, 1, 2));
        assert!(!v.is_unique());
        drop(w);
        assert!(v.is_unique());
        assert_ne!(o.id(), NOT_AN_OWNER);
    });
}

#[test]
fn a_thread_without_ownership_creates_merged_objects() {
    std::thread::spawn(|| {
        let v = Value::list(vec![]);
        assert_eq!(flags(word(&v)), MERGED);
        assert_eq!(v.ref_count(), 1);
        assert!(v.is_unique());
        let w = v.clone();
        assert_eq!(shared(word(&v)), 2);
        let weak = v.downgrade().unwrap();
        drop((v, w));
        assert!(!weak.is_alive());
        assert!(Value::upgrade(&weak).is_none());
    })
    .join()
    .unwrap();
}

/// Rule 3's merge: the owner's last reference goes while a stranger holds one.
#[test]
fn the_owner_merges_when_a_stranger_holds_on() {
    let (v, weak) = owning(|_, _| {
        let v = Value::list(vec![]);
        let held = v.clone();
        let weak = v.downgrade().unwrap();
        // The stranger's reference is an increment of `shared`, made on another thread.
        let stranger = std::thread::scope(|s| s.spawn(|| held.clone()).join().unwrap());
        drop((v, held));
        assert_eq!(flags(word(&stranger)), MERGED);
        assert_eq!(stranger.ref_count(), 1);
        (stranger, weak)
    });
    assert!(v.is_unique());
    drop(v);
    assert!(!weak.is_alive());
}

/// Rule 4's queue: a stranger releases the reference the owner handed it; the owner merges
/// at its next drain and frees the object.
#[test]
fn a_released_handed_reference_is_queued_and_merged() {
    owning(|o, poll| {
        let v = Value::list(vec![]);
        let weak = v.downgrade().unwrap();
        std::thread::scope(|s| s.spawn(move || drop(v)).join().unwrap());
        assert_eq!(flags(word_of(&weak)), QUEUED);
        assert_eq!(poll.load(Ordering::Relaxed), 1);
        assert!(weak.is_alive(), "the queue holds it until the owner merges");
        o.drain();
        assert!(!weak.is_alive());
    });
}

fn word_of(w: &WeakRef) -> i64 {
    // SAFETY: the weak reference keeps the header.
    unsafe { header(w.as_ptr()) }.word.load(Ordering::Relaxed)
}

/// A queued object that others still use: the merge keeps it, with the right count.
#[test]
fn a_merge_keeps_what_is_still_referenced() {
    owning(|o, _| {
        let v = Value::list(vec![]);
        let mine = v.clone();
        std::thread::scope(|s| s.spawn(move || drop(v)).join().unwrap());
        o.drain();
        assert_eq!(flags(word(&mine)), MERGED);
        assert_eq!(mine.ref_count(), 1);
        assert!(mine.is_unique());
    });
}

/// Step 4 and 5 of `owners`: the owner exits with objects still owned; a stranger's release
/// merges them itself, and frees the last.
#[test]
fn an_exited_owners_objects_are_merged_by_their_releasers() {
    let (v, weak) = owning(|_, _| {
        let v = Value::list(vec![]);
        let weak = v.downgrade().unwrap();
        (v, weak)
    });
    let w = v.clone();
    drop(v);
    assert!(weak.is_alive());
    drop(w);
    assert!(!weak.is_alive());
}

/// An orphan (its owner exited) is unique to the one that holds it: `is_unique` adopts it.
#[test]
fn an_orphan_is_adopted_by_is_unique() {
    let v = owning(|_, _| Value::list(vec![]));
    assert!(v.is_unique());
    assert_eq!(flags(word(&v)), MERGED);
    let w = v.clone();
    assert!(!v.is_unique());
    drop(w);
    assert!(v.is_unique());
}

/// A live owner's object is never unique to a stranger (only the owner knows its count).
#[test]
fn a_strangers_object_is_not_unique() {
    owning(|_, _| {
        let v = Value::list(vec![]);
        let answer = std::thread::scope(|s| s.spawn(|| v.clone().is_unique()).join().unwrap());
        assert!(!answer);
    });
}

/// Weak upgrades by the owner and by strangers, before and after death.
#[test]
fn weak_upgrades_follow_liveness() {
    owning(|_, _| {
        let v = Value::list(vec![]);
        let weak = v.downgrade().unwrap();
        let up = Value::upgrade(&weak).unwrap();
        assert_eq!(v.ref_count(), 2);
        let from_stranger =
            std::thread::scope(|s| s.spawn(|| Value::upgrade(&weak)).join().unwrap());
        assert_eq!(v.ref_count(), 3);
        drop((up, from_stranger, v));
        assert!(!weak.is_alive());
        assert!(Value::upgrade(&weak).is_none());
        let late = std::thread::scope(|s| s.spawn(|| Value::upgrade(&weak)).join().unwrap());
        assert!(late.is_none());
    });
}

/// An immortal object (its owner's count overflowed) is never freed.
#[test]
fn an_overflowed_count_makes_the_object_immortal() {
    owning(|_, _| {
        let v = Value::list(vec![]);
        let weak = v.downgrade().unwrap();
        // SAFETY: we own the object; pretend we made u32::MAX - 2 more references.
        unsafe { header(v.obj().unwrap()) }
            .local
            .store(IMMORTAL - 1, Ordering::Relaxed);
        let extra = v.clone();
        assert_eq!(local(&v), IMMORTAL);
        drop(extra);
        drop(v.clone());
        assert_eq!(local(&v), IMMORTAL);
        drop(v);
        assert!(weak.is_alive(), "leaked, never freed early");
    });
}

/// Many strangers clone and release one owned object while the owner does too and drains;
/// after everyone is done the count is exact and the last release frees it, once.
#[test]
fn threads_racing_on_one_object_count_exactly() {
    const THREADS: usize = 4;
    const ROUNDS: usize = 2000;
    owning(|o, _| {
        let v = Value::list(vec![Value::str("payload")]);
        let weak = v.downgrade().unwrap();
        let barrier = Arc::new(Barrier::new(THREADS + 1));
        std::thread::scope(|s| {
            for t in 0..THREADS {
                let handed = v.clone(); // counted by the owner, released by the stranger
                let barrier = barrier.clone();
                let weak = &weak;
                s.spawn(move || {
                    barrier.wait();
                    let mut keep = Vec::new();
                    for i in 0..ROUNDS {
                        keep.push(handed.clone());
                        if i % 3 == t % 3 {
                            keep.push(Value::upgrade(weak).expect("alive while handed"));
                        }
                        if keep.len() > 8 {
                            keep.clear();
                        }
                    }
                    drop(keep);
                    drop(handed);
                });
            }
            barrier.wait();
            for _ in 0..ROUNDS {
                let c = v.clone();
                o.drain();
                drop(c);
            }
        });
        o.drain();
        assert_eq!(v.ref_count(), 1);
        drop(v);
        o.drain();
        assert!(!weak.is_alive());
    });
}

/// Strangers release references the owner handed them while the owner exits: every object
/// is freed exactly once (no leak: the weak handles see them dead).
#[test]
fn releases_racing_with_the_owners_exit_free_everything() {
    for _ in 0..20 {
        let (strangers, weaks) = owning(|_, _| {
            let objects: Vec<Value> = (0..256).map(|i| Value::list(vec![Value::int(i)])).collect();
            let weaks: Vec<WeakRef> = objects.iter().map(|v| v.downgrade().unwrap()).collect();
            let go = Arc::new(Barrier::new(3));
            let strangers: Vec<_> = objects
                .chunks(128)
                .map(|c| {
                    let c = c.to_vec();
                    let go = go.clone();
                    std::thread::spawn(move || {
                        go.wait();
                        for v in c {
                            drop(v.clone());
                            drop(v);
                        }
                    })
                })
                .collect();
            drop(objects);
            go.wait();
            // The owner exits (the ownership ends) while the strangers release.
            (strangers, weaks)
        });
        for t in strangers {
            t.join().unwrap();
        }
        assert!(weaks.iter().all(|w| !w.is_alive()));
    }
}

/// The owner's merge (rule 3) racing with strangers' releases that free the object: the
/// merge must not write the header once the object can be freed (it holds a reference of
/// its own until it cleared `tid`: `disown`). Each round frees a batch of merged objects
/// from two sides at once.
#[test]
fn merges_racing_with_frees_write_nothing_freed() {
    owning(|_, _| {
        for _ in 0..50 {
            let objects: Vec<Value> = (0..200).map(|i| Value::list(vec![Value::int(i)])).collect();
            let weaks: Vec<WeakRef> = objects.iter().map(|v| v.downgrade().unwrap()).collect();
            let go = Barrier::new(2);
            std::thread::scope(|s| {
                // The stranger's own references (shared counts), released as the owner drops.
                let theirs: Vec<Value> =
                    std::thread::scope(|t| t.spawn(|| objects.to_vec()).join().unwrap());
                let go = &go;
                s.spawn(move || {
                    go.wait();
                    drop(theirs);
                });
                go.wait();
                drop(objects);
            });
            assert!(weaks.iter().all(|w| !w.is_alive()));
        }
    });
}

/// Step 6 of `owners`: while the owner is parked, a stranger's release of a handed reference
/// merges and frees the object in the stranger's thread, with nothing queued.
#[test]
fn a_parked_owners_objects_are_freed_by_their_releaser() {
    owning(|o, poll| {
        let v = Value::list(vec![Value::list(vec![])]);
        let weak = v.downgrade().unwrap();
        let kept = v.clone();
        o.park();
        std::thread::scope(|s| s.spawn(move || drop(v)).join().unwrap());
        // Still referenced by `kept`: merged, with the right count, nothing queued.
        o.unpark();
        assert_eq!(poll.load(Ordering::Relaxed), 0);
        assert_eq!(flags(word(&kept)), MERGED);
        assert_eq!(kept.ref_count(), 1);
        let handed = kept.clone();
        o.park();
        let freed_there = std::thread::scope(|s| {
            s.spawn(|| {
                drop(handed);
                !weak.is_alive()
            })
            .join()
            .unwrap()
        });
        o.unpark();
        assert!(!freed_there, "`kept` still holds it");
        drop(kept);
        assert!(!weak.is_alive());
        let w = Value::list(vec![]);
        let weak = w.downgrade().unwrap();
        o.park();
        let freed_there = std::thread::scope(|s| {
            s.spawn(move || {
                drop(w);
                !weak.is_alive()
            })
            .join()
            .unwrap()
        });
        o.unpark();
        assert!(freed_there, "freed by the releaser, not queued");
        assert_eq!(poll.load(Ordering::Relaxed), 0);
    });
}

/// A helper thread working for a waiting owner (the compiler's) makes objects its lender
/// owns: counted with plain operations once back, and freed without a merge.
#[test]
fn a_lent_id_makes_objects_for_the_lender() {
    owning(|_, _| {
        let lent = Lent::of_this_thread();
        // SAFETY: this thread only joins the helper meanwhile.
        let v = std::thread::spawn(move || unsafe { lent.run(|| Value::list(vec![])) })
            .join()
            .unwrap();
        assert_eq!(
            (local(&v), word(&v)),
            (1, 1),
            "owned by the lender, not merged"
        );
        assert!(v.is_unique());
    });
}

/// A small deterministic generator (xorshift), so the schedule below is the same every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Every path at once: an owner makes objects, hands references to strangers, clones and
/// drops its own, parks, unparks and drains at random, and exits before some strangers are
/// done (so they merge orphans, and adopt them through `is_unique`); strangers clone, drop,
/// upgrade weak references and pass references to each other. At the end every object is
/// dead: no count was lost (a leak) and, in debug builds, none was freed twice (`free`'s
/// check).
#[test]
fn random_schedules_free_everything_once() {
    const OBJECTS: usize = 64;
    const STRANGERS: usize = 3;
    for seed in 1..=12u64 {
        let (weaks, strangers) = owning(|o, _| {
            let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
            let objects: Vec<Value> = (0..OBJECTS)
                .map(|i| Value::list(vec![Value::int(i as i64)]))
                .collect();
            let weaks: Vec<WeakRef> = objects.iter().map(|v| v.downgrade().unwrap()).collect();
            let (tx, rx): (Vec<_>, Vec<_>) = (0..STRANGERS)
                .map(|_| std::sync::mpsc::channel::<Value>())
                .unzip();
            let strangers: Vec<_> = rx
                .into_iter()
                .enumerate()
                .map(|(k, rx)| {
                    let weaks: Vec<WeakRef> = weaks.clone();
                    std::thread::spawn(move || {
                        let mut rng =
                            Rng(seed ^ (k as u64 + 1).wrapping_mul(0x2545_f491_4f6c_dd1d));
                        let mut held: Vec<Value> = Vec::new();
                        for v in rx {
                            held.push(v);
                            match rng.below(4) {
                                0 => drop(held.swap_remove(rng.below(held.len()))),
                                1 => held.push(held[rng.below(held.len())].clone()),
                                2 => held.extend(Value::upgrade(&weaks[rng.below(OBJECTS)])),
                                _ => {
                                    let i = rng.below(held.len());
                                    let _ = held[i].is_unique();
                                }
                            }
                        }
                        // The owner may have exited by now: these are orphans, or not.
                        while let Some(v) = held.pop() {
                            let _ = v.is_unique();
                        }
                    })
                })
                .collect();
            let mut mine = objects;
            let mut weaks = weaks;
            for round in 0..20_000 {
                if mine.len() < 8 {
                    // New objects as the old ones go to the strangers.
                    let v = Value::list(vec![Value::int(round)]);
                    weaks.push(v.downgrade().unwrap());
                    mine.push(v);
                }
                let i = rng.below(mine.len());
                match rng.below(6) {
                    0 | 1 => {
                        let _ = tx[rng.below(STRANGERS)].send(mine[i].clone());
                    }
                    2 => {
                        // Handed over for good: the stranger releases the owner's count.
                        let _ = tx[rng.below(STRANGERS)].send(mine.swap_remove(i));
                    }
                    3 => o.drain(),
                    4 => {
                        o.park();
                        std::thread::yield_now();
                        o.unpark();
                    }
                    _ => drop(mine[i].clone()),
                }
            }
            drop(mine);
            o.drain();
            drop(tx);
            // The ownership ends now, with strangers still holding references.
            (weaks, strangers)
        });
        for s in strangers {
            s.join().unwrap();
        }
        let alive = weaks.iter().filter(|w| w.is_alive()).count();
        assert_eq!(alive, 0, "seed {seed}: objects left alive");
    }
}
