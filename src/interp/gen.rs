//! Generators and coroutines: objects that own a suspended frame, an [`InterpreterFrame`] or
//! one compiled by the tier ([`TierGenFrame`], the JIT's `jit::gen::JitGenFrame`).
//!
//! Calling a generator (or `async def`) function binds its arguments into a frame (the tier's,
//! if it takes the function: `Tier::generator_frame`) and wraps the frame, unlinked, in a
//! [`Generator`] whose instruction is the code's `ReturnGenerator`. Resuming it, in steps:
//!
//! 1. Under the generator's lock, the frame moves out (`Suspended -> Running`); a running or
//!    finished generator refuses (`ValueError: generator already executing`, `StopIteration`).
//!    This lock is the only atomic read-modify-write of a resumption: step 4 parks the frame
//!    without it (`Generator`'s protocol).
//! 2. The thread's handled exception is swapped for the generator's own (CPython's
//!    `gi_exc_state` pushed on the `exc_info` chain, here `ThreadState::exc_outer`).
//! 3. The frame runs as the entry frame of its own eval-loop invocation
//!    (`eval::resume_generator`), or through the tier's resumption, or, resumed by the `for`
//!    loop of an interpreted frame, inside that loop's invocation, linked above the loop's
//!    frame like a callee (`Generator::begin_inline`, CPython's `FOR_ITER_GEN`); linked on the
//!    resuming thread's shadow stack in every case, so `sys._getframe(1)` inside it is the
//!    resumer and a traceback through it is ordinary.
//! 4. It yields (the frame goes back, `Running -> Suspended`, with its handled exception), or
//!    it returns or raises (`Running -> Finished`; a `StopIteration` escaping the body becomes
//!    `RuntimeError`, PEP 479).
//!
//! `yield from`/`await` keep the delegate on the frame's value stack while suspended at the
//! `YieldFrom` instruction: `send` re-runs that instruction, `throw`/`close` go to the delegate
//! first (`Generator::throw`).
//!
//! Dropping a generator suspended inside a `try` or `with` must run its `finally` (CPython's
//! finalizer closes it). A drop can happen anywhere, with no thread state at hand, so the
//! generator's frame moves into a fresh generator object queued on the thread
//! (`finalize`), which the eval loop closes before its next instruction, and compiled
//! code at its next poll (it tests the poll after a store, delete or pop that freed an object,
//! and after every runtime call: `jit::helpers::jit_decref`, `jit_safepoint`); so the `finally`
//! runs at the instruction that dropped the generator, as under CPython's reference counting.
//! An error is an unraisable report, as in CPython. A coroutine dropped before it ever ran
//! leaves CPython's "coroutine '...' was never awaited" RuntimeWarning in the same queue.

use super::eval::{resume_generator, Resumed, Sent};
use super::tier::{TierGenFrame, TierResumed};
use crate::code::{CodeFlags, CodeObject, Instr};
use crate::frame::{
    exit_suspended, materialize, suspended_foreign_object, suspended_frame_object, InterpreterFrame,
};
use crate::object::exc::err;
use crate::object::lock::{SpinGuard, SpinMutex};
use crate::object::{
    ops, Builtin, ExcKind, Function, KwArgs, NativeObject, Object, PyErr, PyResult, TypeId, Value,
};
use crate::shadow::ShadowFrame;
use crate::stdlib::builtins::args::no_kw;
use crate::thread::{ThreadEntry, ThreadState};
use std::any::Any;
use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

mod finalize;

pub(crate) use finalize::{begin_shutdown, finalizers_pending, poll_finalizers, shutting_down};

/// Generator or coroutine.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum GenKind {
    /// `def` with `yield`.
    Generator,
    /// `async def`.
    Coroutine,
}

impl GenKind {
    fn word(self) -> &'static str {
        match self {
            GenKind::Generator => "generator",
            GenKind::Coroutine => "coroutine",
        }
    }
}

/// What resuming produced.
pub enum Step {
    /// The generator yielded this value.
    Yielded(Value),
    /// The generator returned this value (it is finished).
    Returned(Value),
}

/// A generator's frame: interpreted, or compiled by the tier (`interp::Tier::generator_frame`).
enum GenFrame {
    Interp(Box<InterpreterFrame>),
    Tier(Box<dyn TierGenFrame>),
}

impl GenFrame {
    /// The instruction it is suspended at (0: never started).
    fn pc(&self) -> usize {
        match self {
            GenFrame::Interp(f) => f.pc,
            GenFrame::Tier(t) => t.pc(),
        }
    }

