//! [`SpinMutex`]: the lock of the objects whose state is taken for a few instructions at a time,
//! many times over (a list's items, a dict's map, a generator's frame, a frame object's
//! state): `lock_api`'s `Mutex` over [`RawSpinLock`], whose uncontended lock is one
//! compare-and-swap and whose release is one plain store and one plain load.
//!
//! Why not `parking_lot::Mutex`: its release is a second atomic read-modify-write (it must
//! learn, atomically, whether anyone parked), and an atomic read-modify-write costs about 13
//! plain increments (`benches/atomics.rs`); a list item read or a generator resumption pays it
//! on every step.
//!
//! The protocol:
//!
//! 1. `lock`: one compare-and-swap of `locked` from false to true. Failing that, spin on a plain
//!    load a few times (holders keep it for a few instructions).
//! 2. Still held: count itself in `waiters` and park on the lock's address (parking_lot_core),
//!    if it is still locked, for at most [`PARK_TIMEOUT`]; then retry from step 1.
//! 3. `unlock`: store false (release), then read `waiters`; if any, unpark them all.
//!
//! Step 3's load may be ordered before its store (x86 reorders a load before an earlier store
//! to another address), so a waiter that counted itself just then can park unwoken: the
//! timeout bounds that wait, and the lock never depends on a wake-up to be correct, only to
//! be prompt. A scheduler that runs one thread at a time (valgrind's) sees no such reordering,
//! and parks and wakes as with a `parking_lot::Mutex`, instead of polling a held lock while
//! the holder waits for a turn. Holders never wait for anything while they hold one (the
//! object model's invariant: no Python code, no other object of the same kind, no handshake).
//!
//! One thread: a process in which one thread runs Python code may say so
//! ([`assume_one_thread`], what `shadowpy` does until its program starts a thread); then step 1
//! is a plain load and store, as glibc drops its atomics before the first `pthread_create`.
//! The compare-and-swap cost a module-level loop 4% of its time (its globals' dict locks) and
//! a generator pipeline 3%. It is sound because no other thread takes a lock meanwhile: the
//! thread that starts another calls [`share`] first, and a thread sees everything its creator
//! did before creating it (including that store, and every release of a lock taken the plain
//! way), so from the start both threads take locks with the compare-and-swap; a helper thread
//! the holder waits for (the compiler's) is ordered with it by its spawn and join. Counts that
//! follow this mode ([`shared`]: the lazy frame records' `frame::LazyRef`) add and subtract
//! the same way, for the same reason.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// How long a parked waiter sleeps at most before it looks again (a missed wake-up's cost).
pub const PARK_TIMEOUT: Duration = Duration::from_micros(200);

/// Plain-load looks at a held lock before a waiter parks.
const SPINS: u32 = 64;

/// May several threads take locks at once? True unless the process declared one thread
/// ([`assume_one_thread`]) and has not started another since ([`share`]).
static SHARED: AtomicBool = AtomicBool::new(true);

/// Declares the calling thread the only one that takes object locks, until [`share`]: step 1
/// of the lock becomes a plain load and store (module docs, "One thread").
///
/// # Safety
/// From this call on, no other thread takes a [`SpinMutex`] except one that starts after a
/// call to [`share`] that happens before its start, or a helper whose whole run the caller
/// waits for (spawned and joined, as the compiler's thread is).
pub unsafe fn assume_one_thread() {
    // Relaxed: the caller is the only thread that reads it until `share`, and threads started
    // after `share` see that store through their spawn.
    SHARED.store(false, Ordering::Relaxed);
}

/// Other threads may take object locks from now on: call before starting a thread that runs
/// Python code (a no-op unless [`assume_one_thread`] was called).
pub fn share() {
    // Relaxed: see `assume_one_thread`; the caller starts the new thread afterwards, which
    // orders this store (and the caller's earlier releases) before everything it does.
    SHARED.store(true, Ordering::Relaxed);
}

/// May several threads take locks, or touch counts that follow the locks' mode, at once?
/// (False between [`assume_one_thread`] and [`share`].)
#[inline(always)]
pub fn shared() -> bool {
    SHARED.load(Ordering::Relaxed)
}

/// A lock that spins briefly, then parks (see the module docs).
pub struct RawSpinLock {
    locked: AtomicBool,
    /// Threads counted in step 2 (parked, or about to park or retry).
    waiters: AtomicU32,
}

/// A mutex over [`RawSpinLock`], with `lock_api`'s `Mutex` API.
pub type SpinMutex<T> = lock_api::Mutex<RawSpinLock, T>;

