//! Formatting stack entries: CPython 3.13's `StackSummary.format_frame_summary` and
//! `StackSummary.format`.
//!
//! An entry ([`FrameData`]) prints as a `  File "...", line N, in name` line, then, when the
//! source is known, the statement's lines with carets under the failing expression: `^` for the
//! anchor (a binary operator, the brackets of a subscript, the argument list of a call) and `~`
//! for the rest of the expression. The anchors come from re-parsing the expression's source
//! segment (here with `ruff_python_parser`, where CPython uses `ast`) exactly as
//! `_extract_caret_anchors_from_line_segment` does, and carets are left out when they would
//! underline a whole `return f(...)` / `x = f(...)` statement or the whole line
//! (`_should_show_carets`).
//!
//! A list of entries formats through `collapse`: after three consecutive entries with the same
//! (filename, line, name) the rest of the run becomes `  [Previous line repeated N more times]`.
//! Collapsed entries are never formatted, so a run of a million recursive entries costs a
//! comparison each.
//!
//! Invariants: every function here is pure (no interpreter state), and inconsistent positions
//! (which CPython would answer with an `IndexError` from inside the traceback module) degrade
//! to printing the first source line without carets, never to a panic.

use super::text::{
    byte_to_char_offset, char_len, char_slice, dedent, display_width, display_width_all,
    indent_all, indent_nonblank, is_space, lstrip, py_slice_bounds, rstrip, splitlines, strip,
};
use crate::code::{CodeObject, Position, NO_COL};
use ruff_python_ast::{Expr, Stmt};
use ruff_python_parser::parse_module;
use ruff_text_size::{Ranged, TextSize};

/// `_RECURSIVE_CUTOFF`: identical consecutive entries printed before the rest are summarized.
pub(crate) const RECURSIVE_CUTOFF: usize = 3;

/// One stack entry as `traceback.FrameSummary` holds it: what its formatting reads.
#[derive(Clone, Debug, Default)]
pub struct FrameData<'a> {
    /// `filename`.
    pub filename: &'a str,
    /// `lineno` (None prints as `None`).
    pub lineno: Option<i64>,
    /// `end_lineno` (already defaulted to `lineno` when unknown, as `FrameSummary` does).
    pub end_lineno: Option<i64>,
    /// `colno`: UTF-8 byte offset of the expression's start in its first line.
    pub colno: Option<i64>,
    /// `end_colno`: UTF-8 byte offset of the expression's end in its last line.
    pub end_colno: Option<i64>,
    /// `name`.
    pub name: &'a str,
    /// `_lines`: the source lines `lineno..=end_lineno`, each right-stripped, each followed by
    /// `"\n"`; or the line a user gave; `None` when unknown.
    pub lines: Option<&'a str>,
    /// `locals` (name, repr) pairs, printed sorted by name after the source.
    pub locals: Option<&'a [(String, String)]>,
}

/// `FrameSummary._set_lines` for a frame whose source is `line(n)` (`None` past the end, which
/// linecache answers with an empty line): `None` when the line number is unknown.
pub(crate) fn lines_of<'s>(
    line: impl Fn(i64) -> Option<&'s str>,
    lineno: Option<i64>,
    end_lineno: Option<i64>,
) -> Option<String> {
    let (first, last) = (lineno?, end_lineno?);
    let mut out = String::new();
    let mut n = first;
    while n <= last {
        if n > first {
            out.push('\n');
        }
        out.push_str(rstrip(line(n).unwrap_or("")));
        n += 1;
    }
    out.push('\n');
    Some(out)
}

/// `FrameSummary.line`: the first source line, stripped.
pub(crate) fn first_line(lines: &str) -> &str {
    strip(lines.split('\n').next().unwrap_or(""))
}

/// `StackSummary.format_frame_summary`: the text of one entry (ends with a newline).
#[cfg(test)]
pub fn format_frame(fd: &FrameData<'_>) -> String {
    format_frame_colored(fd, false)
}

