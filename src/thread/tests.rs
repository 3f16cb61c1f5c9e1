//! Tests of the registry and the handshake protocol, without Python code: targets that poll
//! at safepoints or block detached, that register and exit continuously, and requesters that
//! hand operations to them (and to each other) concurrently.

use super::{blocking, registry, run_on, safepoint, Registered};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A target thread: alternates busy safepoint polling and detached sleeps, then exits.
fn target(stop: Arc<AtomicBool>, iters: usize) {
    let mut ts = Registered::new();
    for i in 0..iters {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        if i % 3 == 0 {
            blocking(&mut ts, || std::thread::sleep(Duration::from_micros(200)));
        } else {
            for _ in 0..2000 {
                ts.frame_pushed();
                safepoint(&mut ts);
                ts.frame_popped();
            }
        }
    }
}

#[test]
fn operations_run_on_their_target_while_threads_come_and_go() {
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicUsize::new(0));
    let spawned = Arc::new(AtomicUsize::new(0));
    let spawner = {
        let stop = stop.clone();
        let spawned = spawned.clone();
        std::thread::spawn(move || {
            let mut live = Vec::new();
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                live.retain(|h: &std::thread::JoinHandle<()>| !h.is_finished());
                while live.len() < 4 {
                    let s = stop.clone();
                    n += 1;
                    spawned.store(n, Ordering::Relaxed);
                    live.push(std::thread::spawn(move || target(s, 5 + n % 7)));
                }
                std::thread::sleep(Duration::from_millis(1));
            }
            for h in live {
                h.join().unwrap();
            }
            n
        })
    };
    let requesters: Vec<_> = (0..2)
        .map(|_| {
            let done = done.clone();
            let spawned = spawned.clone();
            std::thread::spawn(move || {
                let mut ts = Registered::new();
                let mut rounds = 0;
                while rounds < 300 || spawned.load(Ordering::Relaxed) < 20 {
                    rounds += 1;
                    for e in registry::snapshot() {
                        let want = e.clone();
                        let r = run_on(&mut ts, &e, move |t| {
                            // The operation runs with the target's own state.
                            assert!(Arc::ptr_eq(t.entry.as_ref().unwrap(), &want));
                            t.ident()
                        });
                        if let Some(id) = r {
                            assert_eq!(id, e.ident);
                            done.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    safepoint(&mut ts);
                }
            })
        })
        .collect();
    for r in requesters {
        r.join().unwrap();
    }
    stop.store(true, Ordering::Relaxed);
    let started = spawner.join().unwrap();
    assert!(started >= 20, "threads were replaced during the walks");
    assert!(done.load(Ordering::Relaxed) > 300);
}

#[test]
fn two_threads_asking_for_each_other_do_not_deadlock() {
    let a = Arc::new(std::sync::Mutex::new(None));
    let b = Arc::new(std::sync::Mutex::new(None));
    let barrier = Arc::new(std::sync::Barrier::new(2));
    let mk = |mine: Arc<std::sync::Mutex<_>>,
              theirs: Arc<std::sync::Mutex<Option<Arc<super::ThreadEntry>>>>,
              barrier: Arc<std::sync::Barrier>| {
        std::thread::spawn(move || {
            let mut ts = Registered::new();
            *mine.lock().unwrap() = ts.entry.clone();
            // Every wait of a registered thread is detached (as the runtime's are), or the
            // other thread's queued operation would wait for it forever.
            blocking(&mut ts, || barrier.wait());
            let other = theirs.lock().unwrap().clone().unwrap();
            let mut served = 0;
            for _ in 0..2000 {
                if run_on(&mut ts, &other, |t| t.ident()).is_some() {
                    served += 1;
                }
            }
            blocking(&mut ts, || barrier.wait());
            served
        })
    };
    let ta = mk(a.clone(), b.clone(), barrier.clone());
    let tb = mk(b, a, barrier);
    assert_eq!(ta.join().unwrap(), 2000);
    assert_eq!(tb.join().unwrap(), 2000);
}

#[test]
fn an_exited_thread_is_skipped() {
    let e = std::thread::spawn(|| {
        let ts = Registered::new();
        ts.entry.clone().unwrap()
    })
    .join()
    .unwrap();
    assert!(e.exited());
    assert!(!registry::snapshot().iter().any(|f| Arc::ptr_eq(f, &e)));
    let mut me = Registered::new();
    assert_eq!(run_on(&mut me, &e, |t| t.ident()), None);
}
