//! What a program prints while the runtime shuts down, compared with CPython 3.13's output once
//! object addresses (which differ between any two runs) are masked.

use std::process::Command;

const FINALLY_RAISES: &str = r#"
def g():
    try:
        yield 1
    finally:
        raise ValueError("in finally")

x = g()
next(x)
print("end")
"#;

/// Replaces every `0x...` address with `0xADDR`.
fn mask(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("0x") {
        out.push_str(&rest[..i]);
        out.push_str("0xADDR");
        rest = rest[i + 2..].trim_start_matches(|c: char| c.is_ascii_hexdigit());
    }
    out.push_str(rest);
    out
}

/// A generator closed by the module's teardown raises in its `finally`: the unraisable report
/// names the generator and the frame, without source lines (CPython cannot read files by then),
/// in every JIT mode.
#[test]
fn unraisable_report_at_shutdown_has_no_source_lines() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("shutdown");
    std::fs::create_dir_all(&dir).unwrap();
    let prog = dir.join("finally_raises.py");
    std::fs::write(&prog, FINALLY_RAISES).unwrap();
    let expected = format!(
        "Exception ignored in: <generator object g at 0xADDR>\n\
         Traceback (most recent call last):\n  File \"{}\", line 6, in g\n\
         ValueError: in finally\n",
        prog.display()
    );
    for jit in ["off", "hot", "all"] {
        let out = Command::new(env!("CARGO_BIN_EXE_shadowpy"))
            .arg(format!("--jit={jit}"))
            .arg(&prog)
            .output()
            .expect("shadowpy runs");
        assert!(out.status.success(), "{jit}");
        assert_eq!(String::from_utf8_lossy(&out.stdout), "end\n", "{jit}");
        assert_eq!(
            mask(&String::from_utf8_lossy(&out.stderr)),
            expected,
            "{jit}"
        );
    }
}
