//! Collection of reference cycles at exit, for leak checking.
//!
//! Objects are freed by reference counting only: objects that refer to each other in a cycle (a
//! frame object whose final locals hold the frame itself, an exception whose traceback reaches a
//! frame whose locals hold the exception) are never freed while the program runs. CPython breaks
//! such cycles with its cyclic garbage collector, and once more at exit; this runtime has no
//! collector during the run (a known difference). At exit the cycles only matter to a leak
//! checker: valgrind reports each of them as a "definite" leak, which would hide the leaks that
//! are bugs (a reference count never released).
//!
//! So, when tracking is enabled ([`enable_tracking`]; the `shadowpy` binary does it when
//! `SHADOWPY_DEBUG_COLLECT_CYCLES_AT_EXIT=1`, as `scripts/valgrind_conformance.sh` sets it),
//! every container object is registered when it is allocated, and [`collect_cycles`] frees, at
//! exit, exactly the objects whose every reference comes from another such object: CPython's
//! algorithm (`gc_refs` = reference count minus the references from tracked objects; whatever
//! is reachable from an object with references left is alive; the rest is cyclic garbage and is
//! cleared). Anything the traversal does not know about counts as a reference from outside, so
//! an incomplete traversal can only leave garbage behind, never free a live object; an object
//! leaked by a missing decrement keeps an unexplained reference and stays, for valgrind to
//! report.
//!
//! Objects traverse what they hold ([`Object::traverse`], [`super::NativeObject::traverse`]) as
//! [`Edge`]s: heap values, and shared holders of values that are not objects (an `Arc` such as
//! a frame's lazy record), which become nodes with their own counts.

use super::rc::WeakRef;
use super::{Object, Value};
use parking_lot::Mutex;
use std::any::Any;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

/// One strong reference held by the object being traversed.
pub enum Edge<'a> {
    /// A value (immediates are ignored).
    Value(&'a Value),
    /// A shared holder of values that is not an [`Object`], of which the traversed object holds
    /// one strong count (an `Arc`): `id` is its address, `count` its strong count.
    Shared {
        /// Identity (the `Arc`'s address).
        id: usize,
        /// Its strong count.
        count: usize,
        /// Its own references.
        node: &'a dyn Holder,
    },
}