/// `StackSummary.format_frame_summary(fd, colorize=colorize)`: with `colorize`, the ANSI
/// colours CPython uses on a terminal (magenta file/line/name, red carets and the code they
/// underline).
pub fn format_frame_colored(fd: &FrameData<'_>, colorize: bool) -> String {
    let filename = if fd.filename.starts_with("<stdin>-") {
        "<stdin>"
    } else {
        fd.filename
    };
    let mut row = String::with_capacity(64 + fd.filename.len());
    let (magenta, reset) = if colorize {
        (colors::MAGENTA, colors::RESET)
    } else {
        ("", "")
    };
    row.push_str("  File ");
    row.push_str(magenta);
    row.push('"');
    row.push_str(filename);
    row.push('"');
    row.push_str(reset);
    row.push_str(", line ");
    row.push_str(magenta);
    push_opt(&mut row, fd.lineno);
    row.push_str(reset);
    row.push_str(", in ");
    row.push_str(magenta);
    row.push_str(fd.name);
    row.push_str(reset);
    row.push('\n');
    if let Some(lines) = fd.lines {
        let dedented = dedent(lines);
        if !strip(&dedented).is_empty() {
            let block = match (fd.lineno, fd.end_lineno, fd.colno, fd.end_colno) {
                (Some(l), Some(el), Some(c), Some(ec)) => {
                    source_with_carets(lines, &dedented, l, el, c, ec, colorize)
                }
                _ => None,
            };
            match block {
                Some(b) => row.push_str(&b),
                None => {
                    row.push_str(&indent_nonblank(first_line(lines), "    "));
                    row.push('\n');
                }
            }
        }
    }
    if let Some(locals) = fd.locals {
        let mut sorted: Vec<&(String, String)> = locals.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        for (name, value) in sorted {
            row.push_str("    ");
            row.push_str(name);
            row.push_str(" = ");
            row.push_str(value);
            row.push('\n');
        }
    }
    row
}

fn push_opt(out: &mut String, v: Option<i64>) {
    use std::fmt::Write;
    match v {
        Some(n) => {
            let _ = write!(out, "{n}");
        }
        None => out.push_str("None"),
    }
}

/// `_colorize.ANSIColors`.
pub(crate) mod colors {
    /// Bold magenta.
    pub const BOLD_MAGENTA: &str = "\x1b[1;35m";
    /// Bold red.
    pub const BOLD_RED: &str = "\x1b[1;31m";
    /// Magenta.
    pub const MAGENTA: &str = "\x1b[35m";
    /// Red.
    pub const RED: &str = "\x1b[31m";
    /// Reset.
    pub const RESET: &str = "\x1b[0m";
}

/// The colourized source line and caret line of `output_line`: characters of `line` (which
/// ends with its newline) are paired with carets by index (`zip_longest`, so the pairing is by
/// character even where carets count display columns), and each run under `^` or `~` is
/// wrapped in bold red or red.
fn colorize_line(line: &[char], carets: &[char]) -> (String, String) {
    let (mut out_line, mut out_carets) = (String::new(), String::new());
    let len = line.len().max(carets.len());
    let mut i = 0;
    while i < len {
        let key = carets.get(i).copied();
        let mut j = i;
        while j < len && carets.get(j).copied() == key {
            j += 1;
        }
        let chars: String = line
            .get(i..j.min(line.len()))
            .unwrap_or(&[])
            .iter()
            .collect();
        let marks: String = carets
            .get(i..j.min(carets.len()))
            .unwrap_or(&[])
            .iter()
            .collect();
        let color = match key {
            Some('^') => Some(colors::BOLD_RED),
            Some('~') => Some(colors::RED),
            _ => None,
        };
        match color {
            Some(c) => {
                out_line.push_str(c);
                out_line.push_str(&chars);
                out_line.push_str(colors::RESET);
                out_carets.push_str(c);
                out_carets.push_str(&marks);
                out_carets.push_str(colors::RESET);
            }
            None => {
                out_line.push_str(&chars);
                out_carets.push_str(&marks);
            }
        }
        i = j;
    }
    (out_line, out_carets)
}

/// Where the carets of a segment go (`_Anchors`): segment-relative line indices and character
/// offsets. Between the left end and the right start the secondary character `^` is drawn, the
/// primary `~` elsewhere.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
struct Anchors {
    left_end_lineno: usize,
    left_end_offset: usize,
    right_start_lineno: usize,
    right_start_offset: usize,
}

