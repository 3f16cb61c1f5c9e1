//! The few Python `str` operations the traceback formatter is specified in terms of, with
//! CPython 3.13's exact semantics: `isspace`/`strip` (Unicode whitespace as Python defines it),
//! `splitlines` (every Unicode line boundary), `textwrap.dedent`/`textwrap.indent`, the
//! UTF-8 byte offset to character offset conversion of `_byte_offset_to_character_offset`, and
//! `_display_width` (East Asian Wide and Fullwidth characters count 2).
//!
//! Offsets here are counted in characters (code points), as Python indexes strs, unless a name
//! says bytes. Every function is pure and total: out-of-range offsets clamp as Python slicing
//! does, never panic.

use super::tables;

/// `c.isspace()`.
pub(super) fn is_space(c: char) -> bool {
    let c = c as u32;
    if c < 0x80 {
        return (0x09..=0x0d).contains(&c) || (0x1c..=0x20).contains(&c);
    }
    in_ranges(tables::SPACE, c)
}

/// Is `c` in one of the sorted inclusive `ranges`?
fn in_ranges(ranges: &[(u32, u32)], c: u32) -> bool {
    ranges
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// `s.strip()`.
pub(super) fn strip(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// `s.lstrip()`.
pub(super) fn lstrip(s: &str) -> &str {
    s.trim_start_matches(is_space)
}

/// `s.rstrip()`.
pub(super) fn rstrip(s: &str) -> &str {
    s.trim_end_matches(is_space)
}

/// Is `c` a line boundary for `str.splitlines`?
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\x0b'
            | '\x0c'
            | '\x1c'
            | '\x1d'
            | '\x1e'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// `s.splitlines(keepends)`.
fn splitlines_impl(s: &str, keepends: bool) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if !is_line_break(c) {
            continue;
        }
        let mut end = i + c.len_utf8();
        if c == '\r' {
            if let Some(&(_, '\n')) = it.peek() {
                it.next();
                end += 1;
            }
        }
        out.push(&s[start..if keepends { end } else { i }]);
        start = end;
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// `s.splitlines()`.
pub(super) fn splitlines(s: &str) -> Vec<&str> {
    splitlines_impl(s, false)
}

/// `len(s)`: its length in characters.
pub(super) fn char_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// Byte index of character `n` of `s` (`s.len()` past the end).
pub(super) fn byte_index(s: &str, n: usize) -> usize {
    if s.is_ascii() {
        return n.min(s.len());
    }
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}

/// `s[start:end]` for non-negative character indices (clamped like Python slicing).
pub(super) fn char_slice(s: &str, start: usize, end: usize) -> &str {
    if start >= end {
        return "";
    }
    let a = byte_index(s, start);
    let b = byte_index(s, end);
    &s[a..b.max(a)]
}

/// Python's normalization of slice bounds `[start:stop]` for a sequence of `len` items.
pub(super) fn py_slice_bounds(len: usize, start: i64, stop: i64) -> (usize, usize) {
    let norm = |i: i64| -> usize {
        if i < 0 {
            (i + len as i64).max(0) as usize
        } else {
            (i as usize).min(len)
        }
    };
    let (a, b) = (norm(start), norm(stop));
    (a, b.max(a))
}

/// `_byte_offset_to_character_offset(s, offset)`: the number of characters that
/// `s.encode()[:offset].decode("utf-8", errors="replace")` has. A cut through a multi-byte
/// character decodes to one replacement character, so this counts the characters that start
/// before the cut. A negative offset counts from the end, as the slice would.
pub(super) fn byte_to_char_offset(s: &str, offset: i64) -> usize {
    let cut = if offset < 0 {
        (s.len() as i64 + offset).max(0) as usize
    } else {
        (offset as u64).min(s.len() as u64) as usize
    };
    if s.is_ascii() {
        return cut;
    }
    s.char_indices().take_while(|&(i, _)| i < cut).count()
}

/// Is `c` East Asian Wide or Fullwidth?
fn is_wide(c: char) -> bool {
    let c = c as u32;
    c >= 0x1100 && in_ranges(tables::WIDE, c)
}

/// `_display_width(line, offset)`: the width of `line[:offset]` on a terminal where wide
/// characters take two columns. As in CPython, an ASCII line answers `offset` itself, even past
/// its end.
pub(super) fn display_width(line: &str, offset: usize) -> usize {
    if line.is_ascii() {
        return offset;
    }
    line.chars()
        .take(offset)
        .map(|c| if is_wide(c) { 2 } else { 1 })
        .sum()
}

/// `_display_width(line)`: the width of the whole line.
pub(super) fn display_width_all(line: &str) -> usize {
    if line.is_ascii() {
        return line.len();
    }
    display_width(line, usize::MAX)
}

/// Splits `text` at `'\n'` into the lines Python's `re.MULTILINE` anchors see: the pieces
/// between newlines, including a final (possibly empty) piece.
fn re_lines(text: &str) -> std::str::Split<'_, char> {
    text.split('\n')
}

/// `textwrap.dedent(text)`.
pub(super) fn dedent(text: &str) -> String {
    // `_whitespace_only_re.sub('', text)`: lines made only of spaces and tabs become empty.
    let blanked: Vec<&str> = re_lines(text)
        .map(|l| {
            if !l.is_empty() && l.bytes().all(|b| b == b' ' || b == b'\t') {
                ""
            } else {
                l
            }
        })
        .collect();
    // `_leading_whitespace_re.findall(text)`: the indent of every line with other content.
    let mut margin: Option<&str> = None;
    for line in &blanked {
        let indent_len = line.len() - line.trim_start_matches([' ', '\t']).len();
        if indent_len == line.len() {
            continue; // empty (a space/tab-only line was blanked above)
        }
        let indent = &line[..indent_len];
        margin = Some(match margin {
            None => indent,
            Some(m) if indent.starts_with(m) => m,
            Some(m) if m.starts_with(indent) => indent,
            Some(m) => {
                let common = m
                    .bytes()
                    .zip(indent.bytes())
                    .take_while(|(x, y)| x == y)
                    .count();
                &m[..common]
            }
        });
    }
    let margin = margin.unwrap_or("");
    let mut out = String::with_capacity(text.len());
    for (i, line) in blanked.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(if margin.is_empty() {
            line
        } else {
            line.strip_prefix(margin).unwrap_or(line)
        });
    }
    out
}

