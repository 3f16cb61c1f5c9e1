//! Unit tests of the compiler: instruction sequences, positions (checked against CPython 3.13's
//! `co_positions`), exception tables, stack depths, and errors.

mod codegen;
mod errors;
mod exceptions;
mod positions;

use super::{compile_module, CompileError};
use crate::code::{CodeObject, ExcEntry, Instr, Position};
use std::sync::Arc;

/// Compiles or panics with the error (also the other modules' tests' way to a code object).
pub(crate) fn compile(src: &str) -> Arc<CodeObject> {
    match compile_module(src, "t.py") {
        Ok(c) => c,
        Err(e) => panic!("compile error: {e:?}"),
    }
}

/// Compiles, expecting an error.
pub(super) fn compile_err(src: &str) -> CompileError {
    match compile_module(src, "t.py") {
        Ok(_) => panic!("expected a compile error for {src:?}"),
        Err(e) => e,
    }
}

/// The code object constant named `name` (searched recursively).
pub(crate) fn code_named(code: &Arc<CodeObject>, name: &str) -> Arc<CodeObject> {
    fn find(code: &Arc<CodeObject>, name: &str) -> Option<Arc<CodeObject>> {
        if &*code.qualname == name {
            return Some(code.clone());
        }
        code.consts
            .iter()
            .filter_map(|c| c.as_code())
            .find_map(|c| find(c, name))
    }
    find(code, name).unwrap_or_else(|| panic!("no code object {name}"))
}

/// The instruction's name (the variant).
pub(super) fn opname(i: &Instr) -> String {
    let s = format!("{i:?}");
    s.split('(').next().unwrap_or_default().to_owned()
}

/// `line:col-end_line:end_col`, CPython style (`None` for no location).
pub(super) fn fmt_pos(p: &Position) -> String {
    if p.line == 0 {
        return "None".into();
    }
    let col = |c: u32| {
        if c == crate::code::NO_COL {
            "None".to_owned()
        } else {
            c.to_string()
        }
    };
    format!(
        "{}:{}-{}:{}",
        p.line,
        col(p.col),
        p.end_line,
        col(p.end_col)
    )
}

/// A readable listing: one instruction per line (`index Instr position`), then the exception
/// table.
pub(super) fn listing(code: &CodeObject) -> String {
    let mut out = String::new();
    for (i, ins) in code.instrs.iter().enumerate() {
        out.push_str(&format!("{i:3} {ins:?} {}\n", fmt_pos(&code.positions[i])));
    }
    for e in &code.exc_table {
        out.push_str(&format!(
            "exc {}..{} -> {} depth {}{}\n",
            e.start,
            e.end,
            e.target,
            e.depth,
            if e.lasti { " lasti" } else { "" }
        ));
    }
    out
}

/// The instruction sequence without positions.
pub(super) fn ops(code: &CodeObject) -> Vec<Instr> {
    code.instrs.clone()
}

/// Exception table as tuples (start, end, target, depth, lasti).
pub(super) fn exc(code: &CodeObject) -> Vec<(u32, u32, u32, u32, bool)> {
    code.exc_table
        .iter()
        .map(|e: &ExcEntry| (e.start, e.end, e.target, e.depth, e.lasti))
        .collect()
}

/// Positions of the instructions whose name is `op`, formatted.
pub(super) fn positions_of(code: &CodeObject, op: &str) -> Vec<String> {
    code.instrs
        .iter()
        .zip(&code.positions)
        .filter(|(i, _)| opname(i) == op)
        .map(|(_, p)| fmt_pos(p))
        .collect()
}
