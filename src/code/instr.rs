//! The instruction set.
//!
//! Stack effects are written `[inputs] -> [outputs]`, top of stack last. "Names" index
//! `CodeObject::names`, "consts" index `CodeObject::consts`, jump targets are instruction indices.

/// Binary operators (`BinaryOp` / `InplaceOp`).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    TrueDiv,
    /// `//`
    FloorDiv,
    /// `%`
    Mod,
    /// `**`
    Pow,
    /// `<<`
    LShift,
    /// `>>`
    RShift,
    /// `&`
    And,
    /// `|`
    Or,
    /// `^`
    Xor,
    /// `@`
    MatMul,
}

impl BinOp {
    /// The operator's symbol (`+`, `//`, ...), as in TypeError messages.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::TrueDiv => "/",
            BinOp::FloorDiv => "//",
            BinOp::Mod => "%",
            BinOp::Pow => "**",
            BinOp::LShift => "<<",
            BinOp::RShift => ">>",
            BinOp::And => "&",
            BinOp::Or => "|",
            BinOp::Xor => "^",
            BinOp::MatMul => "@",
        }
    }
}

/// Unary operators.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum UnOp {
    /// `-x`
    Neg,
    /// `+x`
    Pos,
    /// `not x`
    Not,
    /// `~x`
    Invert,
}

/// Rich comparisons.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum CmpOp {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CmpOp {
    /// The operator's symbol, as in TypeError messages.
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