/// `textwrap.indent(text, prefix, lambda line: True)`: `prefix` before every line.
pub(super) fn indent_all(text: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(text.len() + prefix.len() * 4);
    for line in splitlines_impl(text, true) {
        out.push_str(prefix);
        out.push_str(line);
    }
    out
}

/// `textwrap.indent(text, prefix)`: `prefix` before every line that is not only whitespace.
pub(super) fn indent_nonblank(text: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(text.len() + prefix.len());
    for line in splitlines_impl(text, true) {
        if !line.chars().all(is_space) {
            out.push_str(prefix);
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_whitespace() {
        assert!(is_space('\x1c') && is_space('\u{3000}') && is_space('\u{85}'));
        assert!(!is_space('\u{200b}') && !is_space('a'));
        assert_eq!(strip("\x1f x \u{3000}"), "x");
    }

    #[test]
    fn splitlines_like_python() {
        // "a\r\nb\x0cc\n\nd\u2028".splitlines() == ['a', 'b', 'c', '', 'd']
        assert_eq!(
            splitlines("a\r\nb\x0cc\n\nd\u{2028}"),
            vec!["a", "b", "c", "", "d"]
        );
        assert_eq!(splitlines_impl("x\n\ny", true), vec!["x\n", "\n", "y"]);
        assert!(splitlines("").is_empty());
    }

    #[test]
    fn byte_offsets_to_chars() {
        // CPython: len("a中b".encode()[:k].decode("utf-8", "replace")) for k in 0..6
        let s = "a中b";
        let got: Vec<usize> = (0..6).map(|k| byte_to_char_offset(s, k)).collect();
        assert_eq!(got, vec![0, 1, 2, 2, 2, 3]);
        assert_eq!(byte_to_char_offset(s, 100), 3);
        assert_eq!(byte_to_char_offset(s, -1), 2);
        assert_eq!(byte_to_char_offset("héllo", 3), 2);
    }

    #[test]
    fn widths() {
        assert_eq!(display_width("abc", 10), 10);
        assert_eq!(display_width("日本語x", 4), 7);
        assert_eq!(display_width("😀é", 2), 3);
        assert_eq!(display_width_all("日本"), 4);
    }

    #[test]
    fn dedent_like_textwrap() {
        // textwrap.dedent("    a\n      b\n   \n    c\n") == "a\n  b\n\nc\n"
        assert_eq!(dedent("    a\n      b\n   \n    c\n"), "a\n  b\n\nc\n");
        // textwrap.dedent("\ta\n  b\n") == "\ta\n  b\n"
        assert_eq!(dedent("\ta\n  b\n"), "\ta\n  b\n");
        // textwrap.dedent("  \tx\n  y") == "\tx\ny"
        assert_eq!(dedent("  \tx\n  y"), "\tx\ny");
    }

    #[test]
    fn indent_variants() {
        assert_eq!(indent_all("a\n\nb\n", "  "), "  a\n  \n  b\n");
        assert_eq!(indent_nonblank("a\n \nb", "  "), "  a\n \n  b");
        assert_eq!(indent_nonblank("", "  "), "");
    }
}
