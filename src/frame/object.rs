//! `FrameObject`: the Python-visible frame (`PyFrameObject`).
//!
//! At most one exists per activation. While the activation runs it is *live* and reads (and
//! writes) the activation's own state; when the activation ends it *owns* a copy
//! ([`FrameObject::take_ownership`]).
//!
//! Another thread's live frame is read by a handshake (`thread::run_on`): the read runs on the
//! owning thread at its next safepoint, or by the reader while the owner is detached and held,
//! so every answer is a consistent snapshot of a stopped activation. The frame keeps its
//! owner's registry entry (an `Arc`), never a pointer that the owner's exit could leave
//! dangling.

use super::activation::Activation;
use super::lazy::{Back, Ended};
use super::FrameLocalsProxy;
use crate::code::CodeObject;
use crate::object::cycles::{Edge, Graveyard};
use crate::object::exc::err;
use crate::object::lock::SpinMutex;
use crate::object::{AttrGetter, Builtin, KwArgs, NativeObject, Object, PyResult, TypeId, Value};
use crate::thread::{runtime, Stat, Stats, ThreadState};
use parking_lot::Mutex;
use std::any::Any;
use std::sync::Arc;

enum FrameState {
    /// The activation runs (or waits on a call), or is a generator's frame suspended in its
    /// generator: read it.
    Live {
        act: Activation,
        /// The owning thread's state; null while the activation is a suspended generator frame
        /// (then `f_back` is None, and whoever resumes it must move it back to running under
        /// this lock: [`FrameObject::set_running`]). Compared, and dereferenced only under this
        /// lock while the state is `Live` with it, to reach the owner's registry entry (which
        /// the state set at registration and never changes): the activation is linked on the
        /// owner's stack then, and a thread state outlives every activation it runs, whose end
        /// moves this state to `Owned` under the lock first. Holding the entry instead, as an
        /// `Arc`, cost every frame object of a running activation two atomic operations.
        owner: *const ThreadState,
    },
    /// The activation ended: its final state.
    Owned {
        locals: Vec<Value>,
        pc: usize,
        back: Back,
    },
}

impl FrameState {
    /// The caller link of an owned frame, taken out (None for a live one).
    fn take_back(&mut self) -> Back {
        match self {
            FrameState::Owned { back, .. } => std::mem::replace(back, Back::None),
            _ => Back::None,
        }
    }
}

/// The code a frame object reports (`f_code`), held through the activation's function when it
/// runs one (a `Value`, which the creating thread counts with plain operations: `object::rc`),
/// else as a counted `Arc` (module code; a frame rebuilt from a lazy record).
enum FrameCode {
    /// A function whose code is the frame's.
    Function(Value),
    Code(Arc<CodeObject>),
}

impl FrameCode {
    /// The code of `act`, through its function if it has one with that very code.
    ///
    /// # Safety
    /// `act` is alive (linked, or kept by its suspended generator).
    unsafe fn of(act: &Activation) -> FrameCode {
        // SAFETY: caller's contract.
        let func = unsafe { act.func() };
        if let Some(f) = func.as_function() {
            // SAFETY: as above.
            if Arc::as_ptr(&f.code) as usize == unsafe { act.code_addr() } {
                return FrameCode::Function(func);
            }
        }
        // SAFETY: as above.
        FrameCode::Code(unsafe { act.code() })
    }

    fn get(&self) -> &Arc<CodeObject> {
        match self {
            FrameCode::Function(f) => &f.as_function().expect("a function").code,
            FrameCode::Code(c) => c,
        }
    }
}

/// A frame object.
pub struct FrameObject {
    code: FrameCode,
    globals: Value,
    /// Taken on every read of the frame and at its activation's end (see `object::lock`).
    state: SpinMutex<FrameState>,
    /// Names written through `f_locals` that are not fast locals (CPython's `f_extra_locals`).
    extra: Mutex<Vec<(String, Value)>>,
}

