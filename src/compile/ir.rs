//! The code generator's output before assembly: instructions whose jump targets are labels, each
//! with an optional source position (`None` is CPython's `NO_LOCATION`, filled in later by
//! [`super::assemble`]) and the exception handler in effect when it was emitted.
//!
//! Exception handling is structured like CPython's `SETUP_*`/`POP_BLOCK` pseudo-instructions:
//! [`Ir::push_handler`] and [`Ir::pop_handler`] maintain a handler stack, and every instruction
//! records its top. A handler remembers the value-stack depth to unwind to, which the emitter
//! knows because it tracks the stack depth of straight-line code ([`Ir::depth`]); labels carry the
//! depth of the jumps that reach them. `assemble` recomputes depths by flow analysis and checks
//! them against these.

use crate::code::{Instr, Position};

/// A jump target, bound to a position in the instruction list with [`Ir::bind`].
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Label(pub u32);

/// A source position, or `None` for "artificial" (CPython's `NO_LOCATION`).
pub(crate) type Loc = Option<Position>;

/// One instruction; jump targets inside `instr` are label numbers until assembly.
#[derive(Clone, Debug)]
pub(crate) struct IrInstr {
    /// The instruction.
    pub instr: Instr,
    /// Its position.
    pub loc: Loc,
    /// Index in [`Ir::handlers`] of the handler protecting it.
    pub handler: Option<u32>,
}

/// An exception handler (one `SETUP_FINALLY`/`SETUP_CLEANUP`/`SETUP_WITH`).
#[derive(Clone, Debug)]
pub(crate) struct Handler {
    /// Where the handler code starts.
    pub label: Label,
    /// Value-stack depth to unwind to.
    pub depth: u32,
    /// Push the index of the raising instruction before the exception.
    pub lasti: bool,
}

/// The instruction list of one code object under construction.
#[derive(Default)]
pub(crate) struct Ir {
    /// Instructions, in layout order.
    pub instrs: Vec<IrInstr>,
    /// For each label, the index of the instruction it is bound before.
    pub labels: Vec<Option<usize>>,
    /// Every handler pushed.
    pub handlers: Vec<Handler>,
    /// The handlers in effect, innermost last.
    pub handler_stack: Vec<u32>,
    /// Value-stack depth after the last instruction (valid while `reachable`).
    pub depth: i64,
    /// Is the next instruction reachable by falling through?
    pub reachable: bool,
    /// Depth at each label, from the jumps seen so far.
    label_depth: Vec<Option<i64>>,
}

/// The label-number field of a jump instruction.
pub(crate) fn jump_target(i: &Instr) -> Option<u32> {
    i.jump_target()
}

/// The same jump with another target.
pub(crate) fn retarget(i: Instr, t: u32) -> Instr {
    match i {
        Instr::Jump(_) => Instr::Jump(t),
        Instr::PopJumpIfFalse(_) => Instr::PopJumpIfFalse(t),
        Instr::PopJumpIfTrue(_) => Instr::PopJumpIfTrue(t),
        Instr::JumpIfFalseOrPop(_) => Instr::JumpIfFalseOrPop(t),
        Instr::JumpIfTrueOrPop(_) => Instr::JumpIfTrueOrPop(t),
        Instr::ForIter(_) => Instr::ForIter(t),
        other => other,
    }
}

/// Does control never fall through to the next instruction?
pub(crate) fn is_terminal(i: &Instr) -> bool {
    i.is_terminal()
}

/// Does the instruction leave the code object (return or raise)?
pub(crate) fn exits_scope(i: &Instr) -> bool {
    matches!(i, Instr::ReturnValue | Instr::Raise(_) | Instr::Reraise(_))
}

/// The values an instruction reads from the stack (pops, or reads in place below the top),
/// and how many it leaves in their place, on the fallthrough edge and on the jump edge: its
/// stack effect is the difference, and what it reads is the depth it needs. The interpreter
/// pops without a check, relying on the assembler to verify that depth on every path
/// (`assemble::max_stack_depth`), so `reads` must cover every value the interpreter reads.
struct StackIo {
    reads: i64,
    leaves: i64,
    leaves_on_jump: i64,
}

