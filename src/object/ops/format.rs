//! `format(v, spec)`: the format-spec mini-language for int, bool, float and str (what f-strings
//! and `str.format` use), with CPython 3.13's results and errors. printf-style `%` formatting is in
//! [`super::percent`].

use super::super::exc::err;
use super::super::{alloc, PyErr, PyResult, Value};
use super::arith::{self, as_float, as_int, Int};
use super::repr::{self, fixed_from_digits, precision_digits, sci_from_digits};
use super::type_name;
use crate::thread::ThreadState;

/// A parsed format spec: `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`.
#[derive(Clone, Debug, Default)]
struct Spec {
    fill: Option<char>,
    align: Option<char>,
    sign: Option<char>,
    no_neg_zero: bool,
    alt: bool,
    width: usize,
    grouping: Option<char>,
    precision: Option<usize>,
    ty: Option<char>,
}

/// Parses a spec for a value of type `tname`; `numeric` values default to right alignment (so a
/// `0` flag means `=`), and `default_ty` is the presentation type used when none is given.
fn parse_spec(spec: &str, tname: &str, numeric: bool, default_ty: Option<char>) -> PyResult<Spec> {
    let chars: Vec<char> = spec.chars().collect();
    let mut s = Spec::default();
    let mut i = 0;
    let is_align = |c: char| matches!(c, '<' | '>' | '=' | '^');
    if chars.len() >= 2 && is_align(chars[1]) {
        s.fill = Some(chars[0]);
        s.align = Some(chars[1]);
        i = 2;
    } else if !chars.is_empty() && is_align(chars[0]) {
        s.align = Some(chars[0]);
        i = 1;
    }
    if i < chars.len() && matches!(chars[i], '+' | '-' | ' ') {
        s.sign = Some(chars[i]);
        i += 1;
    }
    if i < chars.len() && chars[i] == 'z' {
        s.no_neg_zero = true;
        i += 1;
    }
    if i < chars.len() && chars[i] == '#' {
        s.alt = true;
        i += 1;
    }
    if i < chars.len() && chars[i] == '0' {
        if s.fill.is_none() {
            s.fill = Some('0');
        }
        if s.align.is_none() && numeric {
            s.align = Some('=');
        }
        i += 1;
    }
    let start = i;
    while i < chars.len() && chars[i].is_ascii_digit() {
        i += 1;
    }
    if i > start {
        let w: String = chars[start..i].iter().collect();
        s.width = w
            .parse()
            .map_err(|_| err::value_error("Too many decimal digits in format string"))?;
        if s.width > super::MAX_REPEAT {
            return Err(err::memory_error());
        }
    }
    if i < chars.len() && matches!(chars[i], ',' | '_') {
        s.grouping = Some(chars[i]);
        i += 1;
        if i < chars.len() && matches!(chars[i], ',' | '_') {
            return Err(err::value_error(if chars[i] == s.grouping.unwrap_or(',') {
                format!("Cannot specify '{}' with '{}'.", chars[i], chars[i])
            } else {
                "Cannot specify both ',' and '_'.".to_owned()
            }));
        }
    }
    if i < chars.len() && chars[i] == '.' {
        i += 1;
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return Err(err::value_error("Format specifier missing precision"));
        }
        let p: String = chars[start..i].iter().collect();
        let p: usize = p
            .parse()
            .map_err(|_| err::value_error("Too many decimal digits in format string"))?;
        // CPython keeps the precision in a C int.
        if p > i32::MAX as usize {
            return Err(err::value_error("precision too big"));
        }
        s.precision = Some(p);
    }
    if chars.len() - i > 1 {
        return Err(err::value_error(format!(
            "Invalid format specifier '{spec}' for object of type '{tname}'"
        )));
    }
    if i < chars.len() {
        s.ty = Some(chars[i]);
    }
    if let (Some(g), Some(t)) = (s.grouping, s.ty.or(default_ty)) {
        let ok = match g {
            ',' => matches!(t, 'd' | 'e' | 'f' | 'g' | 'E' | 'G' | '%' | 'F'),
            _ => matches!(
                t,
                'd' | 'e' | 'f' | 'g' | 'E' | 'G' | '%' | 'F' | 'b' | 'o' | 'x' | 'X'
            ),
        };
        if !ok {
            return Err(err::value_error(format!(
                "Cannot specify '{g}' with '{t}'."
            )));
        }
    }
    Ok(s)
}