// SAFETY: the raw pointers of `Live` are dereferenced only on the owning thread (checked against
// `owner`), or in a handshake on it (which runs while the owner is stopped), while the activation
// is linked, or, for a suspended generator frame (`owner` null), under the state lock, which its
// generator must take to make it run again; another thread reads only the owner's registry entry
// (never written after registration), under the lock. The activation moves the object to
// `Owned` under the lock before its frame is recycled or freed.
unsafe impl Send for FrameObject {}
// SAFETY: as above; all mutable state is behind the mutex.
unsafe impl Sync for FrameObject {}

impl FrameObject {
    /// A live frame object for a running activation.
    ///
    /// # Safety
    /// `act` is linked on `ts`'s stack, and `ts` is the calling thread's.
    pub(super) unsafe fn new_live(ts: &ThreadState, act: Activation) -> Value {
        // SAFETY: caller's contract.
        unsafe { Self::new_running(act, ts) }
    }

    /// A frame object in the `Live` state (`owner` null: suspended).
    ///
    /// # Safety
    /// `act` is alive: linked on `owner`'s stack, or kept by its suspended generator.
    unsafe fn new_running(act: Activation, owner: *const ThreadState) -> Value {
        Stats::bump(Stat::FrameObjectsCreated);
        Value::native(FrameObject {
            // SAFETY: caller's contract.
            code: unsafe { FrameCode::of(&act) },
            // SAFETY: caller's contract.
            globals: unsafe { act.globals() },
            state: SpinMutex::new(FrameState::Live { act, owner }),
            extra: Mutex::new(Vec::new()),
        })
    }

    /// A frame object for the suspended frame of a generator (not linked on any stack).
    ///
    /// # Safety
    /// `act` is an activation kept alive by its suspended generator, which calls
    /// [`FrameObject::set_running`] before it runs the frame again and hands the final state
    /// over before the frame is freed.
    pub(super) unsafe fn new_suspended(act: Activation) -> Value {
        // SAFETY: caller's contract (the generator keeps the frame alive).
        unsafe { Self::new_running(act, std::ptr::null()) }
    }

    /// The generator frame of this object starts running on `ts` (`Some`) or is suspended
    /// again (`None`).
    pub(crate) fn set_running(&self, ts: Option<&ThreadState>) {
        if let FrameState::Live { owner, .. } = &mut *self.state.lock() {
            *owner = ts.map_or(std::ptr::null(), |t| t as *const ThreadState);
        }
    }

    /// A frame object for an activation that ended before anyone looked at it.
    pub(super) fn new_ended(ended: Ended) -> Value {
        Stats::bump(Stat::FrameObjectsCreated);
        Value::native(FrameObject {
            code: FrameCode::Code(ended.code),
            globals: ended.globals,
            state: SpinMutex::new(FrameState::Owned {
                locals: ended.locals.into_vec(),
                pc: ended.pc,
                back: ended.back,
            }),
            extra: Mutex::new(Vec::new()),
        })
    }

    /// The activation ends: its final locals and instruction move in. `back` is the caller's
    /// identity.
    pub(crate) fn take_ownership(&self, locals: Vec<Value>, pc: usize, back: Back) {
        let mut st = self.state.lock();
        *st = FrameState::Owned { locals, pc, back };
    }

    /// The running activation moved (a deoptimized JIT activation now runs in an interpreter
    /// frame): read the new one from now on.
    pub(super) fn retarget(&self, act: Activation) {
        if let FrameState::Live { act: a, .. } = &mut *self.state.lock() {
            *a = act;
        }
    }

    /// `f_code`.
    pub fn code(&self) -> &Arc<CodeObject> {
        self.code.get()
    }

    /// `f_globals`.
    pub fn globals(&self) -> &Value {
        &self.globals
    }

    /// Does its activation still run?
    pub fn is_live(&self) -> bool {
        matches!(*self.state.lock(), FrameState::Live { .. })
    }