    /// Its shadow frame.
    fn shadow(&mut self) -> *mut ShadowFrame {
        match self {
            GenFrame::Interp(f) => &raw mut f.shadow,
            GenFrame::Tier(t) => t.shadow(),
        }
    }

    /// The `yield from`/`await` delegate it waits on, if suspended in one.
    fn delegate(&self) -> Option<Value> {
        match self {
            GenFrame::Interp(f) if matches!(f.code.instrs[f.pc], Instr::YieldFrom) => {
                f.stack.last().cloned()
            }
            GenFrame::Interp(_) => None,
            GenFrame::Tier(t) => t.delegate(),
        }
    }

    /// Its frame object while suspended, built now if needed.
    fn frame_object(&mut self) -> Value {
        match self {
            GenFrame::Interp(f) => suspended_frame_object(f),
            // SAFETY: the generator keeps the tier's frame alive while suspended, and the tier
            // makes its frame object run again before linking it and hands it the final state
            // before the frame goes (the `TierGenFrame` contract).
            GenFrame::Tier(t) => unsafe { suspended_foreign_object(t.shadow()) },
        }
    }

    /// Reports its references to the exit-time cycle collector.
    fn traverse(&self, visit: &mut dyn FnMut(crate::object::cycles::Edge<'_>)) {
        match self {
            GenFrame::Interp(f) => f.traverse(visit),
            GenFrame::Tier(t) => t.traverse(visit),
        }
    }

    /// Detaches its locals and stack (cyclic garbage).
    fn clear_refs(&mut self, graveyard: &mut crate::object::cycles::Graveyard) {
        match self {
            GenFrame::Interp(f) => f.clear_refs(graveyard),
            GenFrame::Tier(t) => t.clear_refs(graveyard),
        }
    }

    /// Ends it without running it again (never started, or dropped while suspended): its
    /// observers take the final state, with no caller.
    fn discard(self, ts: Option<&mut ThreadState>) {
        match self {
            GenFrame::Interp(mut f) => {
                exit_suspended(&mut f);
                if let Some(ts) = ts {
                    ts.frames.release(f);
                }
            }
            // The tier's frame hands off when dropped suspended.
            GenFrame::Tier(t) => drop(t),
        }
    }
}

/// A generator that does not run.
enum State {
    /// The frame waits at `ReturnGenerator` (never started) or at the `YieldValue`/`YieldFrom`
    /// that suspended it.
    Suspended(GenFrame),
    /// Returned, raised or closed; also the placeholder while the frame runs.
    Finished,
}

/// What a generator keeps while it does not run (see [`Generator`] for who may touch it).
struct Parked {
    state: State,
    /// The exception the generator's frame is handling while suspended (`gi_exc_state`).
    exc_state: Value,
}

/// Where a generator runs (under its lock).
struct Inner {
    /// While it runs: the activation of this shadow frame (owned by that thread's eval loop
    /// or by the tier's frame) on `owner`.
    shadow: *mut ShadowFrame,
    owner: *const ThreadState,
    /// The registry entry of the thread that last ran the generator (its owner while it
    /// runs), to observe the frame from another thread. Kept between resumptions, so that
    /// resuming on the same thread again takes no new reference.
    home: Option<Arc<ThreadEntry>>,
}

/// A generator's lock, held: its observers and resumers see its state through this.
struct Held<'a> {
    inner: SpinGuard<'a, Inner>,
    running: &'a AtomicBool,
    parked: &'a UnsafeCell<Parked>,
}

impl Held<'_> {
    /// Does the generator run? (Its `owner` and `shadow` say where.)
    fn running(&self) -> bool {
        // Acquire: pairs with `Generator::stop`'s Release, which parked the frame without the
        // lock; what it parked is visible to us from here on.
        self.running.load(Ordering::Acquire)
    }

    /// The parked state, unless the generator runs.
    fn parked(&mut self) -> Option<&mut Parked> {
        if self.running() {
            return None;
        }
        // SAFETY: not running, and we hold the lock: the cell is ours (`Generator`'s
        // protocol); the `&mut self` borrow keeps the reference within the lock's hold.
        Some(unsafe { &mut *self.parked.get() })
    }

    /// Step 1's transition, the generator suspended and its frame (shadow frame `shadow`)
    /// already moved out: it runs on `ts`, which becomes its home. Returns the frame's handled
    /// exception, for the thread to take (step 2).
    // Always inlined: out of line it cost a generator resumption 25 instructions.
    #[inline(always)]
    fn start(&mut self, ts: &ThreadState, shadow: *mut ShadowFrame) -> Value {
        let own_exc = match self.parked() {
            Some(parked) => std::mem::replace(&mut parked.exc_state, Value::NONE),
            None => unreachable!("a generator starts only from suspended"),
        };
        let inner = &mut *self.inner;
        inner.shadow = shadow;
        inner.owner = ts;
        let same_home = match (&inner.home, &ts.entry) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        if !same_home {
            inner.home = ts.entry.clone();
        }
        // From here until `Generator::stop`, the parked cell is the running thread's. Relaxed:
        // observers read the flag under the lock, which orders this store before them.
        self.running.store(true, Ordering::Relaxed);
        own_exc
    }
}