/// Python-indexes a sequence of `len` items with a possibly negative index.
fn py_index(len: usize, i: i64) -> Option<usize> {
    let j = if i < 0 { i + len as i64 } else { i };
    (0..len as i64).contains(&j).then_some(j as usize)
}

/// The source lines of an entry with their carets (the part of `format_frame_summary` after
/// the `File` line), or `None` where CPython would raise.
fn source_with_carets(
    lines: &str,
    dedented: &str,
    lineno: i64,
    end_lineno: i64,
    colno: i64,
    end_colno: i64,
    colorize: bool,
) -> Option<String> {
    let originals = splitlines(lines);
    let first_line = *originals.first()?;
    let last_line = originals[py_index(originals.len(), end_lineno - lineno)?];

    let mut start_offset = byte_to_char_offset(first_line, colno) as i64;
    let mut end_offset = byte_to_char_offset(last_line, end_colno) as i64;

    let all_dedented = splitlines(dedented);
    let (_, keep) = py_slice_bounds(all_dedented.len(), 0, end_lineno - lineno + 1);
    let all_lines = &all_dedented[..keep];
    let first = *all_lines.first()?;
    let last = *all_lines.last()?;

    let dedent_characters = char_len(first_line) as i64 - char_len(first) as i64;
    start_offset = (start_offset - dedent_characters).max(0);
    end_offset = (end_offset - dedent_characters).max(0);
    let (start_offset, end_offset) = (start_offset as usize, end_offset as usize);

    let dp_start_offset = display_width(first, start_offset);
    let dp_end_offset = display_width(last, end_offset);

    let joined = all_lines.join("\n");
    let joined_len = char_len(&joined) as i64;
    let stop = joined_len - (char_len(last) as i64 - end_offset as i64);
    let (a, b) = py_slice_bounds(joined_len as usize, start_offset as i64, stop);
    let segment = char_slice(&joined, a, b);

    let anchors = extract_anchors(segment);
    let show_carets = should_show_carets(start_offset, end_offset, all_lines, anchors.is_some());

    let n = all_lines.len();
    let mut significant = vec![0, n - 1];
    let (mut left_off, mut right_off) = (0, 0);
    let (primary, secondary) = if anchors.is_some() {
        ('~', '^')
    } else {
        ('^', '^')
    };
    if let Some(an) = &anchors {
        left_off = an.left_end_offset;
        right_off = an.right_start_offset;
        if an.left_end_lineno == 0 {
            left_off += start_offset;
        }
        if an.right_start_lineno == 0 {
            right_off += start_offset;
        }
        left_off = display_width(all_lines.get(an.left_end_lineno)?, left_off);
        right_off = display_width(all_lines.get(an.right_start_lineno)?, right_off);
        for l in [an.left_end_lineno, an.right_start_lineno] {
            significant.extend(
                [l as i64 - 1, l as i64, l as i64 + 1]
                    .iter()
                    .filter_map(|&x| (x >= 0 && x != n as i64).then_some(x as usize)),
            );
        }
    }
    significant.sort_unstable();
    significant.dedup();
    if significant.last().is_some_and(|&l| l >= n) {
        return None; // anchors past the statement: CPython would raise IndexError
    }

    let mut result = String::new();
    let output_line = |result: &mut String, lineno: usize| {
        let line = all_lines[lineno];
        let line_start = result.len();
        result.push_str(line);
        result.push('\n');
        if !show_carets {
            return;
        }
        let num_spaces = char_len(line) - char_len(lstrip(line));
        let num_carets = if lineno == n - 1 {
            dp_end_offset
        } else {
            display_width_all(line)
        };
        let carets = (0..num_carets).map(|col| {
            if col < num_spaces || (lineno == 0 && col < dp_start_offset) {
                ' '
            } else if let Some(an) = &anchors {
                let after_left = lineno > an.left_end_lineno
                    || (lineno == an.left_end_lineno && col >= left_off);
                let before_right = lineno < an.right_start_lineno
                    || (lineno == an.right_start_lineno && col < right_off);
                if after_left && before_right {
                    secondary
                } else {
                    primary
                }
            } else {
                primary
            }
        });
        if colorize {
            let carets: Vec<char> = carets.collect();
            let source: Vec<char> = result[line_start..].chars().collect();
            result.truncate(line_start);
            let (colored_line, colored_carets) = colorize_line(&source, &carets);
            result.push_str(&colored_line);
            result.push_str(&colored_carets);
        } else {
            result.extend(carets);
        }
        result.push('\n');
    };
    for (i, &lineno) in significant.iter().enumerate() {
        if i > 0 {
            let diff = lineno - significant[i - 1];
            if diff == 2 {
                output_line(&mut result, lineno - 1);
            } else if diff > 2 {
                use std::fmt::Write;
                let _ = writeln!(result, "...<{} lines>...", diff - 1);
            }
        }
        output_line(&mut result, lineno);
    }
    Some(indent_all(&dedent(&result), "    "))
}

