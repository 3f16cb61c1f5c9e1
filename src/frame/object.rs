//! `FrameObject`: the Python-visible frame (`PyFrameObject`).
//!
//! At most one exists per activation. While the activation runs it is *live* and reads (and
//! writes) the activation's own state; when the activation ends it *owns* a copy
//! ([`FrameObject::take_ownership`]).

use super::activation::Activation;
use super::lazy::{Back, Ended};
use super::FrameLocalsProxy;
use crate::code::CodeObject;
use crate::object::exc::err;
use crate::object::{Builtin, KwArgs, NativeObject, Object, PyResult, TypeId, Value};
use crate::thread::{runtime, Stats, ThreadState};
use parking_lot::Mutex;
use std::any::Any;
use std::sync::Arc;

enum FrameState {
    /// The activation runs (or waits on a call), or is a generator's frame suspended in its
    /// generator: read it. `owner` is the thread running it, null while suspended (then
    /// `f_back` is None, and whoever resumes it must move it back to running under this lock).
    Live {
        act: Activation,
        owner: *const ThreadState,
    },
    /// The activation ended: its final state.
    Owned {
        locals: Vec<Value>,
        pc: usize,
        back: Back,
    },
}

/// A frame object.
pub struct FrameObject {
    code: Arc<CodeObject>,
    globals: Value,
    state: Mutex<FrameState>,
    /// Names written through `f_locals` that are not fast locals (CPython's `f_extra_locals`).
    extra: Mutex<Vec<(String, Value)>>,
}

// SAFETY: the raw pointers of `Live` are dereferenced only on the owning thread (checked against
// `owner`) while the activation is linked, or, for a suspended generator frame (`owner` null),
// under the state lock, which its generator must take to make it run again; the activation moves
// the object to `Owned` under the lock before its frame is recycled or freed.
unsafe impl Send for FrameObject {}
// SAFETY: as above; all mutable state is behind the mutex.
unsafe impl Sync for FrameObject {}

impl FrameObject {
    /// A live frame object for a running activation.
    ///
    /// # Safety
    /// `act` is linked on `ts`'s stack, and `ts` is the calling thread's.
    pub(super) unsafe fn new_live(ts: &ThreadState, act: Activation) -> Value {
        Stats::bump(&runtime().stats.frame_objects_created);
        Value::native(FrameObject {
            // SAFETY: caller's contract.
            code: unsafe { act.code() },
            // SAFETY: caller's contract.
            globals: unsafe { act.globals() },
            state: Mutex::new(FrameState::Live { act, owner: ts }),
            extra: Mutex::new(Vec::new()),
        })
    }

    /// A frame object for the suspended frame of a generator (not linked on any stack).
    ///
    /// # Safety
    /// `act` is an interpreted activation kept alive by its suspended generator, which calls
    /// [`FrameObject::set_running`] before it runs the frame again and hands the final state
    /// over before the frame is freed.
    pub(super) unsafe fn new_suspended(act: Activation) -> Value {
        Stats::bump(&runtime().stats.frame_objects_created);
        Value::native(FrameObject {
            // SAFETY: caller's contract (the generator keeps the frame alive).
            code: unsafe { act.code() },
            // SAFETY: as above.
            globals: unsafe { act.globals() },
            state: Mutex::new(FrameState::Live {
                act,
                owner: std::ptr::null(),
            }),
            extra: Mutex::new(Vec::new()),
        })
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
        Stats::bump(&runtime().stats.frame_objects_created);
        Value::native(FrameObject {
            code: ended.code,
            globals: ended.globals,
            state: Mutex::new(FrameState::Owned {
                locals: ended.locals,
                pc: ended.pc,
                back: ended.back,
            }),
            extra: Mutex::new(Vec::new()),
        })
    }

    /// The activation ends: its final locals and instruction move in. `back` is the caller's
    /// identity.
    pub fn take_ownership(&self, locals: Vec<Value>, pc: usize, back: Back) {
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
        &self.code
    }

    /// `f_globals`.
    pub fn globals(&self) -> &Value {
        &self.globals
    }