/// A generator or coroutine object.
pub struct Generator {
    kind: GenKind,
    code: Arc<CodeObject>,
    name: Value,
    qualname: Value,
    /// `cr_origin`: a tuple of `(filename, line, name)` or None.
    origin: Value,
    /// Where it runs; its lock serializes resumers and observers (see `object::lock`).
    inner: SpinMutex<Inner>,
    /// Does it run?
    running: AtomicBool,
    /// Its state while it does not run.
    parked: UnsafeCell<Parked>,
}

// The protocol, which takes one atomic read-modify-write per resumption (the lock's; a second
// one to stop cost a generator pipeline 3% of its time):
//
// 1. `parked` belongs to the holder of the lock while `running` is false, and to the running
//    thread while it is true.
// 2. A resumption takes the lock, sees `running` false, moves the frame out of `parked`, sets
//    `running` (under the lock, so observers see it) and releases the lock.
// 3. The running thread stops without the lock: it writes `parked` (its own by 1), then clears
//    `running` with Release. A holder of the lock that then loads `running` false with Acquire
//    sees that write; one that still loads `true` does not touch `parked`, and only reads
//    `inner`, which only a resumption (holding the lock) writes.
//
// SAFETY: by the protocol, `parked` has one owner at a time, and a suspended frame is linked on
// no stack; the pointers of `inner` are dereferenced only by their `owner` thread (checked)
// while it runs the frame.
unsafe impl Send for Generator {}
// SAFETY: as above.
unsafe impl Sync for Generator {}

impl Generator {
    /// Takes the lock (module docs, step 1).
    fn hold(&self) -> Held<'_> {
        Held {
            inner: self.inner.lock(),
            running: &self.running,
            parked: &self.parked,
        }
    }

    /// A generator in state `state` that never ran (or whose last run ended on another object).
    fn with_state(
        kind: GenKind,
        code: Arc<CodeObject>,
        names: (Value, Value),
        origin: Value,
        state: State,
        exc_state: Value,
    ) -> Generator {
        Generator {
            kind,
            code,
            name: names.0,
            qualname: names.1,
            origin,
            inner: SpinMutex::new(Inner {
                shadow: std::ptr::null_mut(),
                owner: std::ptr::null(),
                home: None,
            }),
            running: AtomicBool::new(false),
            parked: UnsafeCell::new(Parked { state, exc_state }),
        }
    }
}

/// Calls generator or coroutine function `func`: binds the arguments into a new frame and
/// returns the generator that owns it.
pub(crate) fn create(
    ts: &mut ThreadState,
    callee: &Value,
    func: &Function,
    args: &[Value],
    kwargs: KwArgs,
) -> PyResult<Value> {
    let compiled =
        super::tier::tier().and_then(|t| t.generator_frame(ts, callee, func, args, kwargs));
    let frame = match compiled {
        Some(t) => GenFrame::Tier(t?),
        None => GenFrame::Interp(super::call::new_function_frame(
            ts, callee, func, args, kwargs,
        )?),
    };
    let kind = if func.code.flags.contains(CodeFlags::COROUTINE) {
        GenKind::Coroutine
    } else {
        GenKind::Generator
    };
    let origin = match kind {
        GenKind::Coroutine if ts.coro_origin_depth > 0 => origin_of(ts),
        _ => Value::NONE,
    };
    Ok(Value::native(Generator::with_state(
        kind,
        func.code.clone(),
        (func.names.name.clone(), func.names.qualname.clone()),
        origin,
        State::Suspended(frame),
        Value::NONE,
    )))
}

