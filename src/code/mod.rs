//! Code objects: bytecode, constants, names, the position table and the exception table.
//!
//! The bytecode is a stack machine close to CPython 3.13's (so the JIT and tracebacks can follow
//! CPython's reasoning), encoded as a Rust enum per instruction. Every instruction has a
//! [`Position`] (line and column range) so tracebacks can draw CPython's `~~~^^^` carets, and
//! exceptions are routed by an exception table ([`ExcEntry`]) rather than by block-setup
//! instructions: the happy path pays nothing for `try`.
//!
//! Invariants: `instrs.len() == positions.len()`; jump targets are instruction indices inside
//! `instrs`; exception-table entries are listed innermost first, and the first entry whose range
//! contains an instruction is its handler.

mod instr;
pub mod leaf;
mod source;
pub mod windows;

pub use instr::{BinOp, CmpOp, Instr, UnOp};
pub use source::Source;

use crate::object::Value;
use std::sync::Arc;

/// Source position of one instruction: 1-based lines, 0-based UTF-8 byte columns (CPython's
/// `co_positions`). `line == 0` means "no location"; a column of [`NO_COL`] means "unknown".
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub struct Position {
    /// First line.
    pub line: u32,
    /// Last line.
    pub end_line: u32,
    /// Start column (byte offset in `line`).
    pub col: u32,
    /// End column (byte offset in `end_line`).
    pub end_col: u32,
}

/// Column value meaning "unknown".
pub const NO_COL: u32 = u32::MAX;

/// One exception-table entry: an exception raised by an instruction in `start..end` pops the
/// value stack to `depth`, pushes the raising instruction's index if `lasti`, pushes the
/// exception, and jumps to `target`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct ExcEntry {
    /// First protected instruction.
    pub start: u32,
    /// One past the last protected instruction.
    pub end: u32,
    /// Handler.
    pub target: u32,
    /// Value-stack depth to unwind to.
    pub depth: u32,
    /// Push the index of the raising instruction before the exception.
    pub lasti: bool,
}

bitflags::bitflags! {
    /// What kind of code this is.
    #[derive(Copy, Clone, Debug, PartialEq, Eq)]
    pub struct CodeFlags: u32 {
        /// Module-level code: names resolve in the globals dict, `f_locals` is the globals dict.
        const MODULE = 1;
        /// A generator function.
        const GENERATOR = 2;
        /// A coroutine function.
        const COROUTINE = 4;
        /// A lambda.
        const LAMBDA = 8;
    }
}

/// A compiled function body or module.
pub struct CodeObject {
    /// `co_name`.
    pub name: Arc<str>,
    /// `co_qualname`.
    pub qualname: Arc<str>,
    /// `co_filename` (absolute, as the CLI was given it after normalisation).
    pub filename: Arc<str>,
    /// `co_firstlineno`.
    pub first_line: u32,
    /// Kind.
    pub flags: CodeFlags,
    /// Number of positional parameters (the first locals).
    pub argcount: u32,
    /// Names of the fast locals, parameters first (`co_varnames`).
    pub varnames: Vec<Arc<str>>,
    /// Names used by global/attribute/import instructions (str values).
    pub names: Vec<Value>,
    /// Constants (ints, strs, None, bools, tuples of constants, code objects).
    pub consts: Vec<Value>,
    /// The bytecode.
    pub instrs: Vec<Instr>,
    /// One position per instruction.
    pub positions: Vec<Position>,
    /// Exception handlers, innermost first.
    pub exc_table: Vec<ExcEntry>,
    /// Maximum value-stack depth.
    pub max_stack: u32,
    /// The whole source file (for traceback lines).
    pub source: Arc<Source>,
    /// The code object's Python value while anyone holds it, so `f.f_code is g.__code__`
    /// (weak: a code object does not keep its own value alive). Use `object::code_value`.
    pub handle: parking_lot::Mutex<Option<crate::object::rc::WeakRef>>,
    /// What a compiled tier keeps for this code object (the JIT: its compiled code, or why it
    /// refused): set at most once, dropped with the code object, opaque to everything else.
    pub tier: TierSlot,
    /// Resumptions of interpreted generator frames of this code, counted up to
    /// [`RESUMES_COUNTED`]: how a tier sees that generator code is hot when each generator
    /// is created once and resumed many times.
    pub resumes: std::sync::atomic::AtomicU32,
    /// One cache per name of `names`, for `LoadGlobal` (interpreted and compiled alike), made
    /// with the code object ([`CodeObject::caches_for`]): every global load reads one, with
    /// no test of a lazy initialization.
    pub(crate) name_caches: Box<[crate::object::name_cache::NameCache]>,
    /// One cache per name of `names`, for compiled `LoadAttr`s of native objects (the
    /// interpreter takes the generic lookup). Made on first use.
    pub(crate) attr_caches: std::sync::OnceLock<Box<[crate::object::AttrCache]>>,
    /// The frameless path of the code ([`leaf`]), found on first use.
    pub(crate) leaf: std::sync::OnceLock<Option<leaf::LeafPath>>,
    /// By instruction: does a `LoadGlobal` there open a callee window ([`windows`])? Found on
    /// first use by the interpreter (the JIT's analysis runs the same scan).
    pub(crate) window_starts: std::sync::OnceLock<Box<[bool]>>,
}

