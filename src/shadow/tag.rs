//! Tags in the low bits of `ShadowFrame::data`.

bitflags::bitflags! {
    /// Low bits of `ShadowFrame::data`.
    ///
    /// The kind is bits 0-1: `00` interpreted (points to an `InterpreterFrame`), `01` JIT (points
    /// to the JIT code object that answers for the activation), `10` materialized (points to the
    /// activation's frame object). Bit 2 says the activation belongs to JIT code, so a JIT
    /// epilogue asks "was I materialized?" with a single test of bit 1.
    #[derive(Copy, Clone, Debug, PartialEq, Eq)]
    pub struct Tag: usize {
        /// A JIT activation, answered for by its code object.
        const JIT = 0b0001;
        /// A materialized activation: `data` points to its frame object.
        const MATERIALIZED = 0b0010;
        /// The activation is owned by JIT code (not by the interpreter).
        const OWNED_BY_JIT = 0b0100;
        /// Someone holds the identity of this JIT activation (its lazy traceback record), or a
        /// callee that ended by an exception waits for it as its `f_back` (the record may not
        /// exist yet): the epilogue must call `frame::exit_foreign`. Tested together with
        /// `MATERIALIZED` in one instruction (`test byte [data], MATERIALIZED | OBSERVED`).
        const OBSERVED = 0b1000;
    }
}

impl Tag {
    /// All tag bits.
    pub const MASK: usize = 0b1111;
    /// The bits a JIT epilogue tests: set when the activation's state must be handed off.
    pub const HAND_OFF: u8 = 0b1010;
}

/// What a shadow frame's pointer points to.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An interpreter frame.
    Interpreted,
    /// A JIT activation (its JIT code object).
    Jit,
    /// A frame object (the activation has been materialized).
    Materialized,
}

impl Kind {
    /// The kind of a tagged word.
    #[inline]
    pub fn of(data: usize) -> Kind {
        match data & 0b11 {
            0b00 => Kind::Interpreted,
            0b01 => Kind::Jit,
            _ => Kind::Materialized,
        }
    }
}