/// `cr_origin`: the creating frames, innermost first, from code and line only (no frame object).
fn origin_of(ts: &ThreadState) -> Value {
    let entries = crate::frame::stack_entries(ts, 0);
    Value::tuple(
        entries
            .into_iter()
            .take(ts.coro_origin_depth)
            .map(|e| {
                let line = e
                    .code
                    .line_of(e.pc)
                    .map_or(Value::NONE, |l| Value::int(l as i64));
                Value::tuple(vec![
                    Value::str(&e.code.filename),
                    line,
                    Value::str(&e.code.name),
                ])
            })
            .collect(),
    )
}

impl Generator {
    /// Generator or coroutine.
    pub fn kind(&self) -> GenKind {
        self.kind
    }

    /// The error of resuming a finished generator.
    fn exhausted(&self) -> PyErr {
        match self.kind {
            GenKind::Generator => PyErr::with_args(ExcKind::StopIteration, vec![]),
            GenKind::Coroutine => err::runtime_error("cannot reuse already awaited coroutine"),
        }
    }

    /// Resumes the frame with `sent` (module docs, steps 1-4).
    pub(crate) fn resume(&self, ts: &mut ThreadState, sent: Sent) -> PyResult<Step> {
        let (frame, own_exc) = {
            let mut held = self.hold();
            let Some(parked) = held.parked() else {
                return Err(err::value_error(format!(
                    "{} already executing",
                    self.kind.word()
                )));
            };
            match &parked.state {
                State::Finished => {
                    return Err(match sent {
                        Sent::Throw(e) => e,
                        _ => self.exhausted(),
                    })
                }
                State::Suspended(f) => {
                    if let Sent::Value(v) = &sent {
                        if f.pc() == 0 && !v.is_none() {
                            return Err(err::type_error(format!(
                                "can't send non-None value to a just-started {}",
                                self.kind.word()
                            )));
                        }
                    }
                }
            }
            if ts.at_recursion_limit() || ts.native_stack_exhausted() {
                return Err(super::recursion_error());
            }
            let State::Suspended(mut frame) = std::mem::replace(&mut parked.state, State::Finished)
            else {
                unreachable!("checked above")
            };
            let own_exc = held.start(ts, frame.shadow());
            (frame, own_exc)
        };
        ts.exc_outer
            .push(std::mem::replace(&mut ts.exc_info, own_exc));
        let r = match frame {
            GenFrame::Interp(f) => {
                self.code.count_resume();
                match resume_generator(ts, f, sent) {
                    Resumed::Yielded(v, f) => Ok((v, GenFrame::Interp(f))),
                    Resumed::Returned(v) => Err(Ok(v)),
                    Resumed::Raised(e) => Err(Err(e)),
                }
            }
            GenFrame::Tier(mut t) => match t.resume(ts, sent) {
                TierResumed::Yielded(v) => Ok((v, GenFrame::Tier(t))),
                TierResumed::Returned(v) => Err(Ok(v)),
                TierResumed::Raised(e) => Err(Err(e)),
            },
        };
        match r {
            Ok((v, frame)) => {
                self.stop(ts, Some(frame));
                Ok(Step::Yielded(v))
            }
            Err(Ok(v)) => {
                self.stop(ts, None);
                Ok(Step::Returned(v))
            }
            Err(Err(e)) => {
                self.stop(ts, None);
                Err(self.stop_iteration_to_runtime_error(e))
            }
        }
    }

    /// Step 4: the frame stopped running, suspended (`Some`) or finished (`None`); the thread
    /// gets its handled exception back, the generator keeps its own. Runs on the thread that
    /// runs the generator, without the lock (protocol step 3).
    #[inline(always)]
    fn stop(&self, ts: &mut ThreadState, suspended: Option<GenFrame>) {
        let outer = ts.exc_outer.pop().unwrap_or(Value::NONE);
        let own_exc = std::mem::replace(&mut ts.exc_info, outer);
        debug_assert!(self.running.load(Ordering::Relaxed));
        // SAFETY: this thread runs the generator (its caller resumed it), so `parked` is ours
        // until `running` is cleared below (protocol step 1).
        let parked = unsafe { &mut *self.parked.get() };
        match suspended {
            Some(frame) => {
                parked.state = State::Suspended(frame);
                // The old value is the `None` that `start` left.
                parked.exc_state = own_exc;
                self.running.store(false, Ordering::Release);
            }
            None => {
                // `parked.state` is already `Finished` (`start` left it).
                self.running.store(false, Ordering::Release);
                drop(own_exc);
            }
        }
    }