fn unknown_code(t: char, tname: &str) -> PyErr {
    err::value_error(format!(
        "Unknown format code '{t}' for object of type '{tname}'"
    ))
}

/// `format(v, spec)`.
pub fn format(ts: &mut ThreadState, v: &Value, spec: &str) -> PyResult<String> {
    if let Some(i) = as_int(v) {
        if spec.is_empty() {
            return super::str(ts, v);
        }
        return format_int(i, spec, type_name(v));
    }
    if let Some(f) = as_float(v) {
        return format_float(f, spec);
    }
    if let Some(s) = v.as_str() {
        return format_str(s, spec);
    }
    if spec.is_empty() {
        // `object.__format__` is called (a unit of the C recursion budget), then `str()`.
        let _depth = super::enter_recursive_call(ts, " while calling a Python object")?;
        return super::str(ts, v);
    }
    Err(err::type_error(format!(
        "unsupported format string passed to {}.__format__",
        type_name(v)
    )))
}

/// Pads `body` (after `prefix`, a sign and/or base prefix) to the spec's width (allocated
/// fallibly: the width comes from the program).
fn pad(prefix: &str, body: &str, spec: &Spec, default_align: char) -> PyResult<String> {
    let len = prefix.chars().count() + body.chars().count();
    if len >= spec.width {
        return alloc::concat(&[prefix, body]);
    }
    let n = spec.width - len;
    let fill = spec.fill.unwrap_or(' ').to_string();
    let fills = |k: usize| alloc::repeat_str(&fill, k);
    match spec.align.unwrap_or(default_align) {
        '<' => alloc::concat(&[prefix, body, &fills(n)?]),
        '^' => alloc::concat(&[&fills(n / 2)?, prefix, body, &fills(n - n / 2)?]),
        '=' => alloc::concat(&[prefix, &fills(n)?, body]),
        _ => alloc::concat(&[&fills(n)?, prefix, body]),
    }
}

/// Inserts `sep` every `group` digits from the right; with `min_width`, pads with zeros (grouped
/// too) to at least that many characters, as CPython does for `0`-filled grouped numbers.
fn group_digits(digits: &str, sep: char, group: usize, min_width: usize) -> PyResult<String> {
    let ds: Vec<char> = digits.chars().collect();
    let mut out: Vec<char> = alloc::vec_with_capacity(min_width.max(ds.len() + ds.len() / group))?;
    let mut i = 0;
    loop {
        let have_digit = i < ds.len();
        if !have_digit && out.len() >= min_width {
            break;
        }
        if i > 0 && i % group == 0 {
            alloc::push(&mut out, sep)?;
        }
        alloc::push(
            &mut out,
            if have_digit {
                ds[ds.len() - 1 - i]
            } else {
                '0'
            },
        )?;
        i += 1;
    }
    let mut s = alloc::string_with_capacity(out.len())?;
    s.extend(out.iter().rev());
    Ok(s)
}

fn sign_str(negative: bool, sign: Option<char>) -> &'static str {
    if negative {
        "-"
    } else {
        match sign {
            Some('+') => "+",
            Some(' ') => " ",
            _ => "",
        }
    }
}

/// Lays out a number: sign/prefix, digits grouped, padded.
fn layout_number(
    negative: bool,
    base_prefix: &str,
    digits: &str,
    frac: &str,
    spec: &Spec,
    group: usize,
) -> PyResult<String> {
    let prefix = format!("{}{}", sign_str(negative, spec.sign), base_prefix);
    let zero_fill = spec.align == Some('=') && spec.fill == Some('0');
    let int_part = match spec.grouping {
        Some(sep) => {
            let min = if zero_fill {
                spec.width
                    .saturating_sub(prefix.chars().count() + frac.chars().count())
            } else {
                0
            };
            group_digits(digits, sep, group, min)?
        }
        None => digits.to_owned(),
    };
    pad(&prefix, &alloc::concat(&[&int_part, frac])?, spec, '>')
}