fn stack_io(i: &Instr) -> StackIo {
    let n = |x: u32| x as i64;
    let io = |reads: i64, leaves: i64| (reads, leaves, leaves);
    let (reads, leaves, leaves_on_jump) = match *i {
        Instr::Nop | Instr::Jump(_) | Instr::DeleteFast(_) | Instr::DeleteGlobal(_) => io(0, 0),
        Instr::LoadConst(_)
        | Instr::LoadFast(_)
        | Instr::LoadGlobal(_)
        | Instr::ImportName(_)
        | Instr::LoadAssertionError
        | Instr::ReturnGenerator => io(0, 1),
        Instr::LoadAttr(_)
        | Instr::UnaryOp(_)
        | Instr::GetIter
        | Instr::YieldValue
        | Instr::GetYieldFromIter
        | Instr::GetAwaitable => io(1, 1),
        Instr::LoadMethod(_) | Instr::PushExcInfo | Instr::BeforeWith | Instr::ImportFrom(_) => {
            io(1, 2)
        }
        Instr::StoreFast(_)
        | Instr::StoreGlobal(_)
        | Instr::PopJumpIfFalse(_)
        | Instr::PopJumpIfTrue(_)
        | Instr::PopTop
        | Instr::ReturnValue
        | Instr::PopExcept => io(1, 0),
        Instr::JumpIfFalseOrPop(_) | Instr::JumpIfTrueOrPop(_) => (1, 0, 1),
        Instr::ForIter(_) => (1, 2, 0),
        Instr::UnpackSequence(k) => io(1, n(k)),
        Instr::BinarySubscr
        | Instr::BinaryOp(_)
        | Instr::InplaceOp(_)
        | Instr::Compare(_)
        | Instr::Is(_)
        | Instr::Contains(_)
        | Instr::YieldFrom => io(2, 1),
        // The exception stays below the type it is matched against.
        Instr::CheckExcMatch => io(2, 2),
        Instr::StoreAttr(_) | Instr::DeleteSubscr => io(2, 0),
        Instr::StoreSubscr => io(3, 0),
        // Reads the exit function four below the exception, pushes the exit's result.
        Instr::WithExceptStart => io(4, 5),
        Instr::Copy(k) => io(n(k).max(1), n(k).max(1) + 1),
        Instr::Swap(k) => io(n(k).max(1), n(k).max(1)),
        // Pop the item; the container `k` below stays.
        Instr::ListAppend(k) | Instr::SetAdd(k) => io(n(k) + 1, n(k)),
        Instr::MapAdd(k) => io(n(k) + 2, n(k)),
        Instr::Call(k) => io(n(k) + 1, 1),
        Instr::CallKw(k) | Instr::CallMethod(k) => io(n(k) + 2, 1),
        Instr::CallMethodKw(k) => io(n(k) + 3, 1),
        Instr::BuildTuple(k)
        | Instr::BuildList(k)
        | Instr::BuildSet(k)
        | Instr::BuildSlice(k)
        | Instr::BuildString(k) => io(n(k), 1),
        Instr::BuildMap(k) => io(2 * n(k), 1),
        Instr::FormatValue(flags) => io(1 + i64::from(flags & 4 != 0), 1),
        Instr::MakeFunction(flags) => io(1 + n(flags & 1), 1),
        Instr::Raise(k) => io(n(k), 0),
        // Terminal: what it leaves reaches no instruction.
        Instr::Reraise(k) => io(1 + i64::from(k == 1), i64::from(k == 1)),
    };
    StackIo {
        reads,
        leaves,
        leaves_on_jump,
    }
}

/// Stack effect of an instruction, on the jump edge when `jump`, else on the fallthrough edge.
pub(crate) fn stack_effect(i: &Instr, jump: bool) -> i64 {
    let io = stack_io(i);
    let leaves = if jump { io.leaves_on_jump } else { io.leaves };
    leaves - io.reads
}

/// How many values an instruction reads from the stack: the depth it needs.
pub(crate) fn stack_inputs(i: &Instr) -> i64 {
    stack_io(i).reads
}

impl Ir {
    /// An empty instruction list; the entry is reachable at depth 0.
    pub fn new() -> Ir {
        Ir {
            reachable: true,
            ..Ir::default()
        }
    }

    /// A fresh, unbound label.
    pub fn new_label(&mut self) -> Label {
        self.labels.push(None);
        self.label_depth.push(None);
        Label(self.labels.len() as u32 - 1)
    }

    /// Binds `label` before the next instruction. Control arriving by a jump makes the code
    /// reachable again, at the jump's depth.
    pub fn bind(&mut self, label: Label) {
        let l = label.0 as usize;
        debug_assert!(self.labels[l].is_none(), "label bound twice");
        self.labels[l] = Some(self.instrs.len());
        match self.label_depth[l] {
            Some(d) => {
                debug_assert!(
                    !self.reachable || d == self.depth,
                    "stack depth mismatch at a label: {d} vs {}",
                    self.depth
                );
                self.depth = d;
                self.reachable = true;
            }
            None if self.reachable => self.label_depth[l] = Some(self.depth),
            None => {}
        }
    }

    /// Binds the label of handler `h`, where the stack holds the unwound stack, the raising
    /// instruction's index (if `lasti`) and the exception.
    pub fn bind_handler(&mut self, h: u32) {
        let handler = self.handlers[h as usize].clone();
        self.reachable = false;
        self.bind(handler.label);
        self.depth = handler.depth as i64 + handler.lasti as i64 + 1;
        self.label_depth[handler.label.0 as usize] = Some(self.depth);
        self.reachable = true;
    }

    /// Appends an instruction (jump targets are label numbers).
    pub fn emit(&mut self, instr: Instr, loc: Loc) {
        if self.reachable {
            if let Some(t) = jump_target(&instr) {
                let d = self.depth + stack_effect(&instr, true);
                let slot = &mut self.label_depth[t as usize];
                debug_assert!(
                    slot.is_none_or(|old| old == d),
                    "stack depth mismatch at jump: {slot:?} vs {d} for {instr:?}"
                );
                slot.get_or_insert(d);
            }
        }
        self.depth += stack_effect(&instr, false);
        if is_terminal(&instr) {
            self.reachable = false;
        }
        self.instrs.push(IrInstr {
            instr,
            loc,
            handler: self.handler_stack.last().copied(),
        });
    }

    /// Protects the following instructions with a handler at `label` that unwinds the stack to
    /// `depth` (CPython's `SETUP_FINALLY`/`SETUP_CLEANUP`/`SETUP_WITH`). Returns its id.
    pub fn push_handler(&mut self, label: Label, depth: i64, lasti: bool) -> u32 {
        let id = self.handlers.len() as u32;
        self.handlers.push(Handler {
            label,
            depth: depth.max(0) as u32,
            lasti,
        });
        self.handler_stack.push(id);
        id
    }

    /// Ends the protection of handler `id` (CPython's `POP_BLOCK`).
    pub fn pop_handler(&mut self, id: u32) {
        let top = self.handler_stack.pop();
        debug_assert_eq!(top, Some(id), "handlers popped out of order");
    }
}