    /// Steps 1 and 2 of `next(gen)` for the eval loop to run the frame itself, linked above
    /// the `for` loop that resumes it (CPython's `FOR_ITER_GEN`): the interpreted frame, with
    /// `None` sent, or None when this resumption must take the general path ([`resume`]: a
    /// tier's frame, a running or finished generator, a coroutine, the recursion limit).
    /// The loop ends the resumption with [`Generator::end_inline`].
    ///
    /// [`resume`]: Generator::resume
    pub(crate) fn begin_inline(&self, ts: &mut ThreadState) -> Option<Box<InterpreterFrame>> {
        if self.kind != GenKind::Generator {
            return None;
        }
        let (mut frame, own_exc) = {
            let mut held = self.hold();
            let parked = held.parked()?;
            if !matches!(parked.state, State::Suspended(GenFrame::Interp(_))) {
                return None;
            }
            if ts.at_recursion_limit() || ts.native_stack_exhausted() {
                return None;
            }
            let State::Suspended(GenFrame::Interp(mut frame)) =
                std::mem::replace(&mut parked.state, State::Finished)
            else {
                unreachable!("checked above")
            };
            let own_exc = held.start(ts, &raw mut frame.shadow);
            (frame, own_exc)
        };
        ts.exc_outer
            .push(std::mem::replace(&mut ts.exc_info, own_exc));
        self.code.count_resume();
        // What `resume_generator` does for a sent `None`.
        if !matches!(frame.code.instrs[frame.pc], Instr::YieldFrom) {
            frame.pc += 1;
        }
        frame.stack.push(Value::NONE);
        frame.is_entry = false;
        Some(frame)
    }

    /// Steps 3 and 4 for a frame [`Generator::begin_inline`] gave out: it suspended again
    /// (`Some(frame)`, unlinked) or returned (`None`).
    pub(crate) fn end_inline(
        &self,
        ts: &mut ThreadState,
        suspended: Option<Box<InterpreterFrame>>,
    ) {
        self.stop(ts, suspended.map(GenFrame::Interp));
    }

    /// [`Generator::end_inline`] for a frame that raised `e`: what the resumer raises.
    pub(crate) fn end_inline_raised(&self, ts: &mut ThreadState, e: PyErr) -> PyErr {
        self.end_inline(ts, None);
        self.stop_iteration_to_runtime_error(e)
    }

    /// PEP 479: a StopIteration escaping the body becomes RuntimeError, caused by it.
    fn stop_iteration_to_runtime_error(&self, e: PyErr) -> PyErr {
        if !e.matches(ExcKind::StopIteration) {
            return e;
        }
        let new = err::runtime_error(format!("{} raised StopIteration", self.kind.word()));
        {
            let x = new.exception();
            let mut st = x.state.lock();
            st.cause = e.value().clone();
            st.context = e.value().clone();
            x.set_suppress_context(&mut st, true);
        }
        new
    }

    /// The `yield from`/`await` delegate the frame waits on, if suspended in one.
    fn delegate(&self) -> Option<Value> {
        match &self.hold().parked()?.state {
            State::Suspended(f) => f.delegate(),
            State::Finished => None,
        }
    }

    /// `throw(exc)`: raises `exc` where the frame waits, passing it to a `yield from`/`await`
    /// delegate first.
    pub(crate) fn throw(&self, ts: &mut ThreadState, exc: PyErr) -> PyResult<Step> {
        let Some(sub) = self.delegate() else {
            return self.resume(ts, Sent::Throw(exc));
        };
        if exc.matches(ExcKind::GeneratorExit) {
            // Close the delegate first; its failure replaces the GeneratorExit.
            return match close_value(ts, &sub) {
                Ok(()) => self.resume(ts, Sent::Throw(exc)),
                Err(e) => self.resume(ts, Sent::Throw(e)),
            };
        }
        let r = match sub.downcast::<Generator>() {
            Some(g) => g.throw(ts, exc),
            None => match ops::getattr(ts, &sub, "throw") {
                Ok(m) => super::call(ts, &m, &[exc.into_value()], &[]).map(Step::Yielded),
                // No `throw`: the exception is raised where the frame waits.
                Err(_) => return self.resume(ts, Sent::Throw(exc)),
            },
        };
        match r {
            Ok(Step::Yielded(v)) => Ok(Step::Yielded(v)),
            Ok(Step::Returned(v)) => self.resume(ts, Sent::Delegated(v)),
            Err(e) if e.matches(ExcKind::StopIteration) => {
                let v = stop_iteration_value(&e);
                self.resume(ts, Sent::Delegated(v))
            }
            Err(e) => self.resume(ts, Sent::Throw(e)),
        }
    }