fn format_int(i: Int, spec_str: &str, tname: &str) -> PyResult<String> {
    let spec = parse_spec(spec_str, tname, true, Some('d'))?;
    let ty = spec.ty.unwrap_or('d');
    match ty {
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' => {
            let f = i.to_f64()?;
            return format_float(f, spec_str);
        }
        'b' | 'o' | 'x' | 'X' | 'd' | 'n' | 'c' => {}
        t => return Err(unknown_code(t, tname)),
    }
    if spec.precision.is_some() {
        return Err(err::value_error(
            "Precision not allowed in integer format specifier",
        ));
    }
    if ty == 'c' {
        if spec.sign.is_some() {
            return Err(err::value_error(
                "Sign not allowed with integer format specifier 'c'",
            ));
        }
        if spec.alt {
            return Err(err::value_error(
                "Alternate form (#) not allowed with integer format specifier 'c'",
            ));
        }
        let n = i
            .to_i64()
            .ok_or_else(|| err::overflow("Python int too large to convert to C long"))?;
        let c = u32::try_from(n)
            .ok()
            .filter(|&n| n < 0x110000)
            .and_then(char::from_u32)
            .ok_or_else(|| err::overflow("%c arg not in range(0x110000)"))?;
        return pad("", &c.to_string(), &spec, '<');
    }
    let (radix, prefix) = match ty {
        'b' => (2, "0b"),
        'o' => (8, "0o"),
        'x' => (16, "0x"),
        'X' => (16, "0X"),
        _ => (10, ""),
    };
    let negative = i.is_negative();
    let mut digits = match i {
        Int::Small(x) => match radix {
            2 => format!("{:b}", x.unsigned_abs()),
            8 => format!("{:o}", x.unsigned_abs()),
            16 => format!("{:x}", x.unsigned_abs()),
            _ => x.unsigned_abs().to_string(),
        },
        Int::Big(b) => {
            if radix == 10 {
                let s = arith::int_to_decimal(i)?;
                s.trim_start_matches('-').to_owned()
            } else {
                b.magnitude().to_str_radix(radix)
            }
        }
    };
    if ty == 'X' {
        digits = digits.to_uppercase();
    }
    let group = if radix == 10 { 3 } else { 4 };
    let base_prefix = if spec.alt { prefix } else { "" };
    layout_number(negative, base_prefix, &digits, "", &spec, group)
}

/// The digits of `|f|` formatted by `ty` (`e f g %`, or `r`: repr style) with `prec`, split into
/// the integer digits and the rest (fraction and exponent), for layout.
/// Rust's formatter takes precisions up to `u16::MAX` only (and panics beyond). An f64's exact
/// decimal expansion has at most 1074 digits after the point and 767 significant ones, so the
/// digits asked for beyond these bounds are zeros: format to the bound, then pad.
const EXACT_FRACTION_DIGITS: usize = 1100;
const EXACT_SIGNIFICANT_DIGITS: usize = 800;

/// `s` followed by `n` zeros, allocated fallibly (the count comes from the program).
fn pad_zeros(mut s: String, n: usize) -> PyResult<String> {
    if n > 0 {
        s.try_reserve_exact(n).map_err(|_| err::memory_error())?;
        s.extend(std::iter::repeat_n('0', n));
    }
    Ok(s)
}