    /// Does its activation still run?
    pub fn is_live(&self) -> bool {
        matches!(*self.state.lock(), FrameState::Live { .. })
    }

    /// Runs `f` on the live activation, or returns `None` once it ended.
    fn with_live<R>(
        &self,
        ts: &ThreadState,
        f: impl FnOnce(&Activation) -> R,
    ) -> PyResult<Option<R>> {
        let st = self.state.lock();
        match &*st {
            FrameState::Live { act, owner } => {
                // Null: suspended in its generator, which cannot resume it while we hold the
                // lock (resuming moves it to running under this lock first).
                if !owner.is_null() && !std::ptr::eq(*owner, ts) {
                    return Err(err::runtime_error(
                        "frame of a running activation of another thread",
                    ));
                }
                // Live means linked on this (the owning) thread; the running code holds no
                // reference into its state while observers run, and we hold the state lock so
                // the activation cannot end under us: every `Activation` method may be called.
                Ok(Some(f(act)))
            }
            FrameState::Owned { .. } => Ok(None),
        }
    }

    /// Current instruction index.
    pub fn pc(&self, ts: &ThreadState) -> usize {
        // SAFETY: `with_live` hands out linked activations of `ts` only.
        if let Ok(Some(pc)) = self.with_live(ts, |a| unsafe { a.pc(ts) }) {
            return pc;
        }
        match &*self.state.lock() {
            FrameState::Owned { pc, .. } => *pc,
            // Another thread's live frame: issue 4 answers from a snapshot; until then the
            // code's first line is the honest answer we can give without a race.
            FrameState::Live { .. } => 0,
        }
    }

    /// `f_lineno`.
    pub fn lineno(&self, ts: &ThreadState) -> Option<u32> {
        self.code.line_of(self.pc(ts))
    }

    /// Bound locals, name and value, in `co_varnames` order (function frames).
    pub fn locals(&self, ts: &ThreadState) -> PyResult<Vec<(Arc<str>, Value)>> {
        let bound = |locals: &[Value]| -> Vec<(Arc<str>, Value)> {
            self.code
                .varnames
                .iter()
                .zip(locals.iter())
                .filter(|(_, v)| !v.is_null())
                .map(|(n, v)| (n.clone(), v.clone()))
                .collect()
        };
        // SAFETY: `with_live` hands out linked, blocked activations of `ts` only.
        if let Some(l) = self.with_live(ts, |a| bound(unsafe { a.locals() }))? {
            return Ok(l);
        }
        match &*self.state.lock() {
            FrameState::Owned { locals, .. } => Ok(bound(locals)),
            FrameState::Live { .. } => Ok(Vec::new()),
        }
    }

    /// The value of local `index` (None if unbound).
    pub fn get_local(&self, ts: &ThreadState, index: usize) -> PyResult<Option<Value>> {
        let read = |locals: &[Value]| locals.get(index).filter(|v| !v.is_null()).cloned();
        // SAFETY: `with_live` hands out linked, blocked activations of `ts` only.
        if let Some(v) = self.with_live(ts, |a| read(unsafe { a.locals() }))? {
            return Ok(v);
        }
        match &*self.state.lock() {
            FrameState::Owned { locals, .. } => Ok(read(locals)),
            FrameState::Live { .. } => Ok(None),
        }
    }

    /// Sets (or with `None` unbinds) local `index`; a live activation sees the change at once.
    pub fn set_local(&self, ts: &ThreadState, index: usize, value: Option<Value>) -> PyResult<()> {
        let v = value.unwrap_or(Value::NULL);
        let write = |locals: &mut [Value], v: Value| {
            if let Some(slot) = locals.get_mut(index) {
                *slot = v;
            }
        };
        let mut v = Some(v);
        if self
            // SAFETY: `with_live` hands out linked, blocked activations of `ts` only; the
            // running code reads the slot again after this returns.
            .with_live(ts, |a| {
                write(unsafe { a.locals() }, v.take().expect("once"))
            })?
            .is_some()
        {
            return Ok(());
        }
        if let FrameState::Owned { locals, .. } = &mut *self.state.lock() {
            write(locals, v.take().expect("once"));
        }
        Ok(())
    }