    /// `close()`: GeneratorExit at the suspension point; returns the generator's return value
    /// if it returns (3.13).
    pub(crate) fn close(&self, ts: &mut ThreadState) -> PyResult<Value> {
        {
            let mut held = self.hold();
            if let Some(parked) = held.parked() {
                match &mut parked.state {
                    State::Finished => return Ok(Value::NONE),
                    State::Suspended(f) if f.pc() == 0 => {
                        // Never started: nothing to run.
                        let State::Suspended(frame) =
                            std::mem::replace(&mut parked.state, State::Finished)
                        else {
                            unreachable!()
                        };
                        drop(held);
                        frame.discard(Some(ts));
                        return Ok(Value::NONE);
                    }
                    State::Suspended(_) => {}
                }
            }
        }
        match self.throw(ts, PyErr::with_args(ExcKind::GeneratorExit, vec![])) {
            Ok(Step::Yielded(_)) => Err(err::runtime_error(format!(
                "{} ignored GeneratorExit",
                self.kind.word()
            ))),
            Ok(Step::Returned(v)) => Ok(v),
            Err(e) if e.matches(ExcKind::GeneratorExit) || e.matches(ExcKind::StopIteration) => {
                Ok(Value::NONE)
            }
            Err(e) => Err(e),
        }
    }

    /// `gi_frame` / `cr_frame`.
    ///
    /// The frame of a generator running on another thread is materialized there, in a
    /// handshake (`thread::run_on`), as `sys._current_frames` does. The handshake finds the
    /// frame still linked on that thread's stack, or the generator has moved on meanwhile
    /// (suspended or finished), and the state is read again.
    fn frame(&self, ts: &mut ThreadState) -> PyResult<Value> {
        loop {
            let (shadow, home) = {
                let mut held = self.hold();
                if let Some(parked) = held.parked() {
                    return Ok(match &mut parked.state {
                        State::Finished => Value::NONE,
                        State::Suspended(f) => f.frame_object(),
                    });
                }
                let inner = &*held.inner;
                if std::ptr::eq(inner.owner, ts) {
                    let sf = inner.shadow;
                    drop(held);
                    // SAFETY: the generator runs on this thread, so its frame is linked on
                    // our stack below us and cannot end while we run.
                    return Ok(unsafe { materialize(ts, sf) });
                }
                (inner.shadow as usize, inner.home.clone())
            };
            let Some(home) = home else {
                return Err(err::runtime_error(
                    "frame of a generator running on an unregistered thread",
                ));
            };
            let got = crate::thread::run_on(ts, &home, move |ots| {
                let sf = shadow as *mut ShadowFrame;
                // SAFETY: walking the stopped owner's own stack in the handshake.
                let linked =
                    unsafe { crate::shadow::ShadowWalk::new(ots.shadow_top) }.any(|f| f == sf);
                // SAFETY: linked on the owner's stack, which stays still until we return.
                linked.then(|| unsafe { materialize(ots, sf) })
            });
            match got {
                Some(Some(v)) => return Ok(v),
                // It suspended or finished meanwhile: read the state again.
                Some(None) => {}
                None => {
                    return Err(err::runtime_error(
                        "frame of a generator whose thread exited",
                    ))
                }
            }
        }
    }

    fn is_running(&self) -> bool {
        self.hold().running()
    }

    fn is_suspended(&self) -> bool {
        let mut held = self.hold();
        matches!(held.parked(), Some(Parked { state: State::Suspended(f), .. }) if f.pc() != 0)
    }
}

/// `sub.close()` for a `yield from` delegate (one without `close` needs nothing).
fn close_value(ts: &mut ThreadState, sub: &Value) -> PyResult<()> {
    if let Some(g) = sub.downcast::<Generator>() {
        return g.close(ts).map(drop);
    }
    match ops::getattr(ts, sub, "close") {
        Ok(m) => super::call(ts, &m, &[], &[]).map(drop),
        Err(_) => Ok(()),
    }
}

/// The value a StopIteration carries (`args[0]`, or None).
fn stop_iteration_value(e: &PyErr) -> Value {
    e.exception()
        .args
        .as_tuple()
        .and_then(|a| a.first().cloned())
        .unwrap_or(Value::NONE)
}

