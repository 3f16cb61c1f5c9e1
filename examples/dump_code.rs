//! Prints every code object of a Python file: instructions with their positions and the
//! exception table, for comparing with CPython's `co_positions` / `dis` output.
//!
//! ```text
//! cargo run --example dump_code -- prog.py
//! ```

use shadowframe::code::CodeObject;
use shadowframe::compile::compile_module;
use std::io::Write;
use std::sync::Arc;

fn dump(out: &mut impl Write, code: &Arc<CodeObject>) -> std::io::Result<()> {
    writeln!(out, "==== {}", code.qualname)?;
    for (ins, p) in code.instrs.iter().zip(&code.positions) {
        let q = &code.qualname;
        writeln!(
            out,
            "{q}|{ins:?}|{}:{}-{}:{}",
            p.line, p.col, p.end_line, p.end_col
        )?;
    }
    for e in &code.exc_table {
        writeln!(
            out,
            "{}|EXC|{}..{} -> {} depth {} lasti {}",
            code.qualname, e.start, e.end, e.target, e.depth, e.lasti
        )?;
    }
    for c in code.consts.iter().filter_map(|c| c.as_code()) {
        dump(out, c)?;
    }
    Ok(())
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: dump_code FILE.py");
        std::process::exit(2);
    };
    let src = match std::fs::read_to_string(&path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("dump_code: {path}: {e}");
            std::process::exit(2);
        }
    };
    match compile_module(&src, &path) {
        // A closed pipe (`| head`) just ends the listing.
        Ok(code) => drop(dump(&mut std::io::stdout().lock(), &code)),
        Err(e) => {
            eprintln!(
                "{}: {} (line {}, offset {})",
                e.kind, e.msg, e.line, e.offset
            );
            std::process::exit(1);
        }
    }
}
