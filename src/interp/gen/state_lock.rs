//! [`StateLock`]: the lock of a generator's state, taken twice per resumption (to move the
//! frame out, and to put it back), so it is built for that path: an uncontended lock is one
//! compare-and-swap and its release one plain store, where a `parking_lot::Mutex` makes a
//! second atomic read-modify-write to release (it must look for parked waiters). Each such
//! operation costs a few nanoseconds, about as much as the rest of a resumption's bookkeeping.
//!
//! Waiters spin, then yield their time slice: a generator's state is held only for short,
//! bounded critical sections (moving the frame in or out, reading it for `gi_frame`, the exit
//! collector), never across Python code or a handshake, and two threads meet on one generator
//! only when they race to resume or inspect it.
//!
//! Invariant: `locked` is true exactly while a [`StateGuard`] exists; the value is touched only
//! through a guard or through `&mut self`.

use std::cell::UnsafeCell;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicBool, Ordering};

/// A lock for short critical sections (see the module docs).
pub(super) struct StateLock<T> {
    locked: AtomicBool,
    value: UnsafeCell<T>,
}

// SAFETY: the value is reached only by the one thread that holds the lock (or through
// `&mut self`), so sharing the lock shares `T` only as a `Mutex<T>` would.
unsafe impl<T: Send> Sync for StateLock<T> {}
// SAFETY: as above.
unsafe impl<T: Send> Send for StateLock<T> {}

/// Exclusive access to a [`StateLock`]'s value; releases it on drop.
pub(super) struct StateGuard<'a, T> {
    lock: &'a StateLock<T>,
}

impl<T> StateLock<T> {
    /// A lock around `value`.
    pub(super) fn new(value: T) -> StateLock<T> {
        StateLock {
            locked: AtomicBool::new(false),
            value: UnsafeCell::new(value),
        }
    }

    /// Takes the lock.
    #[inline]
    pub(super) fn lock(&self) -> StateGuard<'_, T> {
        // Acquire: pairs with the release in `StateGuard::drop`, so what the last holder wrote
        // is seen.
        if self
            .locked
            .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            self.lock_contended();
        }
        StateGuard { lock: self }
    }

    #[cold]
    fn lock_contended(&self) {
        let mut spins = 0u32;
        loop {
            // Wait on a plain load (no read-modify-write while the holder works), then retry.
            while self.locked.load(Ordering::Relaxed) {
                if spins < 64 {
                    spins += 1;
                    std::hint::spin_loop();
                } else {
                    // The holder may be preempted: give it the core.
                    std::thread::yield_now();
                }
            }
            if self
                .locked
                .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
                .is_ok()
            {
                return;
            }
        }
    }

    /// The value, through exclusive access to the lock.
    pub(super) fn get_mut(&mut self) -> &mut T {
        self.value.get_mut()
    }
}

impl<T> Deref for StateGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: the guard holds the lock, so no other reference to the value exists.
        unsafe { &*self.lock.value.get() }
    }
}

impl<T> DerefMut for StateGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`, and `&mut self` makes this the only access through the guard.
        unsafe { &mut *self.lock.value.get() }
    }
}

impl<T> Drop for StateGuard<'_, T> {
    #[inline]
    fn drop(&mut self) {
        // Release: the holder's writes are visible to the next one (its acquire). A plain
        // store: nobody parks on this lock, so there is nobody to wake.
        self.lock.locked.store(false, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::StateLock;
    use std::sync::Arc;

    #[test]
    fn threads_contending_for_it_lose_no_update() {
        let lock = Arc::new(StateLock::new(0u64));
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
    fn a_released_lock_can_be_taken_again() {
        let mut lock = StateLock::new(vec![1]);
        lock.lock().push(2);
        {
            let g = lock.lock();
            assert_eq!(*g, [1, 2]);
        }
        lock.get_mut().push(3);
        assert_eq!(*lock.lock(), [1, 2, 3]);
    }
}
