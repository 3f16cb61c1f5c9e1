//! [`SpinMutex`]: the lock of the objects whose state is taken for a few instructions at a time,
//! many times over (a list's items, a dict's map, a generator's frame): `lock_api`'s `Mutex`
//! over [`RawSpinLock`], whose uncontended lock is one compare-and-swap and whose release is
//! one plain store.
//!
//! Why not `parking_lot::Mutex`: its release is a second atomic read-modify-write (it must
//! look for parked waiters to wake), and an atomic read-modify-write costs about 13 plain
//! increments (`benches/atomics.rs`); a list item read or a generator resumption pays it on
//! every step. Nobody parks here: a waiter spins briefly on a plain load, then yields its time
//! slice until the holder (perhaps preempted) is done. That is sound for these locks because
//! their holders never wait for anything while they hold one (the object model's invariant:
//! no Python code, no other object of the same kind, no handshake), so a hold lasts as long
//! as the few instructions it protects, or a sort of the list.

use std::sync::atomic::{AtomicBool, Ordering};

/// A lock that spins, then yields (see the module docs).
pub struct RawSpinLock(AtomicBool);

/// A mutex over [`RawSpinLock`], with `lock_api`'s `Mutex` API.
pub type SpinMutex<T> = lock_api::Mutex<RawSpinLock, T>;

/// The guard of a [`SpinMutex`].
pub type SpinGuard<'a, T> = lock_api::MutexGuard<'a, RawSpinLock, T>;

impl RawSpinLock {
    #[cold]
    fn lock_contended(&self) {
        let mut spins = 0u32;
        loop {
            // Wait on a plain load (no read-modify-write while the holder works), then retry.
            while self.0.load(Ordering::Relaxed) {
                if spins < 64 {
                    spins += 1;
                    std::hint::spin_loop();
                } else {
                    // The holder may be preempted: give it the core.
                    std::thread::yield_now();
                }
            }
            if lock_api::RawMutex::try_lock(self) {
                return;
            }
        }
    }
}

// SAFETY: `lock` and `try_lock` succeed only by moving the flag from false to true with
// Acquire, and `unlock` (called only by the holder, per the trait's contract) stores false with
// Release: at most one holder at a time, and each sees what the previous one wrote.
unsafe impl lock_api::RawMutex for RawSpinLock {
    #[allow(clippy::declare_interior_mutable_const)]
    const INIT: RawSpinLock = RawSpinLock(AtomicBool::new(false));

    type GuardMarker = lock_api::GuardSend;

    #[inline]
    fn lock(&self) {
        if !self.try_lock() {
            self.lock_contended();
        }
    }

    #[inline]
    fn try_lock(&self) -> bool {
        self.0
            .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
    }

    #[inline]
    unsafe fn unlock(&self) {
        // A plain store: nobody parks on this lock, so there is nobody to wake.
        self.0.store(false, Ordering::Release);
    }

    #[inline]
    fn is_locked(&self) -> bool {
        self.0.load(Ordering::Relaxed)
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
                    for _ in 0..20_000 {
                        // A read and a write apart: a lost update would show.
                        let mut g = lock.lock();
                        let v = *g;
                        std::hint::black_box(&v);
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