/// Line starts of a text as the Python tokenizer counts lines, to turn parser byte offsets into
/// `ast`'s (1-based line, byte column).
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex { starts }
    }

    /// `(lineno, col_offset)` of a byte offset: 1-based line, 0-based byte column.
    fn locate(&self, offset: TextSize) -> (usize, usize) {
        let off = offset.to_usize();
        let i = match self.starts.binary_search(&off) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        (i + 1, off - self.starts[i])
    }
}

/// `_extract_caret_anchors_from_line_segment`: the anchors of a binary operation, subscript or
/// call that makes up the whole `segment`, `None` otherwise (or where CPython's code would raise,
/// which it suppresses).
fn extract_anchors(segment: &str) -> Option<Anchors> {
    let wrapped = format!("(\n{segment}\n)");
    let parsed = parse_module(&wrapped).ok()?;
    let body = &parsed.syntax().body;
    if body.len() != 1 {
        return None;
    }
    let Stmt::Expr(stmt) = &body[0] else {
        return None;
    };
    let index = LineIndex::new(&wrapped);
    let seg_lines = splitlines(segment);
    let lines: Vec<Vec<char>> = seg_lines.iter().map(|l| l.chars().collect()).collect();

    // Character offset of a byte offset in segment line `lineno`.
    let normalize = |lineno: usize, offset: usize| -> Option<usize> {
        Some(byte_to_char_offset(seg_lines.get(lineno)?, offset as i64))
    };
    let next_valid_char = |mut l: usize, mut c: usize| -> Option<(usize, usize)> {
        while l < lines.len() && c >= lines[l].len() {
            c = 0;
            l += 1;
        }
        (l < lines.len() && c < lines[l].len()).then_some((l, c))
    };
    let increment_until = |mut l: usize, mut c: usize, stop: &dyn Fn(char) -> bool| loop {
        let ch = *lines.get(l)?.get(c)?;
        if ch == '\\' || ch == '#' {
            (l, c) = next_valid_char(l + 1, 0)?;
        } else if !stop(ch) {
            (l, c) = next_valid_char(l, c + 1)?;
        } else {
            return Some((l, c));
        }
    };
    // Segment (line, character) of an ast position (`- 2`: the wrapper's "(\n").
    let seg_pos = |offset: TextSize| -> Option<(usize, usize)> {
        let (line, col) = index.locate(offset);
        let l = line.checked_sub(2)?;
        Some((l, normalize(l, col)?))
    };
    let setup_positions = |end: TextSize, force_valid: bool| -> Option<(usize, usize)> {
        let (l, c) = seg_pos(end)?;
        if force_valid {
            next_valid_char(l, c)
        } else {
            Some((l, c))
        }
    };

    match &*stmt.value {
        Expr::BinOp(binop) => {
            let (l, c) = setup_positions(binop.left.end(), true)?;
            let (l, c) = increment_until(l, c, &|x| !is_space(x) && x != ')')?;
            let mut right_col = c + 1;
            let line = &lines[l];
            if right_col < line.len() {
                let (right_line, right_byte_col) = index.locate(binop.right.start());
                let right_l = right_line as i64 - 2;
                let before_right =
                    right_l > l as i64 || right_col < normalize(right_l as usize, right_byte_col)?;
                let ch = line[right_col];
                if before_right && !is_space(ch) && ch != '\\' && ch != '#' {
                    right_col += 1;
                }
            }
            Some(Anchors {
                left_end_lineno: l,
                left_end_offset: c,
                right_start_lineno: l,
                right_start_offset: right_col,
            })
        }
        Expr::Subscript(sub) => {
            let (l, c) = setup_positions(sub.value.end(), true)?;
            let (l, c) = increment_until(l, c, &|x| x == '[')?;
            let (rl, rc) = setup_positions(sub.end(), false)?;
            Some(Anchors {
                left_end_lineno: l,
                left_end_offset: c,
                right_start_lineno: rl,
                right_start_offset: rc,
            })
        }
        Expr::Call(call) => {
            let (l, c) = setup_positions(call.func.end(), true)?;
            let (l, c) = increment_until(l, c, &|x| x == '(')?;
            let (rl, rc) = setup_positions(call.end(), false)?;
            Some(Anchors {
                left_end_lineno: l,
                left_end_offset: c,
                right_start_lineno: rl,
                right_start_offset: rc,
            })
        }
        _ => None,
    }
}

