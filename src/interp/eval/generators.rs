//! Generator frames in the eval loop: a resumption as the entry frame of its own run
//! ([`resume_generator`], what `next(gen)` from Rust does), and the end of an inline one, a
//! generator frame resumed by the `for` loop of the frame below it (`ForIter`) that yields,
//! returns or raises back to that loop ([`end_inline`]).

use super::{drive, enter, Exit, Failure};
use crate::code::Instr;
use crate::frame::InterpreterFrame;
use crate::interp::gen::Generator;
use crate::object::{PyErr, Value};
use crate::shadow;
use crate::thread::ThreadState;

/// How a generator's frame is resumed.
pub enum Sent {
    /// `send(v)` / `next()`: the suspending instruction's result is `v` (a `YieldFrom` runs
    /// again to pass it on).
    Value(Value),
    /// The `yield from`/`await` the frame waits in finished (its delegate returned `r`, or was
    /// thrown into and returned): the instruction's result is `r`.
    Delegated(Value),
    /// `throw(e)`: `e` is raised at the suspending instruction.
    Throw(PyErr),
}

/// What a generator's frame did when resumed.
pub(crate) enum Resumed {
    /// It suspended again, yielding the value; the frame goes back to its generator.
    Yielded(Value, Box<InterpreterFrame>),
    /// It returned (the frame is gone).
    Returned(Value),
    /// It raised (the frame is gone).
    Raised(PyErr),
}

/// Runs a generator's suspended frame until it yields, returns or raises. The caller has
/// checked the recursion limit and swapped in the generator's handled exception.
#[inline]
pub(crate) fn resume_generator(
    ts: &mut ThreadState,
    mut frame: Box<InterpreterFrame>,
    sent: Sent,
) -> Resumed {
    frame.is_entry = true;
    let mut pending = None;
    match sent {
        Sent::Value(v) => {
            if !matches!(frame.code.instrs[frame.pc], Instr::YieldFrom) {
                frame.pc += 1;
            }
            frame.stack.push(v);
        }
        Sent::Delegated(r) => {
            drop(frame.stack.pop());
            frame.stack.push(r);
            frame.pc += 1;
        }
        Sent::Throw(err) => {
            pending = Some(Failure {
                err,
                fresh: true,
                at: frame.pc,
            })
        }
    }
    let mut frames = ts.frames.take_list();
    enter(ts, &mut frames, frame);
    crate::frame::resume_frame(ts, &frames[0]);
    // Safepoint: function entry (a resumption enters the generator's frame).
    crate::thread::safepoint(ts);
    let exit = drive(ts, &mut frames, pending);
    let top = frames.pop();
    ts.frames.give_list(frames);
    match exit {
        Exit::Return(v) => Resumed::Returned(v),
        Exit::Error(e) => Resumed::Raised(e),
        Exit::Yield(v) => {
            let mut frame = top.expect("the generator's frame");
            crate::frame::suspend_frame(ts, &mut frame);
            let sf: *mut shadow::ShadowFrame = &mut frame.shadow;
            // SAFETY: the generator's frame is the top of our stack (the entry of this run).
            unsafe { shadow::pop(ts.shadow_top_ptr(), sf) };
            ts.frame_popped();
            frame.is_entry = false;
            Resumed::Yielded(v, frame)
        }
    }
}

/// Unlinks the top frame, a generator's that suspends (it keeps its state and any frame
/// object): what `resume_generator` does when its entry frame yields.
pub(super) fn suspend_top(
    ts: &mut ThreadState,
    frames: &mut Vec<Box<InterpreterFrame>>,
) -> Box<InterpreterFrame> {
    let mut frame = frames.pop().expect("the generator's frame");
    crate::frame::suspend_frame(ts, &mut frame);
    let sf: *mut shadow::ShadowFrame = &mut frame.shadow;
    // SAFETY: the generator's frame is the top of our stack (links nest).
    unsafe { shadow::pop(ts.shadow_top_ptr(), sf) };
    ts.frame_popped();
    frame
}

/// Ends the resumption of the generator whose frame ran inline above the top frame of
/// `frames`, and that suspended (`Some(frame)`) or returned (`Generator::end_inline`). The
/// generator is that frame's `ForIter` iterator, on top of its stack until the loop ends.
pub(super) fn end_inline(
    ts: &mut ThreadState,
    frames: &[Box<InterpreterFrame>],
    suspended: Option<Box<InterpreterFrame>>,
) {
    resumed_generator(frames).end_inline(ts, suspended)
}

/// [`end_inline`] for a generator frame that raised `e`: what the `for` loop raises.
pub(super) fn end_inline_raised(
    ts: &mut ThreadState,
    frames: &[Box<InterpreterFrame>],
    e: PyErr,
) -> PyErr {
    resumed_generator(frames).end_inline_raised(ts, e)
}

/// The generator of the `ForIter` of the top frame of `frames`.
fn resumed_generator(frames: &[Box<InterpreterFrame>]) -> &Generator {
    let caller = frames.last().expect("the resumer's frame");
    let gen = caller.stack.last().and_then(Value::downcast::<Generator>);
    gen.expect("the resumed generator on its loop's stack")
}