    /// Runs `f` on the live activation (with its owner's thread state), or returns `None` once
    /// it ended. On the owning thread `f` runs here; for another thread's activation it runs as
    /// a handshake on that thread, which is stopped meanwhile (see the module docs).
    fn with_live<R: Send>(
        &self,
        ts: &mut ThreadState,
        f: impl FnOnce(&mut ThreadState, Activation) -> R + Send,
    ) -> PyResult<Option<R>> {
        let guard = self.state.lock();
        let home = match &*guard {
            FrameState::Live { act, owner, .. } if owner.is_null() => {
                // A suspended generator frame: read under the lock, which its generator must
                // take to run it again, so it cannot change or end meanwhile.
                return Ok(Some(f(ts, *act)));
            }
            FrameState::Live { act, owner } => {
                if std::ptr::eq(*owner, ts) {
                    // Live means linked on this (the owning) thread, which is running this
                    // call: the activation cannot end before `f` returns, and the running code
                    // holds no reference into its state while observers run.
                    Ok(*act)
                } else {
                    // SAFETY: a non-null owner of a `Live` state, under the lock: alive (see
                    // `FrameState::Live`); its `entry` is not written after registration.
                    Err(unsafe { (**owner).entry.clone() })
                }
            }
            _ => return Ok(None),
        };
        drop(guard);
        match home {
            Ok(act) => Ok(Some(f(ts, act))),
            Err(Some(entry)) => {
                let r = crate::thread::run_on(ts, &entry, |ots| {
                    // On the owner, stopped at a safepoint or detached and held: if the frame
                    // is still live, its activation is linked and stays so until we return.
                    let act = match &*self.state.lock() {
                        FrameState::Live { act, .. } => *act,
                        _ => return None,
                    };
                    Some(f(ots, act))
                });
                Ok(r.flatten())
            }
            Err(None) => Err(err::runtime_error(
                "frame of a running activation of an unregistered thread",
            )),
        }
    }

    /// Current instruction index.
    pub fn pc(&self, ts: &mut ThreadState) -> usize {
        // SAFETY: `with_live` hands out linked activations of the state it passes.
        if let Ok(Some(pc)) = self.with_live(ts, |ots, a| unsafe { a.pc(ots) }) {
            return pc;
        }
        match &*self.state.lock() {
            FrameState::Owned { pc, .. } => *pc,
            // Only for an unregistered owner (unit tests): no handshake is possible.
            _ => 0,
        }
    }

    /// `f_lineno`.
    pub fn lineno(&self, ts: &mut ThreadState) -> Option<u32> {
        self.code().line_of(self.pc(ts))
    }

    /// Bound locals, name and value, in `co_varnames` order (function frames).
    pub fn locals(&self, ts: &mut ThreadState) -> PyResult<Vec<(Arc<str>, Value)>> {
        let code = self.code();
        let bound = move |locals: &[Value]| -> Vec<(Arc<str>, Value)> {
            code.varnames
                .iter()
                .zip(locals.iter())
                .filter(|(_, v)| !v.is_null())
                .map(|(n, v)| (n.clone(), v.clone()))
                .collect()
        };
        // SAFETY: `with_live` hands out linked, blocked activations of the state it passes.
        if let Some(l) = self.with_live(ts, |_, a| bound(unsafe { a.locals() }))? {
            return Ok(l);
        }
        match &*self.state.lock() {
            FrameState::Owned { locals, .. } => Ok(bound(locals)),
            _ => Ok(Vec::new()),
        }
    }

    /// The value of local `index` (None if unbound).
    pub fn get_local(&self, ts: &mut ThreadState, index: usize) -> PyResult<Option<Value>> {
        let read = move |locals: &[Value]| locals.get(index).filter(|v| !v.is_null()).cloned();
        // SAFETY: `with_live` hands out linked, blocked activations of the state it passes.
        if let Some(v) = self.with_live(ts, |_, a| read(unsafe { a.locals() }))? {
            return Ok(v);
        }
        match &*self.state.lock() {
            FrameState::Owned { locals, .. } => Ok(read(locals)),
            _ => Ok(None),
        }
    }