/// `StackSummary._should_show_carets`.
fn should_show_carets(
    start_offset: usize,
    end_offset: usize,
    all_lines: &[&str],
    has_anchors: bool,
) -> bool {
    let source = all_lines.join("\n");
    if let Ok(parsed) = parse_module(&source) {
        let body = &parsed.syntax().body;
        let Some(statement) = body.first() else {
            return false;
        };
        let value: Option<&Expr> = match statement {
            Stmt::Return(ret) => match ret.value.as_deref() {
                Some(call @ Expr::Call(c)) if matches!(*c.func, Expr::Name(_)) => Some(call),
                _ => None,
            },
            Stmt::Assign(assign)
                if matches!(*assign.value, Expr::Call(_))
                    && assign.targets.len() == 1
                    && matches!(assign.targets[0], Expr::Name(_)) =>
            {
                Some(&assign.value)
            }
            _ => None,
        };
        if let Some(value) = value {
            let index = LineIndex::new(&source);
            let (line, col) = index.locate(value.start());
            let (end_line, end_col) = index.locate(value.end());
            if line == 1
                && end_line == all_lines.len()
                && col == start_offset
                && end_col == end_offset
            {
                return false;
            }
        }
    }
    if has_anchors {
        return true;
    }
    let (first, last) = (all_lines[0], all_lines[all_lines.len() - 1]);
    !lstrip(char_slice(first, 0, start_offset)).is_empty()
        || !rstrip(char_slice(last, end_offset, usize::MAX)).is_empty()
}

/// `StackSummary.format`'s repeat collapsing over `items`: `key` gives an entry's
/// (filename, line, name), `None` when its line is unknown (such entries never repeat), and
/// `format` is called only for the entries that are printed.
pub(crate) fn collapse<T, K: PartialEq>(
    items: impl IntoIterator<Item = T>,
    key: impl Fn(&T) -> Option<K>,
    mut format: impl FnMut(&T) -> String,
) -> Vec<String> {
    let mut result = Vec::new();
    let mut last: Option<K> = None;
    let mut count = 0usize;
    for item in items {
        let k = key(&item);
        let same = matches!((&last, &k), (Some(a), Some(b)) if a == b);
        if !same {
            push_repeated(&mut result, count);
            last = k;
            count = 0;
        }
        count += 1;
        if count > RECURSIVE_CUTOFF {
            continue;
        }
        result.push(format(&item));
    }
    push_repeated(&mut result, count);
    result
}

fn push_repeated(result: &mut Vec<String>, count: usize) {
    if count > RECURSIVE_CUTOFF {
        let n = count - RECURSIVE_CUTOFF;
        result.push(format!(
            "  [Previous line repeated {n} more time{}]\n",
            if n > 1 { "s" } else { "" }
        ));
    }
}

/// A code object's position converted to `FrameSummary`'s fields: (lineno, end_lineno, colno,
/// end_colno). Without `full`, only the line (what `walk_stack` gives `f_lineno`).
pub(crate) fn summary_positions(
    code: &CodeObject,
    pc: usize,
    full: bool,
) -> (Option<i64>, Option<i64>, Option<i64>, Option<i64>) {
    let p: Position = code.position(pc);
    let line = (p.line != 0).then_some(p.line as i64);
    if !full {
        return (line, line, None, None);
    }
    let end_line = if p.end_line != 0 && line.is_some() {
        Some(p.end_line as i64)
    } else {
        line
    };
    let col = |c: u32| (c != NO_COL && line.is_some()).then_some(c as i64);
    (line, end_line, col(p.col), col(p.end_col))
}

