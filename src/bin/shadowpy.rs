//! `shadowpy`: run a Python program on the shadowframe runtime (see [`shadowframe::run`]).
//!
//! ```text
//! shadowpy [--jit=off|hot|all] [--stats=PATH] FILE [ARGS...]
//! ```

use std::process::ExitCode;

/// mimalloc: Python programs churn through small objects (strs, frame objects, traceback
/// records); glibc's malloc spends more time on them than the interpreter does.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOC: shadowframe::alloc::Mimalloc = shadowframe::alloc::Mimalloc;

fn main() -> ExitCode {
    shadowframe::run::main()
}
