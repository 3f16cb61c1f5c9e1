//! The compiler: Python source (parsed by `ruff_python_parser`) to code objects.
//! (Being written: the signature is the contract.)

use crate::code::CodeObject;
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
    /// 1-based end column offset in characters.
    pub end_offset: u32,
    /// The text of the line.
    pub text: Option<String>,
}

/// Compiles a module.
pub fn compile_module(source: &str, filename: &str) -> Result<Arc<CodeObject>, CompileError> {
    let _ = (source, filename);
    todo!("compile_module")
}