/// Formats the entry for instruction `pc` of `code` (with column positions when `full`), its
/// source lines read from the code's [`crate::code::Source`].
pub(crate) fn format_code_frame(
    code: &CodeObject,
    pc: usize,
    full: bool,
    colorize: bool,
) -> String {
    format_code_frame_with(code, pc, full, colorize, true)
}

/// [`format_code_frame`], with or without the source line (without: what CPython prints when
/// it cannot read the file, as at interpreter shutdown).
pub(crate) fn format_code_frame_with(
    code: &CodeObject,
    pc: usize,
    full: bool,
    colorize: bool,
    source: bool,
) -> String {
    let (lineno, end_lineno, colno, end_colno) = summary_positions(code, pc, full);
    let src = &code.source;
    let lines = source
        .then(|| {
            lines_of(
                |n| u32::try_from(n).ok().and_then(|n| src.line(n)),
                lineno,
                end_lineno,
            )
        })
        .flatten();
    let fd = FrameData {
        filename: &code.filename,
        lineno,
        end_lineno,
        colno,
        end_colno,
        name: &code.name,
        lines: lines.as_deref(),
        locals: None,
    };
    format_frame_colored(&fd, colorize)
}

/// The (filename, line, name) identity of a code entry for repeat collapsing: compares by
/// pointer first, so a recursive run costs no string comparison.
#[derive(Clone, Copy)]
pub(crate) struct CodeKey<'a> {
    code: &'a CodeObject,
    line: u32,
}

impl<'a> CodeKey<'a> {
    /// The key of instruction `pc` of `code`, `None` when it has no line.
    pub(crate) fn of(code: &'a CodeObject, pc: usize) -> Option<CodeKey<'a>> {
        let line = code.position(pc).line;
        (line != 0).then_some(CodeKey { code, line })
    }
}

impl PartialEq for CodeKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.line == other.line
            && (std::ptr::eq(self.code, other.code)
                || (*self.code.filename == *other.code.filename
                    && *self.code.name == *other.code.name))
    }
}

#[cfg(test)]
#[rustfmt::skip]
#[path = "testdata/oracle_cases.rs"]
mod oracle_cases;

#[cfg(test)]
mod tests {
    use super::oracle_cases::CASES;
    use super::*;
    use crate::code::Source;

    /// One program run under CPython 3.13 and the `format_frame_summary` text of each entry of
    /// its traceback.
    pub(super) struct Case {
        pub name: &'static str,
        pub filename: &'static str,
        pub source: &'static str,
        pub frames: &'static [Frame],
    }

    pub(super) struct Frame {
        pub lineno: Option<i64>,
        pub end_lineno: Option<i64>,
        pub colno: Option<i64>,
        pub end_colno: Option<i64>,
        pub name: &'static str,
        pub expected: &'static str,
        pub expected_color: Option<&'static str>,
    }

    fn format_case_frame(case: &Case, f: &Frame, colorize: bool) -> String {
        let src = Source::new(case.filename, case.source.to_string());
        let lines = lines_of(
            |n| u32::try_from(n).ok().and_then(|n| src.line(n)),
            f.lineno,
            f.end_lineno,
        );
        let fd = FrameData {
            filename: case.filename,
            lineno: f.lineno,
            end_lineno: f.end_lineno,
            colno: f.colno,
            end_colno: f.end_colno,
            name: f.name,
            lines: lines.as_deref(),
            locals: None,
        };
        format_frame_colored(&fd, colorize)
    }