/// `YieldFrom`: sends `v` into the delegate `sub`.
pub(crate) fn send_into(ts: &mut ThreadState, sub: &Value, v: Value) -> PyResult<Step> {
    if let Some(g) = sub.downcast::<Generator>() {
        return g.resume(ts, Sent::Value(v));
    }
    if v.is_none() {
        // A StopIteration from inside the delegate is its return, with its value.
        return match ops::iter_next_raw(ts, sub) {
            Ok(Some(y)) => Ok(Step::Yielded(y)),
            Ok(None) => Ok(Step::Returned(Value::NONE)),
            Err(e) if e.matches(ExcKind::StopIteration) => {
                Ok(Step::Returned(stop_iteration_value(&e)))
            }
            Err(e) => Err(e),
        };
    }
    let send = ops::getattr(ts, sub, "send")?;
    match super::call(ts, &send, &[v], &[]) {
        Ok(y) => Ok(Step::Yielded(y)),
        Err(e) if e.matches(ExcKind::StopIteration) => Ok(Step::Returned(stop_iteration_value(&e))),
        Err(e) => Err(e),
    }
}

/// `GetYieldFromIter`: a generator delegates to itself; a coroutine only from a coroutine.
pub(crate) fn yield_from_iter(
    ts: &mut ThreadState,
    code: &CodeObject,
    v: Value,
) -> PyResult<Value> {
    if let Some(g) = v.downcast::<Generator>() {
        if g.kind == GenKind::Coroutine && !code.flags.contains(CodeFlags::COROUTINE) {
            return Err(err::type_error(
                "cannot 'yield from' a coroutine object in a non-coroutine generator",
            ));
        }
        return Ok(v);
    }
    ops::get_iter(ts, &v)
}

/// `GetAwaitable`: only coroutines can be awaited in the subset.
pub(crate) fn awaitable(v: Value) -> PyResult<Value> {
    match v.downcast::<Generator>() {
        Some(g) if g.kind == GenKind::Coroutine => Ok(v),
        _ => Err(err::type_error(format!(
            "object {} can't be used in 'await' expression",
            v.py_type().name()
        ))),
    }
}

/// `next(gen)`: the yielded value, or StopIteration carrying the return value.
pub fn next_or_stop(ts: &mut ThreadState, g: &Generator) -> PyResult<Value> {
    step_result(g.resume(ts, Sent::Value(Value::NONE)))
}

fn receiver<'a>(args: &'a [Value], method: &str) -> PyResult<&'a Generator> {
    args.first()
        .and_then(|v| v.downcast::<Generator>())
        .ok_or_else(|| err::type_error(format!("{method}() needs a generator")))
}

/// What `send`/`next` return: the yielded value, or StopIteration with the return value (none
/// for None, as CPython raises it).
fn step_result(r: PyResult<Step>) -> PyResult<Value> {
    match r? {
        Step::Yielded(v) => Ok(v),
        Step::Returned(v) if v.is_none() => Err(PyErr::with_args(ExcKind::StopIteration, vec![])),
        Step::Returned(v) => Err(PyErr::with_args(ExcKind::StopIteration, vec![v])),
    }
}

fn m_send(ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    let g = receiver(args, "send")?;
    no_kw(kw, "send")?;
    if args.len() != 2 {
        return Err(err::type_error(format!(
            "{}.send() takes exactly one argument ({} given)",
            g.kind.word(),
            args.len() - 1
        )));
    }
    step_result(g.resume(ts, Sent::Value(args[1].clone())))
}

fn m_throw(ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    let g = receiver(args, "throw")?;
    no_kw(kw, "throw")?;
    let n = args.len() - 1;
    if !(1..=3).contains(&n) {
        return Err(err::type_error(format!(
            "throw expected at least 1 argument, got {n}"
        )));
    }
    let exc = thrown(ts, &args[1], args.get(2))?;
    step_result(g.throw(ts, exc))
}

/// The exception `throw(typ[, val])` raises.
fn thrown(ts: &mut ThreadState, typ: &Value, val: Option<&Value>) -> PyResult<PyErr> {
    if typ.as_exception().is_some() {
        if val.is_some_and(|v| !v.is_none()) {
            return Err(err::type_error(
                "instance exception may not have a separate value",
            ));
        }
        return Ok(PyErr::from_value(typ.clone()));
    }
    if let Some(TypeId::Exc(_)) = typ.as_type() {
        let args: Vec<Value> = match val {
            Some(v) if v.as_exception().is_some() => return Ok(PyErr::from_value(v.clone())),
            Some(v) if v.is_none() => vec![],
            Some(v) => vec![v.clone()],
            None => vec![],
        };
        let e = super::call(ts, typ, &args, &[])?;
        return Ok(PyErr::from_value(e));
    }
    Err(err::type_error(format!(
        "exceptions must be classes or instances deriving from BaseException, not {}",
        typ.py_type().name()
    )))
}