pub(super) fn float_body(
    f: f64,
    ty: char,
    prec: usize,
    alt: bool,
    add_dot_0: bool,
) -> PyResult<String> {
    let a = f.abs();
    let upper = ty.is_ascii_uppercase();
    if a.is_infinite() {
        return Ok(if upper { "INF" } else { "inf" }.to_owned());
    }
    if a.is_nan() {
        return Ok(if upper { "NAN" } else { "nan" }.to_owned());
    }
    Ok(match ty.to_ascii_lowercase() {
        'f' | '%' => {
            let exact = prec.min(EXACT_FRACTION_DIGITS);
            let mut s = pad_zeros(format!("{:.*}", exact, a), prec - exact)?;
            if alt && prec == 0 {
                s.push('.');
            }
            s
        }
        'e' => {
            let exact = prec.min(EXACT_SIGNIFICANT_DIGITS);
            let (_, digits, exp) = precision_digits(a, exact);
            let digits = pad_zeros(digits, prec - exact)?;
            let mut s = sci_from_digits(&digits, exp, upper);
            if alt && prec == 0 {
                s.insert(1, '.');
            }
            s
        }
        'r' => {
            let mut r = repr::float_repr(a);
            if alt && !r.contains('.') {
                // `#`: always a decimal point, even in `1.e+16`.
                let at = r.find('e').unwrap_or(r.len());
                r.insert(at, '.');
            }
            if upper {
                r.to_uppercase()
            } else {
                r
            }
        }
        _ => {
            // 'g': `prec` significant digits, trailing zeros dropped unless `alt`.
            let p = prec.max(1);
            let (mut digits, exp) = if a == 0.0 {
                ("0".to_owned(), 0)
            } else {
                let (_, d, e) = precision_digits(a, (p - 1).min(EXACT_SIGNIFICANT_DIGITS));
                (d, e)
            };
            let decpt = exp + 1;
            while digits.len() > 1 && digits.ends_with('0') {
                digits.pop();
            }
            if alt {
                let n = p.saturating_sub(digits.len());
                digits = pad_zeros(digits, n)?;
            }
            let limit = if add_dot_0 {
                p.min(i32::MAX as usize) as i32 - 1
            } else {
                p.min(i32::MAX as usize) as i32
            };
            if decpt <= -4 || decpt > limit {
                let mut s = sci_from_digits(&digits, exp, upper);
                if alt && digits.len() == 1 {
                    s.insert(1, '.');
                }
                s
            } else {
                fixed_g(&digits, decpt, alt, add_dot_0)
            }
        }
    })
}

fn fixed_g(digits: &str, decpt: i32, alt: bool, add_dot_0: bool) -> String {
    let s = fixed_from_digits(digits, decpt, add_dot_0);
    if alt && !s.contains('.') {
        format!("{s}.")
    } else {
        s
    }
}

fn format_float(f: f64, spec_str: &str) -> PyResult<String> {
    let spec = parse_spec(spec_str, "float", true, None)?;
    let (ty, prec, add_dot_0) = match spec.ty {
        None => match spec.precision {
            None => ('r', 0, true),
            Some(p) => ('g', p, true),
        },
        Some(t @ ('e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%')) => {
            (t, spec.precision.unwrap_or(6), false)
        }
        Some('n') => ('g', spec.precision.unwrap_or(6), false),
        Some(t) => return Err(unknown_code(t, "float")),
    };
    let mut v = if ty == '%' { f * 100.0 } else { f };
    let mut body = float_body(v, ty, prec, spec.alt, add_dot_0)?;
    if spec.no_neg_zero
        && v.is_sign_negative()
        && body
            .chars()
            .all(|c| matches!(c, '0' | '.' | 'e' | 'E' | '+' | '-'))
    {
        v = 0.0;
    }
    if ty == '%' {
        body.push('%');
    }
    let negative = v.is_sign_negative() && !v.is_nan();
    // Split the integer digits (grouped) from the rest.
    let cut = body
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(body.len());
    let (int_digits, rest) = body.split_at(cut);
    if int_digits.is_empty() {
        // inf / nan: no grouping.
        let prefix = sign_str(negative, spec.sign);
        return pad(prefix, rest, &spec, '>');
    }
    layout_number(negative, "", int_digits, rest, &spec, 3)
}