    /// Sets (or with `None` unbinds) local `index`; a live activation sees the change at once.
    pub fn set_local(
        &self,
        ts: &mut ThreadState,
        index: usize,
        value: Option<Value>,
    ) -> PyResult<()> {
        let write = |locals: &mut [Value], v: Value| {
            if let Some(slot) = locals.get_mut(index) {
                *slot = v;
            }
        };
        let mut v = Some(value.unwrap_or(Value::NULL));
        let slot = &mut v;
        if self
            // SAFETY: `with_live` hands out linked, blocked activations of the state it passes;
            // the running code reads the slot again after this returns.
            .with_live(ts, |_, a| {
                write(unsafe { a.locals() }, slot.take().expect("once"))
            })?
            .is_some()
        {
            return Ok(());
        }
        if let FrameState::Owned { locals, .. } = &mut *self.state.lock() {
            if let Some(v) = v.take() {
                write(locals, v);
            }
        }
        Ok(())
    }

    /// The caller of an ended activation became known after this object was built from its
    /// record (`unwind`'s claims).
    pub(super) fn settle_back(&self, to: Back) {
        if let FrameState::Owned { back, .. } = &mut *self.state.lock() {
            *back = to;
        }
    }

    /// `f_back`.
    pub fn back(&self, ts: &mut ThreadState) -> PyResult<Value> {
        // The common case in one lock: a live activation of the calling thread (a walk up
        // its own stack), whose caller is linked below it while this runs (as in
        // `with_live`).
        let own = match &*self.state.lock() {
            // A suspended generator frame has no caller.
            FrameState::Live { owner, .. } if owner.is_null() => return Ok(Value::NONE),
            FrameState::Live { act, owner, .. } if std::ptr::eq(*owner, ts) => Some(*act),
            _ => None,
        };
        if let Some(act) = own {
            // SAFETY: `act` is live on this (the owning, running) thread, so it and its caller
            // are linked until this returns.
            return Ok(unsafe {
                let prev = act.prev();
                if prev.is_null() {
                    Value::NONE
                } else {
                    super::materialize(ts, prev)
                }
            });
        }
        let back = self.with_live(ts, |ots, a| {
            // SAFETY: `with_live` hands out linked activations of `ots`; the caller of a live
            // activation is linked below it on the same stack.
            unsafe {
                let prev = a.prev();
                if prev.is_null() {
                    Value::NONE
                } else {
                    super::materialize(ots, prev)
                }
            }
        })?;
        if let Some(v) = back {
            return Ok(v);
        }
        let back = match &*self.state.lock() {
            FrameState::Owned { back, .. } => back.clone(),
            _ => Back::None,
        };
        back.resolve(ts)
    }

    /// Takes the caller link out of an owned frame (for iterative drops).
    pub(super) fn take_back(&self) -> Back {
        self.state.lock().take_back()
    }

    /// The extra (non-fast) locals written through `f_locals`.
    pub(crate) fn extras(&self) -> Vec<(String, Value)> {
        self.extra.lock().clone()
    }

    /// An extra local.
    pub(crate) fn get_extra(&self, name: &str) -> Option<Value> {
        self.extra
            .lock()
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }

    /// Sets an extra local.
    pub(crate) fn set_extra(&self, name: &str, value: Value) {
        let mut extra = self.extra.lock();
        match extra.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = value,
            None => extra.push((name.to_owned(), value)),
        }
    }

    /// Removes an extra local; false if there was none.
    pub(crate) fn del_extra(&self, name: &str) -> bool {
        let mut extra = self.extra.lock();
        let before = extra.len();
        extra.retain(|(k, _)| k != name);
        extra.len() != before
    }

    /// `frame.clear()`.
    pub fn clear(&self) -> PyResult<()> {
        let mut st = self.state.lock();
        match &mut *st {
            // A generator's frame between resumptions (owner null).
            FrameState::Live { owner, .. } if owner.is_null() => {
                Err(err::runtime_error("cannot clear a suspended frame"))
            }
            FrameState::Live { .. } => Err(err::runtime_error("cannot clear an executing frame")),
            FrameState::Owned { locals, .. } => {
                let old = std::mem::take(locals);
                drop(st);
                drop(old);
                let extra = std::mem::take(&mut *self.extra.lock());
                drop(extra);
                Ok(())
            }
        }
    }
}

