//! The dynasm x86-64 baseline JIT (issue 3). Empty until then: `--jit` modes other than `off`
//! run the interpreter.