fn format_str(s: &str, spec_str: &str) -> PyResult<String> {
    let spec = parse_spec(spec_str, "str", false, Some('s'))?;
    match spec.ty {
        None | Some('s') => {}
        Some(t) => return Err(unknown_code(t, "str")),
    }
    match spec.sign {
        Some(' ') => {
            return Err(err::value_error(
                "Space not allowed in string format specifier",
            ))
        }
        Some(_) => {
            return Err(err::value_error(
                "Sign not allowed in string format specifier",
            ))
        }
        None => {}
    }
    if spec.alt {
        return Err(err::value_error(
            "Alternate form (#) not allowed in string format specifier",
        ));
    }
    if spec.align == Some('=') {
        return Err(err::value_error(
            "'=' alignment not allowed in string format specifier",
        ));
    }
    if let Some(g) = spec.grouping {
        return Err(err::value_error(format!("Cannot specify '{g}' with 's'.")));
    }
    let body: String = match spec.precision {
        Some(p) => s.chars().take(p).collect(),
        None => s.to_owned(),
    };
    pad("", &body, &spec, '<')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(v: Value, spec: &str) -> String {
        let mut ts = ThreadState::new();
        format(&mut ts, &v, spec)
            .unwrap_or_else(|e| format!("ERR {}", super::super::str(&mut ts, e.value()).unwrap()))
    }

    fn fl(x: f64) -> Value {
        arith::float_value(x)
    }

    #[test]
    fn format_specs() {
        assert_eq!(f(Value::int(1234567), ","), "1,234,567");
        assert_eq!(f(Value::int(255), "_x"), "ff");
        assert_eq!(f(Value::int(1234), "010,"), "00,001,234");
        assert_eq!(f(Value::int(-1234), "010,"), "-0,001,234");
        assert_eq!(f(Value::int(1234), "08,"), "0,001,234");
        assert_eq!(f(Value::int(1234), "012_x"), "00_0000_04d2");
        assert_eq!(f(fl(3.14158), ".2f"), "3.14");
        assert_eq!(f(fl(3.14158), "10.3e"), " 3.142e+00");
        assert_eq!(f(fl(1234.5), ".3"), "1.23e+03");
        assert_eq!(f(fl(100.0), ".3"), "1e+02");
        assert_eq!(f(fl(1.0), ".3"), "1.0");
        assert_eq!(f(fl(0.0001), "g"), "0.0001");
        assert_eq!(f(fl(0.00001), "g"), "1e-05");
        assert_eq!(f(fl(123456789.0), "g"), "1.23457e+08");
        assert_eq!(f(fl(1e16), ""), "1e+16");
        assert_eq!(f(fl(1.5), "%"), "150.000000%");
        assert_eq!(f(fl(12.0), "#g"), "12.0000");
        assert_eq!(f(fl(12.5), "#.0f"), "12.");
        assert_eq!(f(fl(-0.0), "z.1f"), "0.0");
        assert_eq!(f(fl(f64::INFINITY), "F"), "INF");
        assert_eq!(f(fl(f64::NAN), "010"), "0000000nan");
        assert_eq!(f(fl(1234.5678), ",.2f"), "1,234.57");
        assert_eq!(f(fl(1234.5), "012,.1f"), "00,001,234.5");
        assert_eq!(f(fl(-1.5), "=+10"), "-      1.5");
        assert_eq!(f(fl(1.5), "+010"), "+0000001.5");
        assert_eq!(f(fl(0.0), "g"), "0");
        assert_eq!(f(fl(-0.0), "g"), "-0");
        assert_eq!(f(fl(0.0), ".3"), "0.0");
        assert_eq!(f(fl(0.1), ".20g"), "0.10000000000000000555");
        assert_eq!(f(Value::int(-12), "#010x"), "-0x000000c");
        assert_eq!(f(Value::int(12), "e"), "1.200000e+01");
        assert_eq!(f(Value::TRUE, ">5"), "    1");
        assert_eq!(f(Value::TRUE, ""), "True");
        assert_eq!(f(Value::str("ab"), "^7"), "  ab   ");
        assert_eq!(f(Value::str("ab"), "*>5"), "***ab");
        assert_eq!(f(Value::int(-5), "05"), "-0005");
        assert_eq!(
            f(Value::int(12), ".2"),
            "ERR Precision not allowed in integer format specifier"
        );
        assert_eq!(
            f(Value::str("abc"), "+"),
            "ERR Sign not allowed in string format specifier"
        );
        assert_eq!(
            f(Value::int(12), "s"),
            "ERR Unknown format code 's' for object of type 'int'"
        );
        assert_eq!(
            f(Value::int(12), ",_"),
            "ERR Cannot specify both ',' and '_'."
        );
        assert_eq!(f(fl(1.5), "."), "ERR Format specifier missing precision");
        assert_eq!(
            f(Value::NONE, ">5"),
            "ERR unsupported format string passed to NoneType.__format__"
        );
    }
}