    /// `f_back`.
    pub fn back(&self, ts: &mut ThreadState) -> PyResult<Value> {
        if let FrameState::Live { owner, .. } = &*self.state.lock() {
            if owner.is_null() {
                // A suspended generator frame has no caller.
                return Ok(Value::NONE);
            }
        }
        // SAFETY: `with_live` hands out linked activations only.
        let prev = self.with_live(ts, |a| unsafe { a.prev() })?;
        if let Some(prev) = prev {
            if prev.is_null() {
                return Ok(Value::NONE);
            }
            // SAFETY: the caller of a live activation is linked below it on this thread.
            return Ok(unsafe { super::materialize(ts, prev) });
        }
        let back = match &*self.state.lock() {
            FrameState::Owned { back, .. } => back.clone(),
            FrameState::Live { .. } => Back::None,
        };
        back.resolve(ts)
    }

    /// Takes the caller link out of an owned frame (for iterative drops).
    pub(super) fn take_back(&self) -> Back {
        match &mut *self.state.lock() {
            FrameState::Owned { back, .. } => std::mem::replace(back, Back::None),
            FrameState::Live { .. } => Back::None,
        }
    }

    /// The extra (non-fast) locals written through `f_locals`.
    pub fn extras(&self) -> Vec<(String, Value)> {
        self.extra.lock().clone()
    }

    /// An extra local.
    pub fn get_extra(&self, name: &str) -> Option<Value> {
        self.extra
            .lock()
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }

    /// Sets an extra local.
    pub fn set_extra(&self, name: &str, value: Value) {
        let mut extra = self.extra.lock();
        match extra.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = value,
            None => extra.push((name.to_owned(), value)),
        }
    }

    /// Removes an extra local; false if there was none.
    pub fn del_extra(&self, name: &str) -> bool {
        let mut extra = self.extra.lock();
        let before = extra.len();
        extra.retain(|(k, _)| k != name);
        extra.len() != before
    }

    /// `frame.clear()`.
    pub fn clear(&self) -> PyResult<()> {
        let mut st = self.state.lock();
        match &mut *st {
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
        super::lazy::drop_back_chain(self.take_back());
    }
}

impl NativeObject for FrameObject {
    fn py_type(&self) -> TypeId {
        TypeId::Frame
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn getattr(&self, this: &Value, ts: &mut ThreadState, name: &str) -> Option<PyResult<Value>> {
        Some(match name {
            "f_code" => Ok(crate::object::code_value(&self.code)),
            "f_lineno" => Ok(self
                .lineno(ts)
                .map_or(Value::NONE, |l| Value::int(l as i64))),
            "f_lasti" => Ok(Value::int(self.pc(ts) as i64 * 2)),
            "f_back" => self.back(ts),
            "f_globals" => Ok(self.globals.clone()),
            "f_builtins" => Ok(runtime().builtins.get().cloned().unwrap_or(Value::NONE)),
            "f_locals" => Ok(if self.code.is_module() {
                self.globals.clone()
            } else {
                Value::native(FrameLocalsProxy::new(this.clone()))
            }),
            "f_trace" => Ok(Value::NONE),
            // No tracing in this runtime: CPython's defaults for a frame nobody traces.
            "f_trace_opcodes" => Ok(Value::FALSE),
            "f_trace_lines" => Ok(Value::TRUE),
            "clear" => Ok(Value::from_object(Object::Builtin(Builtin {
                name: "clear",
                func: frame_clear,
                bound: Some(this.clone()),
                owner: "frame",
            }))),
            _ => return None,
        })
    }

    fn repr(&self, this: &Value, ts: &mut ThreadState) -> PyResult<String> {
        Ok(format!(
            "<frame at {:#x}, file '{}', line {}, code {}>",
            this.id(),
            self.code.filename,
            self.lineno(ts).unwrap_or(0),
            self.code.name
        ))
    }
}
