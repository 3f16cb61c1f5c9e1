//! The compiler: Python source (parsed by `ruff_python_parser`) to [`CodeObject`]s.
//!
//! The job is CPython 3.13's `compile()` for the language subset of `DESIGN.md`, with one goal
//! above speed: every instruction that can raise, call or return carries the source range
//! CPython 3.13 gives it, so tracebacks, carets and `f_lineno` come out byte for byte the same.
//! The code generator therefore follows CPython's `compile.c` structure closely (the same
//! block layout for `try`/`with`/loops, the same unwinding for `return`/`break`/`continue`, the
//! same inlined comprehensions), and `assemble` runs CPython's line-number passes
//! (`duplicate_exits_without_lineno`, `propagate_line_numbers`) on the result.
//!
//! Pipeline ([`compile_module`], run on a dedicated thread with a 512 MiB stack so deeply nested
//! source cannot overflow the native stack):
//!
//! 1. parse with ruff (target Python 3.13); tokenizer-level checks CPython does first (bracket
//!    nesting, indentation depth) in `errors`;
//! 2. `scope`: which names are fast locals, globals, comprehension variables; rejects closures;
//! 3. code generation (`unit`, `stmt`, `flow`, `expr`, `comprehension`, `literal`)
//!    into an instruction list with labels and an exception-handler stack (`ir`);
//! 4. `assemble`: dead code removal, CPython's line-number propagation, labels to indices,
//!    the exception table and the maximum stack depth.
//!
//! Invariants of the output (what the interpreter relies on): see the `Instr` docs and
//! `DESIGN.md`; handler stack layouts are documented in `flow` and `comprehension`.
//! Unsupported constructs are `SyntaxError`s naming the construct, never panics.

mod assemble;
mod comprehension;
mod errors;
mod expr;
mod flow;
mod ir;
mod literal;
mod scope;
mod stmt;
mod unit;

#[cfg(test)]
pub(crate) mod tests;

use crate::code::{CodeObject, Source};
use ruff_python_ast::PythonVersion;
use ruff_python_parser::{parse_unchecked, Mode, ParseOptions};
use std::sync::Arc;

/// Why a source file could not be compiled: CPython prints it as a `SyntaxError`.
#[derive(Debug, Clone)]
pub struct CompileError {
    /// The exception type name: `SyntaxError` or `IndentationError`.
    pub kind: &'static str,
    /// The message (`invalid syntax`, `'return' outside function`, ...).
    pub msg: String,
    /// File name.
    pub filename: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column offset in characters (CPython's `offset`).
    pub offset: u32,
    /// 1-based end line.
    pub end_line: u32,
    /// 1-based end column offset in characters (0 when CPython has none, e.g. -1).
    pub end_offset: u32,
    /// The text of the line (with its line ending, as CPython's `SyntaxError.text`).
    pub text: Option<String>,
}

impl std::fmt::Display for CompileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {} ({}, line {})",
            self.kind, self.msg, self.filename, self.line
        )
    }
}

impl std::error::Error for CompileError {}

/// Stack of the thread that parses and compiles: deep nesting recurses in the parser, the
/// analysis and the code generator, and dropping a deep AST recurses too.
const COMPILER_STACK: usize = 512 << 20;

/// Compiles a module: `<module>` code whose names live in the globals dict.
///
/// Runs on a dedicated thread with a large stack; a panic in the compiler (a bug) is reported as
/// a `SyntaxError` rather than unwinding into the caller.
pub fn compile_module(source: &str, filename: &str) -> Result<Arc<CodeObject>, CompileError> {
    let src = source.to_owned();
    let name = filename.to_owned();
    // The constants are made for the caller, who waits for them (counting nothing).
    let owner = crate::object::rc::Lent::of_this_thread();
    let spawned = std::thread::Builder::new()
        .name("shadowpy-compiler".into())
        .stack_size(COMPILER_STACK)
        // SAFETY: the caller only joins this thread meanwhile (it clones and drops no value,
        // and is not parked: `join` here is not `thread::blocking`).
        .spawn(move || unsafe { owner.run(|| compile_on_this_thread(src, &name)) });
    let result = match spawned {
        Ok(handle) => handle.join(),
        // No thread (resource limits): compile here; the recursion guards still apply.
        Err(_) => Ok(compile_on_this_thread(source.to_owned(), filename)),
    };
    match result {
        Ok(r) => r,
        Err(_) => Err(CompileError {
            kind: "SyntaxError",
            msg: "internal compiler error".into(),
            filename: filename.to_owned(),
            line: 0,
            offset: 0,
            end_line: 0,
            end_offset: 0,
            text: None,
        }),
    }
}

/// The whole pipeline, on the current thread.
fn compile_on_this_thread(text: String, filename: &str) -> Result<Arc<CodeObject>, CompileError> {
    if let Some(at) = text.find('\0') {
        // CPython's tokenizer refuses NUL bytes before parsing: the line, an empty text, no caret.
        let line = text[..at].matches('\n').count() as u32 + 1;
        return Err(CompileError {
            kind: "SyntaxError",
            msg: "source code cannot contain null bytes".into(),
            filename: filename.to_owned(),
            line,
            offset: 0,
            end_line: 0,
            end_offset: 0,
            text: Some(String::new()),
        });
    }
    let source = Arc::new(Source::new(filename, text));
    let options = ParseOptions::from(Mode::Module).with_target_version(PythonVersion::PY313);
    let parsed = parse_unchecked(&source.text, options);
    if let Err(fail) = errors::check_parse(&source, &parsed) {
        return Err(errors::to_compile_error(&source, fail));
    }
    let module = match parsed.try_into_module() {
        Some(m) => m.into_syntax(),
        None => unreachable!("module mode parses a module"),
    };
    let result = scope::analyze(&module.body).and_then(|table| {
        let mut compiler = unit::Compiler::new(source.clone(), &table);
        compiler.compile_module(&module.body)
    });
    result.map_err(|fail| errors::to_compile_error(&source, fail))
}
