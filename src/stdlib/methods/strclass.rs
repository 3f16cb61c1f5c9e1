//! `str` methods that classify or re-case characters: `upper`, `lower`, `swapcase`,
//! `casefold`, `title`, `capitalize`, and the `is*` predicates. Non-ASCII classification follows
//! Rust's Unicode tables, which agree with Python's for the characters programs meet (titlecase
//! digraphs and ligatures are mapped explicitly).

use super::super::builtins::args;
use crate::object::ops::arith::is_py_space;
use crate::object::ops::repr;
use crate::object::{KwArgs, PyResult, Value};
use crate::thread::ThreadState;

fn mapped(a: &[Value], kw: KwArgs, name: &str, f: impl Fn(&str) -> String) -> PyResult<Value> {
    let (s, rest) = super::strs::this(a, name)?;
    args::no_args(rest, kw, &format!("str.{name}"))?;
    Ok(Value::string(f(s.as_str())))
}

pub(super) fn upper(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    mapped(a, kw, "upper", str::to_uppercase)
}

pub(super) fn lower(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    mapped(a, kw, "lower", str::to_lowercase)
}

pub(super) fn swapcase(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    mapped(a, kw, "swapcase", |s| {
        s.chars()
            .flat_map(|c| {
                if c.is_uppercase() {
                    c.to_lowercase().collect::<Vec<_>>()
                } else if c.is_lowercase() {
                    c.to_uppercase().collect::<Vec<_>>()
                } else {
                    vec![c]
                }
            })
            .collect()
    })
}

pub(super) fn casefold(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    mapped(a, kw, "casefold", |s| s.to_lowercase().replace('ß', "ss"))
}

fn is_cased(c: char) -> bool {
    c.is_uppercase() || c.is_lowercase()
}

/// The titlecase mapping of `c` (uppercase except for digraphs and ligatures).
fn push_title(out: &mut String, c: char) {
    match c {
        'ß' => out.push_str("Ss"),
        '\u{fb00}' => out.push_str("Ff"),
        '\u{fb01}' => out.push_str("Fi"),
        '\u{fb02}' => out.push_str("Fl"),
        '\u{fb03}' => out.push_str("Ffi"),
        '\u{fb04}' => out.push_str("Ffl"),
        '\u{fb05}' | '\u{fb06}' => out.push_str("St"),
        '\u{587}' => out.push_str("\u{535}\u{582}"),
        '\u{149}' => out.push_str("\u{2bc}N"),
        '\u{1c4}'..='\u{1c6}' => out.push('\u{1c5}'),
        '\u{1c7}'..='\u{1c9}' => out.push('\u{1c8}'),
        '\u{1ca}'..='\u{1cc}' => out.push('\u{1cb}'),
        '\u{1f1}'..='\u{1f3}' => out.push('\u{1f2}'),
        _ => out.extend(c.to_uppercase()),
    }
}

/// Python's `str.title()`: a cased character after an uncased one starts a word.
pub fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_cased = false;
    for c in s.chars() {
        if prev_cased {
            out.extend(c.to_lowercase());
        } else {
            push_title(&mut out, c);
        }
        prev_cased = is_cased(c);
    }
    out
}

pub(super) fn title(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    mapped(a, kw, "title", title_case)
}

pub(super) fn capitalize(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    mapped(a, kw, "capitalize", |s| {
        let mut chars = s.chars();
        match chars.next() {
            Some(first) => {
                let mut out = String::new();
                push_title(&mut out, first);
                out.push_str(&chars.as_str().to_lowercase());
                out
            }
            None => String::new(),
        }
    })
}

fn predicate(a: &[Value], kw: KwArgs, name: &str, f: impl Fn(&str) -> bool) -> PyResult<Value> {
    let (s, rest) = super::strs::this(a, name)?;
    args::no_args(rest, kw, &format!("str.{name}"))?;
    Ok(Value::bool(f(s.as_str())))
}

fn all_chars(s: &str, f: impl Fn(char) -> bool) -> bool {
    !s.is_empty() && s.chars().all(f)
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit()
        || (!c.is_ascii() && c.is_numeric() && c.to_digit(10).is_none() && !is_fraction(c))
        || matches!(c, '\u{b2}' | '\u{b3}' | '\u{b9}')
}

fn is_fraction(c: char) -> bool {
    matches!(c as u32, 0xbc..=0xbe | 0x2150..=0x215f | 0x2160..=0x2188)
}

pub(super) fn isdigit(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    predicate(a, kw, "isdigit", |s| all_chars(s, is_digit))
}

pub(super) fn isdecimal(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    predicate(a, kw, "isdecimal", |s| {
        all_chars(s, |c| {
            c.is_ascii_digit()
                || (!c.is_ascii()
                    && c.is_numeric()
                    && !is_fraction(c)
                    && !matches!(c, '\u{b2}' | '\u{b3}' | '\u{b9}'))
        })
    })
}

pub(super) fn isnumeric(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    predicate(a, kw, "isnumeric", |s| all_chars(s, char::is_numeric))
}

pub(super) fn isalpha(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    predicate(a, kw, "isalpha", |s| all_chars(s, char::is_alphabetic))
}

pub(super) fn isalnum(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    predicate(a, kw, "isalnum", |s| {
        all_chars(s, |c| c.is_alphabetic() || c.is_numeric())
    })
}

pub(super) fn isspace(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    predicate(a, kw, "isspace", |s| all_chars(s, is_py_space))
}

pub(super) fn isupper(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    predicate(a, kw, "isupper", |s| {
        s.chars().any(is_cased) && !s.chars().any(char::is_lowercase)
    })
}

pub(super) fn islower(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    predicate(a, kw, "islower", |s| {
        s.chars().any(is_cased) && !s.chars().any(char::is_uppercase)
    })
}

pub(super) fn istitle(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    predicate(a, kw, "istitle", |s| {
        let mut cased = false;
        let mut prev_cased = false;
        for c in s.chars() {
            if c.is_uppercase() {
                if prev_cased {
                    return false;
                }
                prev_cased = true;
                cased = true;
            } else if c.is_lowercase() {
                if !prev_cased {
                    return false;
                }
                prev_cased = true;
                cased = true;
            } else {
                prev_cased = false;
            }
        }
        cased
    })
}

pub(super) fn isidentifier(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    predicate(a, kw, "isidentifier", |s| {
        let mut chars = s.chars();
        match chars.next() {
            Some(c) if c == '_' || c.is_alphabetic() => {
                chars.all(|c| c == '_' || c.is_alphanumeric())
            }
            _ => false,
        }
    })
}

pub(super) fn isprintable(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    predicate(a, kw, "isprintable", |s| s.chars().all(repr::is_printable))
}

pub(super) fn isascii(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    predicate(a, kw, "isascii", |s| s.is_ascii())
}
