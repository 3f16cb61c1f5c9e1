//! Not API: what the `push_pop` bench needs of the interpreter to measure the alternative that
//! shadow frames replace, an eagerly maintained interpreter frame per call. Compiled only with
//! the `internals` feature (`cargo bench --features internals --bench push_pop`), hidden from
//! the docs, and free to change with the interpreter.

use crate::code::CodeObject;
use crate::frame::{self, InterpreterFrame};
use crate::object::Value;
use crate::thread::ThreadState;
use std::sync::Arc;

/// An interpreter frame pushed by [`push_eager_frame`], opaque to its holder.
#[repr(transparent)]
pub struct EagerFrame(InterpreterFrame);

/// Pushes a full interpreter frame running `code` with `locals` as its first fast locals, as
/// the interpreter does for a call: from the thread's frame pool, linked on its shadow stack,
/// counted in its recursion depth. The frame stays pushed until [`pop_eager_frame`].
pub fn push_eager_frame(
    ts: &mut ThreadState,
    code: &Arc<CodeObject>,
    locals: &[Value],
) -> *mut EagerFrame {
    let mut f = ts.frames.alloc(code, Value::NONE, Value::NONE);
    f.locals[..locals.len()].clone_from_slice(locals);
    f.shadow.prev = ts.shadow_top;
    let p = Box::into_raw(f);
    // SAFETY: `p` is the boxed frame just leaked; its address is stable until the pop.
    ts.shadow_top = unsafe { &raw mut (*p).shadow };
    ts.frame_pushed();
    p.cast()
}

/// Pops the frame [`push_eager_frame`] returned, as the interpreter does at a return: hands
/// the activation off (`frame::exit_frame`), unlinks it and gives it back to the pool.
///
/// # Safety
/// `f` is the frame `push_eager_frame` returned on `ts`, still on top of its shadow stack.
pub unsafe fn pop_eager_frame(ts: &mut ThreadState, f: *mut EagerFrame) {
    // SAFETY: caller's contract: `f` came from `Box::into_raw` in `push_eager_frame`
    // (`EagerFrame` is a transparent wrapper, same layout) and was not popped before.
    let mut f = unsafe { Box::from_raw(f.cast::<InterpreterFrame>()) };
    frame::exit_frame(ts, &mut f);
    ts.shadow_top = f.shadow.prev;
    ts.frame_popped();
    ts.frames.release(f);
}