/// One bytecode instruction.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Instr {
    /// Does nothing (keeps a line alive for tracing and tracebacks).
    Nop,
    /// `[] -> [consts[i]]`
    LoadConst(u32),
    /// `[] -> [local i]`; UnboundLocalError if unbound.
    LoadFast(u32),
    /// `[v] -> []`, local i = v.
    StoreFast(u32),
    /// `[] -> []`, unbinds local i (UnboundLocalError if unbound).
    DeleteFast(u32),
    /// `[] -> [v]`: globals, then builtins, by `names[i]`; NameError if neither has it.
    LoadGlobal(u32),
    /// `[v] -> []`: `globals[names[i]] = v`.
    StoreGlobal(u32),
    /// `[] -> []`: `del globals[names[i]]` (NameError if missing).
    DeleteGlobal(u32),
    /// `[obj] -> [obj.names[i]]`
    LoadAttr(u32),
    /// `[v, obj] -> []`: `obj.names[i] = v`.
    StoreAttr(u32),
    /// `[obj] -> [callable, self_or_null]`: a method lookup for `CallMethod*`. When `obj` has a
    /// builtin method `names[i]`, pushes the unbound method and `obj`; otherwise pushes
    /// `getattr(obj, names[i])` and the NULL marker ([`crate::object::Value::NULL`]).
    LoadMethod(u32),
    /// `[callable, arg1..argN] -> [result]`
    Call(u32),
    /// `[callable, arg1..argN, kwnames] -> [result]`: N counts positional and keyword values; the
    /// last `len(kwnames)` args are keyword arguments named by the tuple `kwnames`.
    CallKw(u32),
    /// `[callable, self_or_null, arg1..argN] -> [result]`
    CallMethod(u32),
    /// `[callable, self_or_null, arg1..argN, kwnames] -> [result]`
    CallMethodKw(u32),
    /// `[container, key] -> [container[key]]`
    BinarySubscr,
    /// `[v, container, key] -> []`: `container[key] = v`.
    StoreSubscr,
    /// `[container, key] -> []`: `del container[key]`.
    DeleteSubscr,
    /// `[a, b] -> [a op b]`
    BinaryOp(BinOp),
    /// `[a, b] -> [a op= b]` (in place for lists, like `a op b` otherwise).
    InplaceOp(BinOp),
    /// `[a] -> [op a]`
    UnaryOp(UnOp),
    /// `[a, b] -> [a op b]`
    Compare(CmpOp),
    /// `[a, b] -> [a is b]`, or `a is not b` when the flag is set.
    Is(bool),
    /// `[a, b] -> [a in b]`, or `a not in b` when the flag is set.
    Contains(bool),
    /// Jump to the target (a backward jump is a loop back-edge: a safepoint).
    Jump(u32),
    /// `[v] -> []`, jump if `v` is false.
    PopJumpIfFalse(u32),
    /// `[v] -> []`, jump if `v` is true.
    PopJumpIfTrue(u32),
    /// `[v] -> [v]` and jump if false, else `[v] -> []` (for `and`).
    JumpIfFalseOrPop(u32),
    /// `[v] -> [v]` and jump if true, else `[v] -> []` (for `or`).
    JumpIfTrueOrPop(u32),
    /// `[v] -> []`
    PopTop,
    /// `[.., v(i), .., v(1)] -> [.., v(i), .., v(1), v(i)]`: copies the i-th value from the top
    /// (1 = top).
    Copy(u32),
    /// Swaps the top with the i-th value from the top (2 = the one below the top).
    Swap(u32),
    /// `[v1..vN] -> [(v1, .., vN)]`
    BuildTuple(u32),
    /// `[v1..vN] -> [[v1, .., vN]]`
    BuildList(u32),
    /// `[k1, v1, .., kN, vN] -> [{k1: v1, ..}]`
    BuildMap(u32),
    /// `[v1..vN] -> [{v1, .., vN}]`
    BuildSet(u32),
    /// `[start, stop] -> [slice]` (2) or `[start, stop, step] -> [slice]` (3).
    BuildSlice(u32),
    /// `[s1..sN] -> [s1 + .. + sN]` (f-string parts, all strs).
    BuildString(u32),
    /// `[v] -> [format(v)]` or `[v, spec] -> [format(v, spec)]` for f-strings. Flags: bits 0-1 the
    /// conversion (0 none, 1 `!s`, 2 `!r`, 3 `!a`), bit 2 a format spec is on the stack.
    FormatValue(u32),
    /// `[.., list, .., v] -> [.., list, ..]`: appends v to the list at depth i (counted after
    /// popping v, 1 = top). For comprehensions.
    ListAppend(u32),
    /// Like `ListAppend` for sets.
    SetAdd(u32),
    /// `[.., dict, .., k, v] -> [.., dict, ..]`: `dict[k] = v`, dict at depth i after popping.
    MapAdd(u32),
    /// `[seq] -> [vN, .., v1]` (v1 on top), ValueError if the length is not N.
    UnpackSequence(u32),
    /// `[v] -> [iter(v)]`
    GetIter,
    /// `[it] -> [it, next(it)]`, or when exhausted `[it] -> []` and jump to the target.
    ForIter(u32),
    /// `[code] -> [function]` (flags 0) or `[defaults, code] -> [function]` (flags 1: a tuple of
    /// defaults below the code object).
    MakeFunction(u32),
    /// `[v] -> return v`
    ReturnValue,
    /// 0: re-raise the exception being handled; 1: `[exc] -> raise exc`; 2: `[exc, cause] -> raise
    /// exc from cause`. Adds a traceback entry for this frame.
    Raise(u32),
    /// `[.., exc] -> re-raise exc` with no new traceback entry. With arg 1 the value below `exc`
    /// is the index of the instruction that first raised it (pushed by an `lasti` handler), and the
    /// frame's current instruction is restored to it, so `f_lineno` stays at the raise point.
    Reraise(u32),
    /// `[exc] -> [prev, exc]`: the exception becomes the one being handled; the previously
    /// handled exception (or None) is saved below it.
    PushExcInfo,
    /// `[prev] -> []`: restores the previously handled exception.
    PopExcept,
    /// `[exc, type] -> [exc, matches]`: does exc match `except type` (a type or tuple of types)?
    CheckExcMatch,
    /// `[mgr] -> [exit, mgr.__enter__()]`
    BeforeWith,
    /// `[exit, lasti, prev, exc] -> [exit, lasti, prev, exc, exit(type(exc), exc, tb)]`
    WithExceptStart,
    /// `[] -> [module]`: imports module `names[i]`.
    ImportName(u32),
    /// `[module] -> [module, module.names[i]]` (ImportError if missing).
    ImportFrom(u32),
    /// `[] -> [AssertionError]` (the builtin, whatever globals say).
    LoadAssertionError,
    /// The first instruction of generator and coroutine code, never executed: calling such a
    /// function creates the generator with its frame suspended here (so an unstarted
    /// generator's `f_lineno` is the `def` line). Resuming continues after it with the sent value
    /// pushed.
    ReturnGenerator,
    /// `[v] -> suspend, yielding v`. The suspended frame's instruction stays here; resuming
    /// continues after it with the sent value pushed.
    YieldValue,
    /// `[sub, v] -> [sub]` and suspend yielding what `sub.send(v)` yields, or `[sub, v] -> [r]`
    /// when `sub` returns `r` (`yield from` and `await`). A suspended frame stays at this
    /// instruction and resuming runs it again with the sent value pushed; `throw` and `close`
    /// are passed on to `sub` first.
    YieldFrom,
    /// `[v] -> [iter(v)]` for `yield from` (a generator stays itself).
    GetYieldFromIter,
    /// `[v] -> [v]` for `await`: TypeError unless `v` is a coroutine.
    GetAwaitable,
}

impl Instr {
    /// The target of a jump instruction (for `ForIter`, where an exhausted iterator goes).
    pub fn jump_target(&self) -> Option<u32> {
        match *self {
            Instr::Jump(t)
            | Instr::PopJumpIfFalse(t)
            | Instr::PopJumpIfTrue(t)
            | Instr::JumpIfFalseOrPop(t)
            | Instr::JumpIfTrueOrPop(t)
            | Instr::ForIter(t) => Some(t),
            _ => None,
        }
    }

    /// Does control never fall through to the next instruction?
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            Instr::Jump(_) | Instr::ReturnValue | Instr::Raise(_) | Instr::Reraise(_)
        )
    }
}
