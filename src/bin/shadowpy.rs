//! `shadowpy [--jit=off|hot|all] [--stats=PATH] FILE` (being written).
fn main() {}