fn frame_clear(_ts: &mut ThreadState, args: &[Value], _kw: KwArgs) -> PyResult<Value> {
    let f = args
        .first()
        .and_then(|v| v.downcast::<FrameObject>())
        .ok_or_else(|| err::type_error("clear() needs a frame"))?;
    f.clear()?;
    Ok(Value::NONE)
}

impl Drop for FrameObject {
    fn drop(&mut self) {
        // No lock: nothing else can reach a frame object being dropped.
        super::lazy::drop_back_chain(self.state.get_mut().take_back());
    }
}

/// The frame object of a getter's `this` (getters are called on frame objects only).
fn frame(this: &Value) -> &FrameObject {
    this.downcast::<FrameObject>()
        .expect("a frame getter called on a frame object")
}

impl NativeObject for FrameObject {
    fn py_type(&self) -> TypeId {
        TypeId::Frame
    }

    fn traverse(&self, visit: &mut dyn FnMut(Edge<'_>)) {
        visit(Edge::Value(&self.globals));
        if let FrameCode::Function(f) = &self.code {
            visit(Edge::Value(f));
        }
        for (_, v) in self.extra.lock().iter() {
            visit(Edge::Value(v));
        }
        // A live frame reads its activation's locals; only an owned copy is the frame's.
        if let FrameState::Owned { locals, back, .. } = &*self.state.lock() {
            locals.iter().for_each(|v| visit(Edge::Value(v)));
            back.traverse(visit);
        }
    }

    fn clear_refs(&self, graveyard: &mut Graveyard) {
        graveyard.bury(std::mem::take(&mut *self.extra.lock()));
        if let FrameState::Owned { locals, back, .. } = &mut *self.state.lock() {
            graveyard.bury(std::mem::take(locals));
            graveyard.bury(std::mem::replace(back, Back::None));
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn attr_getter(&self, name: &str) -> Option<AttrGetter> {
        let getter: AttrGetter = match name {
            "f_code" => |this, _| Ok(crate::object::code_value(frame(this).code())),
            "f_lineno" => |this, ts| {
                Ok(frame(this)
                    .lineno(ts)
                    .map_or(Value::NONE, |l| Value::int(l as i64)))
            },
            "f_lasti" => |this, ts| Ok(Value::int(frame(this).pc(ts) as i64 * 2)),
            "f_back" => |this, ts| frame(this).back(ts),
            "f_globals" => |this, _| Ok(frame(this).globals.clone()),
            "f_builtins" => |_, _| Ok(runtime().builtins.get().cloned().unwrap_or(Value::NONE)),
            "f_locals" => |this, _| {
                let f = frame(this);
                Ok(if f.code().is_module() {
                    f.globals.clone()
                } else {
                    Value::native(FrameLocalsProxy::new(this.clone()))
                })
            },
            "f_trace" => |_, _| Ok(Value::NONE),
            // No tracing in this runtime: CPython's defaults for a frame nobody traces.
            "f_trace_opcodes" => |_, _| Ok(Value::FALSE),
            "f_trace_lines" => |_, _| Ok(Value::TRUE),
            "clear" => |this, _| {
                Ok(Value::from_object(Object::Builtin(Builtin {
                    name: "clear",
                    func: frame_clear,
                    bound: Some(this.clone()),
                    owner: "frame",
                })))
            },
            _ => return None,
        };
        Some(getter)
    }

    fn getattr(&self, this: &Value, ts: &mut ThreadState, name: &str) -> Option<PyResult<Value>> {
        self.attr_getter(name).map(|get| get(this, ts))
    }

    fn repr(&self, this: &Value, ts: &mut ThreadState) -> PyResult<String> {
        Ok(format!(
            "<frame at {:#x}, file '{}', line {}, code {}>",
            this.id(),
            self.code().filename,
            self.lineno(ts).unwrap_or(0),
            self.code().name
        ))
    }
}