/// Where [`CodeObject::resumes`] stops counting.
pub const RESUMES_COUNTED: u32 = 1 << 10;

impl CodeObject {
    /// The caches of global-name lookups, one per name (`LoadGlobal(i)` uses the `i`th); they
    /// stay at their address for the life of the code object (compiled code embeds it).
    #[inline(always)]
    pub(crate) fn name_caches(&self) -> &[crate::object::name_cache::NameCache] {
        &self.name_caches
    }

    /// The global-name caches of a code object whose names are `names` (its
    /// `name_caches`).
    pub(crate) fn caches_for(
        names: &[crate::object::Value],
    ) -> Box<[crate::object::name_cache::NameCache]> {
        let hash = |n: &crate::object::Value| n.as_pystr().map_or(0, |s| s.hash());
        (names.iter())
            .map(|n| crate::object::name_cache::NameCache::for_hash(hash(n)))
            .collect()
    }

    /// The caches of attribute loads, one per name (`LoadAttr(i)` uses the `i`th); they stay
    /// at their address for the life of the code object (compiled code embeds it).
    pub(crate) fn attr_caches(&self) -> &[crate::object::AttrCache] {
        self.attr_caches
            .get_or_init(|| self.names.iter().map(|_| Default::default()).collect())
    }

    /// The code's frameless path ([`leaf`]), if it has one.
    #[inline]
    pub fn leaf(&self) -> Option<&leaf::LeafPath> {
        self.leaf.get_or_init(|| leaf::leaf_path(self)).as_ref()
    }

    /// Does the `LoadGlobal` at `pc` open a callee window ([`windows`])?
    #[inline]
    pub fn opens_window(&self, pc: usize) -> bool {
        let starts = self.window_starts.get_or_init(|| {
            windows::callee_windows(self)
                .iter()
                .map(Option::is_some)
                .collect()
        });
        starts.get(pc).copied().unwrap_or(false)
    }

    /// Counts one resumption of an interpreted generator frame (a load and, below the cap, a
    /// store: an increment lost to a race only delays a tier's decision).
    #[inline]
    pub fn count_resume(&self) {
        use std::sync::atomic::Ordering::Relaxed;
        let n = self.resumes.load(Relaxed);
        if n < RESUMES_COUNTED {
            self.resumes.store(n + 1, Relaxed);
        }
    }
}

/// The per-code-object slot of a compiled tier (see [`CodeObject::tier`]).
pub type TierSlot = std::sync::OnceLock<Box<dyn std::any::Any + Send + Sync>>;

impl CodeObject {
    /// Position of instruction `pc` (a default "no location" past the end).
    pub fn position(&self, pc: usize) -> Position {
        self.positions.get(pc).copied().unwrap_or_default()
    }

    /// Line of instruction `pc` (CPython's `PyCode_Addr2Line`), `None` if it has no line.
    pub fn line_of(&self, pc: usize) -> Option<u32> {
        match self.position(pc).line {
            0 => None,
            n => Some(n),
        }
    }

    /// The handler for an exception raised at `pc`.
    pub fn handler_for(&self, pc: usize) -> Option<&ExcEntry> {
        let pc = pc as u32;
        self.exc_table.iter().find(|e| e.start <= pc && pc < e.end)
    }

    /// Index of local `name`.
    pub fn local_index(&self, name: &str) -> Option<usize> {
        self.varnames.iter().position(|n| &**n == name)
    }

    /// Is this module-level code?
    pub fn is_module(&self) -> bool {
        self.flags.contains(CodeFlags::MODULE)
    }
}

impl std::fmt::Debug for CodeObject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "<code object {} at {:p}, file \"{}\", line {}>",
            self.name, self, self.filename, self.first_line
        )
    }
}