/// A shared holder of values (the target of an [`Edge::Shared`]).
pub trait Holder {
    /// Reports each strong reference it holds, once.
    fn traverse(&self, visit: &mut dyn FnMut(Edge<'_>));
    /// Detaches the references that can close a cycle into `graveyard`.
    fn clear_refs(&self, graveyard: &mut Graveyard);
}

/// References detached from cyclic garbage, dropped only once every piece of garbage has been
/// cleared (so no drop runs while the collector still looks at the graph).
#[derive(Default)]
pub struct Graveyard(Vec<Box<dyn Any>>);

impl Graveyard {
    /// Keeps `x` until the collection ends.
    pub fn bury<T: 'static>(&mut self, x: T) {
        self.0.push(Box::new(x));
    }
}

static TRACKING: AtomicBool = AtomicBool::new(false);

/// Tracked objects, and the size at which dead entries are pruned next.
static REGISTRY: Mutex<(Vec<WeakRef>, usize)> = Mutex::new((Vec::new(), 1024));

/// Registers every container object allocated from now on (call before the program starts).
pub fn enable_tracking() {
    TRACKING.store(true, Ordering::Relaxed);
}

/// Registers a new object if tracking is on and it can hold references.
#[inline(always)]
pub(super) fn track(v: &Value) {
    if TRACKING.load(Ordering::Relaxed) && v.obj().is_some_and(Object::can_hold_references) {
        track_slow(v);
    }
}

#[cold]
fn track_slow(v: &Value) {
    let mut reg = REGISTRY.lock();
    let (objects, prune_at) = &mut *reg;
    if objects.len() >= *prune_at {
        // A dead entry keeps its allocation (a `Weak`): prune, amortized over the growth.
        objects.retain(WeakRef::is_alive);
        *prune_at = (objects.len() * 2).max(1024);
    }
    objects.extend(v.downgrade());
}

/// A node of the graph: a tracked object, or a shared holder met while traversing.
enum Node {
    Object(Value),
    /// Valid for the whole collection: its holders are alive until the graveyard is dropped.
    Shared(*const dyn Holder),
}

impl Node {
    fn traverse(&self, visit: &mut dyn FnMut(Edge<'_>)) {
        match self {
            Node::Object(o) => o.obj().expect("a heap value").traverse(visit),
            // SAFETY: see `Node::Shared`: nothing is dropped before the graveyard.
            Node::Shared(h) => unsafe { (**h).traverse(visit) },
        }
    }

    fn clear_refs(&self, graveyard: &mut Graveyard) {
        match self {
            Node::Object(o) => o.obj().expect("a heap value").clear_refs(graveyard),
            // SAFETY: as above.
            Node::Shared(h) => unsafe { (**h).clear_refs(graveyard) },
        }
    }
}

/// Frees the cyclic garbage among the tracked objects; returns how many nodes it cleared.
/// Stops tracking.
///
/// Call only when no other thread runs (at exit, after the threads are joined) and no object's
/// lock is held: it locks each object to traverse it. Dropping the garbage runs no Python code
/// (a generator that still has a `finally` to run is queued, not run).
pub fn collect_cycles() -> usize {
    TRACKING.store(false, Ordering::Relaxed);
    let tracked = std::mem::take(&mut REGISTRY.lock().0);
    collect(tracked)
}

/// The collection itself, over `tracked` (each object the caller registered).
fn collect(tracked: Vec<WeakRef>) -> usize {
    let mut nodes: Vec<Node> = Vec::new();
    // gc_refs: the references to each node that no node accounts for.
    let mut refs: Vec<isize> = Vec::new();
    let mut index: HashMap<usize, usize> = HashMap::new();
    for w in &tracked {
        if let Some(o) = Value::upgrade(w) {
            if index.contains_key(&o.id()) {
                continue;
            }
            // Our upgrade is one of the counts, not a reference from outside.
            refs.push(o.ref_count() as isize - 1);
            index.insert(o.id(), nodes.len());
            nodes.push(Node::Object(o));
        }
    }
    drop(tracked);

    // Subtract every reference that comes from a node; shared holders join as they are met.
    let mut edges: Vec<Vec<usize>> = Vec::new();
    let mut i = 0;
    while i < nodes.len() {
        let mut out = Vec::new();
        let mut met: Vec<*const dyn Holder> = Vec::new();
        let known = nodes.len();
        nodes[i].traverse(&mut |e| {
            let target = match e {
                Edge::Value(v) => match index.get(&v.id()) {
                    Some(&t) if v.is_heap() => t,
                    _ => return,
                },
                Edge::Shared { id, count, node } => *index.entry(id).or_insert_with(|| {
                    refs.push(count as isize);
                    let erased: *const (dyn Holder + '_) = node;
                    // SAFETY: only the trait object's lifetime bound changes; the pointer is
                    // dereferenced while its holders are alive (see `Node::Shared`).
                    met.push(unsafe {
                        std::mem::transmute::<*const (dyn Holder + '_), *const dyn Holder>(erased)
                    });
                    known + met.len() - 1
                }),
            };
            refs[target] -= 1;
            out.push(target);
        });
        nodes.extend(met.into_iter().map(Node::Shared));
        edges.push(out);
        i += 1;
    }

    // More references from nodes than the count: some traversal reports a reference its object
    // does not hold, and freeing by these numbers could free a live object. Free nothing, and
    // say so (this is a debugging aid; the message shows in the checked program's stderr).
    if let Some(bad) = refs.iter().position(|&r| r < 0) {
        let what = match &nodes[bad] {
            Node::Object(o) => o.obj().map_or("?", Object::kind_name),
            Node::Shared(_) => "shared record",
        };
        eprintln!(
            "shadowpy: cycle collection skipped: a {what} has more references than its count"
        );
        return 0;
    }

    // Whatever a node with references left reaches is alive.
    let mut alive: Vec<bool> = refs.iter().map(|&r| r > 0).collect();
    let mut stack: Vec<usize> = (0..nodes.len()).filter(|&n| alive[n]).collect();
    while let Some(n) = stack.pop() {
        for &t in &edges[n] {
            if !alive[t] {
                alive[t] = true;
                stack.push(t);
            }
        }
    }

    // Clear the rest; drop what it held only when all of it is cleared.
    let mut graveyard = Graveyard::default();
    let mut cleared = 0;
    for (n, node) in nodes.iter().enumerate() {
        if !alive[n] {
            node.clear_refs(&mut graveyard);
            cleared += 1;
        }
    }
    drop(graveyard);
    drop(nodes);
    cleared
}

#[cfg(test)]
mod tests;