    #[test]
    fn frames_match_cpython() {
        let mut failures = Vec::new();
        for case in CASES {
            for f in case.frames {
                let got = format_case_frame(case, f, false);
                if got != f.expected {
                    failures.push(format!(
                        "case {}:\n--- expected\n{}--- got\n{}",
                        case.name, f.expected, got
                    ));
                }
                if let Some(expected) = f.expected_color {
                    let got = format_case_frame(case, f, true);
                    if got != expected {
                        failures.push(format!(
                            "case {} (colour):\n--- expected\n{:?}\n--- got\n{:?}",
                            case.name, expected, got
                        ));
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn anchors_of_segments() {
        // Binary operator: `~~^~~` under `1 + 2`.
        assert_eq!(
            extract_anchors("a + b"),
            Some(Anchors {
                left_end_lineno: 0,
                left_end_offset: 2,
                right_start_lineno: 0,
                right_start_offset: 3
            })
        );
        // Two-character operator.
        assert_eq!(
            extract_anchors("a // b").map(|a| a.right_start_offset),
            Some(4)
        );
        // Subscript: from `[` to the end.
        assert_eq!(
            extract_anchors("{}[\"k\"]"),
            Some(Anchors {
                left_end_lineno: 0,
                left_end_offset: 2,
                right_start_lineno: 0,
                right_start_offset: 7
            })
        );
        // Call on a later line.
        assert_eq!(
            extract_anchors("f(\n  x)"),
            Some(Anchors {
                left_end_lineno: 0,
                left_end_offset: 1,
                right_start_lineno: 1,
                right_start_offset: 4
            })
        );
        assert_eq!(extract_anchors("x.y"), None);
        assert_eq!(extract_anchors("x = f(y)"), None);
    }

    #[test]
    fn carets_hidden_for_whole_statement_calls() {
        assert!(!should_show_carets(7, 11, &["return f(x)"], true));
        assert!(!should_show_carets(4, 8, &["x = f(x)"], true));
        assert!(should_show_carets(6, 10, &["a.y = g(1)"], true));
        assert!(!should_show_carets(
            0,
            21,
            &["raise ValueError(\"x\")"],
            false
        ));
        assert!(should_show_carets(4, 12, &["x = obj.attr"], false));
    }

    fn frame_text(name: &str, line: i64) -> String {
        format_frame(&FrameData {
            filename: "f.py",
            lineno: Some(line),
            end_lineno: Some(line),
            name,
            ..FrameData::default()
        })
    }

    #[test]
    fn repeats_collapse_after_three() {
        let items: Vec<(&str, i64)> = std::iter::once(("<module>", 1))
            .chain(std::iter::repeat_n(("f", 2), 1000))
            .chain(std::iter::once(("f", 3)))
            .collect();
        let mut formatted = 0;
        let out = collapse(
            items,
            |&(n, l)| Some((n, l)),
            |&(n, l)| {
                formatted += 1;
                frame_text(n, l)
            },
        );
        assert_eq!(formatted, 5);
        assert_eq!(out.len(), 6);
        assert_eq!(out[4], "  [Previous line repeated 997 more times]\n");
        assert_eq!(out[5], "  File \"f.py\", line 3, in f\n");
        // Exactly one more: singular.
        let out = collapse(vec![1, 1, 1, 1], |&x| Some(x), |_| String::new());
        assert_eq!(out[3], "  [Previous line repeated 1 more time]\n");
        // Unknown lines never repeat.
        let out = collapse(vec![None::<i32>; 5], |&x| x, |_| String::new());
        assert_eq!(out.len(), 5);
    }

    #[test]
    fn user_given_line_without_columns() {
        // traceback.format_list([("f.py", 3, "g", "  x = 1  ")])
        let fd = FrameData {
            filename: "f.py",
            lineno: Some(3),
            end_lineno: Some(3),
            name: "g",
            lines: Some("  x = 1  "),
            ..FrameData::default()
        };
        assert_eq!(
            format_frame(&fd),
            "  File \"f.py\", line 3, in g\n    x = 1\n"
        );
        // No line at all, and `<stdin>-N` file names.
        let fd = FrameData {
            filename: "<stdin>-2",
            name: "h",
            ..FrameData::default()
        };
        assert_eq!(format_frame(&fd), "  File \"<stdin>\", line None, in h\n");
    }

    #[test]
    fn locals_are_sorted() {
        let locals = vec![
            ("y".to_string(), "2".to_string()),
            ("x".to_string(), "'a'".to_string()),
        ];
        let fd = FrameData {
            filename: "f.py",
            lineno: Some(1),
            end_lineno: Some(1),
            name: "f",
            locals: Some(&locals),
            ..FrameData::default()
        };
        assert_eq!(
            format_frame(&fd),
            "  File \"f.py\", line 1, in f\n    x = 'a'\n    y = 2\n"
        );
    }
}