fn m_close(ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    let g = receiver(args, "close")?;
    no_kw(kw, "close")?;
    if args.len() != 1 {
        return Err(err::type_error(format!(
            "{}.close() takes no arguments ({} given)",
            g.kind.word(),
            args.len() - 1
        )));
    }
    g.close(ts)
}

fn m_next(ts: &mut ThreadState, args: &[Value], _kw: KwArgs) -> PyResult<Value> {
    next_or_stop(ts, receiver(args, "__next__")?)
}

impl NativeObject for Generator {
    fn drop_runs_code(&self) -> bool {
        // A coroutine that never ran warns; a generator with a handler may run it on close.
        self.kind == GenKind::Coroutine || !self.code.exc_table.is_empty()
    }
    fn py_type(&self) -> TypeId {
        match self.kind {
            GenKind::Generator => TypeId::Generator,
            GenKind::Coroutine => TypeId::Coroutine,
        }
    }

    // For the exit-time cycle collector (`object::cycles`): a suspended frame's references
    // are the generator's.
    fn traverse(&self, visit: &mut dyn FnMut(crate::object::cycles::Edge<'_>)) {
        use crate::object::cycles::Edge;
        for v in [&self.name, &self.qualname, &self.origin] {
            visit(Edge::Value(v));
        }
        let mut held = self.hold();
        // A running generator's references are its frame's, on its thread's stack.
        if let Some(parked) = held.parked() {
            visit(Edge::Value(&parked.exc_state));
            if let State::Suspended(frame) = &parked.state {
                frame.traverse(visit);
            }
        }
    }

    fn clear_refs(&self, graveyard: &mut crate::object::cycles::Graveyard) {
        let mut held = self.hold();
        if let Some(parked) = held.parked() {
            graveyard.bury(std::mem::take(&mut parked.exc_state));
            if let State::Suspended(frame) = &mut parked.state {
                frame.clear_refs(graveyard);
            }
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn getattr(&self, this: &Value, ts: &mut ThreadState, name: &str) -> Option<PyResult<Value>> {
        let method = |name: &'static str, func: crate::object::NativeFn| {
            Ok(Value::from_object(Object::Builtin(Builtin {
                name,
                func,
                bound: Some(this.clone()),
                owner: self.kind.word(),
            })))
        };
        let coro = self.kind == GenKind::Coroutine;
        let attr = match (name, coro) {
            ("__name__", _) => return Some(Ok(self.name.clone())),
            ("__qualname__", _) => return Some(Ok(self.qualname.clone())),
            ("send", _) => return Some(method("send", m_send)),
            ("throw", _) => return Some(method("throw", m_throw)),
            ("close", _) => return Some(method("close", m_close)),
            ("__next__", false) => return Some(method("__next__", m_next)),
            ("gi_frame", false) | ("cr_frame", true) => "frame",
            ("gi_running", false) | ("cr_running", true) => "running",
            ("gi_suspended", false) | ("cr_suspended", true) => "suspended",
            ("gi_code", false) | ("cr_code", true) => "code",
            ("gi_yieldfrom", false) | ("cr_await", true) => "delegate",
            ("cr_origin", true) => return Some(Ok(self.origin.clone())),
            _ => return None,
        };
        Some(match attr {
            "frame" => self.frame(ts),
            "running" => Ok(Value::bool(self.is_running())),
            "suspended" => Ok(Value::bool(self.is_suspended())),
            "code" => Ok(crate::object::code_value(&self.code)),
            _ => Ok(self.delegate().unwrap_or(Value::NONE)),
        })
    }

    fn repr(&self, this: &Value, _ts: &mut ThreadState) -> PyResult<String> {
        Ok(format!(
            "<{} object {} at {:#x}>",
            self.kind.word(),
            self.qualname.as_str().unwrap_or("?"),
            this.id()
        ))
    }

    fn is_iterator(&self) -> bool {
        self.kind == GenKind::Generator
    }

    fn iter_next(&self, _this: &Value, ts: &mut ThreadState) -> PyResult<Option<Value>> {
        match self.resume(ts, Sent::Value(Value::NONE)) {
            Ok(Step::Yielded(v)) => Ok(Some(v)),
            Ok(Step::Returned(_)) => Ok(None),
            // Only a finished generator fails so (PEP 479 turns the body's StopIteration into
            // RuntimeError): exhausted.
            Err(e) if e.matches(ExcKind::StopIteration) => Ok(None),
            Err(e) => Err(e),
        }
    }
}