/// The guard of a [`SpinMutex`].
pub type SpinGuard<'a, T> = lock_api::MutexGuard<'a, RawSpinLock, T>;

impl RawSpinLock {
    fn key(&self) -> usize {
        self as *const RawSpinLock as usize
    }

    /// Step 3's wake-up of the waiters that counted themselves.
    #[cold]
    #[inline(never)]
    fn wake_all(&self) {
        // SAFETY: unparking a key wakes only the waiters parked on it.
        unsafe {
            parking_lot_core::unpark_all(self.key(), parking_lot_core::DEFAULT_UNPARK_TOKEN);
        }
    }

    #[cold]
    fn lock_contended(&self) {
        loop {
            // Step 1's spin: a plain load, no read-modify-write while the holder works.
            for _ in 0..SPINS {
                if !self.locked.load(Ordering::Relaxed) && lock_api::RawMutex::try_lock(self) {
                    return;
                }
                std::hint::spin_loop();
            }
            // Step 2.
            self.waiters.fetch_add(1, Ordering::Relaxed);
            let deadline = Instant::now() + PARK_TIMEOUT;
            // SAFETY: the key is this lock's address, which parks nothing else; the callbacks
            // only read an atomic and do not panic or park.
            unsafe {
                parking_lot_core::park(
                    self.key(),
                    || self.locked.load(Ordering::Relaxed),
                    || {},
                    |_, _| {},
                    parking_lot_core::DEFAULT_PARK_TOKEN,
                    Some(deadline),
                );
            }
            self.waiters.fetch_sub(1, Ordering::Relaxed);
            if lock_api::RawMutex::try_lock(self) {
                return;
            }
        }
    }
}

// SAFETY: `lock` and `try_lock` succeed only by moving `locked` from false to true with
// Acquire, and `unlock` (called only by the holder, per the trait's contract) stores false with
// Release: at most one holder at a time, and each sees what the previous one wrote. With one
// thread (`SHARED` false: module docs, "One thread"), only that thread moves `locked`, so a
// plain load and store keep one holder, and program order orders the holders. Parking only
// delays a waiter (module docs).
unsafe impl lock_api::RawMutex for RawSpinLock {
    #[allow(clippy::declare_interior_mutable_const)]
    const INIT: RawSpinLock = RawSpinLock {
        locked: AtomicBool::new(false),
        waiters: AtomicU32::new(0),
    };

    type GuardMarker = lock_api::GuardSend;

    #[inline]
    fn lock(&self) {
        if !self.try_lock() {
            self.lock_contended();
        }
    }

    #[inline]
    fn try_lock(&self) -> bool {
        if !shared() {
            // One thread (module docs): nobody else moves `locked`.
            if self.locked.load(Ordering::Relaxed) {
                return false;
            }
            self.locked.store(true, Ordering::Relaxed);
            return true;
        }
        self.locked
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
    }

    // Always inlined, with the wake-up out of line: inlined into an out-of-line `unlock`,
    // `unpark_all` made every release save and restore six registers (a fifth of a generator
    // resumption's instructions went to its two releases).
    #[inline(always)]
    unsafe fn unlock(&self) {
        self.locked.store(false, Ordering::Release);
        // Step 3 (its race with step 2 is the module docs').
        if self.waiters.load(Ordering::Relaxed) != 0 {
            self.wake_all();
        }
    }

    #[inline]
    fn is_locked(&self) -> bool {
        self.locked.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::SpinMutex;
    use std::sync::Arc;

    #[test]
    fn threads_contending_for_it_lose_no_update() {
        let lock = Arc::new(SpinMutex::new(0u64));
        let workers: Vec<_> = (0..4)
            .map(|_| {
                let lock = lock.clone();
                std::thread::spawn(move || {
                    for i in 0..20_000 {
                        // A read and a write apart: a lost update would show.
                        let mut g = lock.lock();
                        let v = *g;
                        if i % 1000 == 0 {
                            // A long hold now and then: the others park.
                            std::thread::sleep(std::time::Duration::from_micros(300));
                        }
                        *g = v + 1;
                    }
                })
            })
            .collect();
        workers.into_iter().for_each(|w| w.join().unwrap());
        assert_eq!(*lock.lock(), 80_000);
    }

    #[test]
    fn it_is_taken_and_released_as_a_mutex() {
        let m = SpinMutex::new(vec![1]);
        {
            let mut g = m.lock();
            g.push(2);
            assert!(m.try_lock().is_none() && m.is_locked());
        }
        assert!(!m.is_locked());
        assert_eq!(*m.try_lock().expect("released"), [1, 2]);
    }
}
