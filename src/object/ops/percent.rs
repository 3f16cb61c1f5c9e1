//! printf-style formatting, `str % args`, as CPython 3.13's `PyUnicode_Format`: `%s %r %a %d %i
//! %u %x %X %o %e %E %f %F %g %G %c %%`, flags `-+ #0`, width and precision (`*` too), `%(key)s`
//! with a mapping, and CPython's argument errors.

use super::super::exc::err;
use super::super::{alloc, Object, PyResult, Value};
use super::arith::{self, as_float, as_int, Int};
use super::format::float_body;
use super::repr;
use super::type_name;
use crate::thread::ThreadState;

/// State of `str % args` (CPython's `unicode_formatter_t`): a tuple gives positional arguments;
/// any other value is a single argument, and also the mapping for `%(key)s` when it supports
/// subscription.
struct Args {
    args: Value,
    arglen: isize,
    argidx: isize,
    dict: Option<Value>,
}

impl Args {
    fn next(&mut self) -> PyResult<Value> {
        if self.argidx < self.arglen {
            let i = self.argidx;
            self.argidx += 1;
            if self.arglen < 0 {
                return Ok(self.args.clone());
            }
            if let Some(t) = self.args.as_tuple() {
                return Ok(t[i as usize].clone());
            }
        }
        Err(err::type_error("not enough arguments for format string"))
    }
}

/// The common case without the general machinery: directives are only `%s`, `%d`, `%i` and
/// `%%` (no flags, width, precision or keys), and every argument is a small int (for any of
/// them: `str(i)` is `%d` of `i`) or a str (for `%s`), all of them used. `None`: take the
/// general path (which also raises the errors).
fn simple_format(fmt: &str, args: &Value) -> Option<String> {
    let items: &[Value] = match args.as_tuple() {
        Some(t) => t,
        None => std::slice::from_ref(args),
    };
    let bytes = fmt.as_bytes();
    let mut out = String::with_capacity(fmt.len() + 8 * items.len());
    let (mut next, mut last, mut i) = (0, 0, 0);
    while i < bytes.len() {
        if bytes[i] != b'%' {
            i += 1;
            continue;
        }
        // `%` is ASCII, so `i` and `i + 2` are char boundaries.
        out.push_str(&fmt[last..i]);
        match *bytes.get(i + 1)? {
            b'%' => out.push('%'),
            c @ (b's' | b'd' | b'i') => {
                let arg = items.get(next)?;
                next += 1;
                if let Some(n) = arg.as_small() {
                    crate::object::str::push_i64(&mut out, n);
                } else if let (b's', Some(s)) = (c, arg.as_str()) {
                    out.push_str(s);
                } else {
                    return None;
                }
            }
            _ => return None,
        }
        i += 2;
        last = i;
    }
    out.push_str(&fmt[last..]);
    (next == items.len()).then_some(out)
}

fn is_mapping(v: &Value) -> bool {
    match v.obj() {
        Some(Object::Dict(_) | Object::List(_) | Object::Range(_)) => true,
        Some(Object::Native(n)) => matches!(
            n.py_type(),
            crate::object::TypeId::FrameLocalsProxy | crate::object::TypeId::StackSummary
        ),
        _ => false,
    }
}

/// `fmt % args` (printf-style formatting).
pub fn percent_format(ts: &mut ThreadState, fmt: &str, args: &Value) -> PyResult<String> {
    if let Some(out) = simple_format(fmt, args) {
        return Ok(out);
    }
    let mut st = match args.as_tuple() {
        Some(t) => Args {
            args: args.clone(),
            arglen: t.len() as isize,
            argidx: 0,
            dict: None,
        },
        None => Args {
            args: args.clone(),
            arglen: -1,
            argidx: -2,
            dict: if is_mapping(args) {
                Some(args.clone())
            } else {
                None
            },
        },
    };
    let chars: Vec<char> = fmt.chars().collect();
    let mut out = String::with_capacity(fmt.len() + 16);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c != '%' {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        if i >= chars.len() {
            return Err(err::value_error("incomplete format"));
        }
        if chars[i] == '%' {
            out.push('%');
            i += 1;
            continue;
        }
        // %(key)
        if chars[i] == '(' {
            let Some(dict) = st.dict.clone() else {
                return Err(err::type_error("format requires a mapping"));
            };
            i += 1;
            let start = i;
            let mut depth = 1;
            while i < chars.len() {
                match chars[i] {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            if i >= chars.len() {
                return Err(err::value_error("incomplete format key"));
            }
            let key: String = chars[start..i].iter().collect();
            i += 1;
            let value = super::getitem(ts, &dict, &Value::string(key))?;
            st.args = value;
            st.arglen = -1;
            st.argidx = -2;
        }
        // Flags.
        let (mut left, mut plus, mut space, mut alt, mut zero) =
            (false, false, false, false, false);
        while i < chars.len() {
            match chars[i] {
                '-' => left = true,
                '+' => plus = true,
                ' ' => space = true,
                '#' => alt = true,
                '0' => zero = true,
                _ => break,
            }
            i += 1;
        }
        // Width.
        // CPython keeps the width in a Py_ssize_t and the precision in a C int; a width that
        // fits but cannot be allocated is a MemoryError when the piece is padded.
        let mut width: usize = 0;
        if i < chars.len() && chars[i] == '*' {
            let w = st.next()?;
            let w = as_int(&w).ok_or_else(|| err::type_error("* wants int"))?;
            let w = w
                .to_i64()
                .ok_or_else(|| err::overflow("Python int too large to convert to C ssize_t"))?;
            if w < 0 {
                left = true;
            }
            width = w.unsigned_abs() as usize;
            i += 1;
        } else {
            while i < chars.len() && chars[i].is_ascii_digit() {
                width = width
                    .checked_mul(10)
                    .and_then(|w| w.checked_add(chars[i].to_digit(10).unwrap_or(0) as usize))
                    .filter(|&w| w <= isize::MAX as usize)
                    .ok_or_else(|| err::value_error("width too big"))?;
                i += 1;
            }
        }
        // Precision.
        let mut prec: Option<usize> = None;
        if i < chars.len() && chars[i] == '.' {
            i += 1;
            if i < chars.len() && chars[i] == '*' {
                let p = st.next()?;
                let p = as_int(&p).ok_or_else(|| err::type_error("* wants int"))?;
                let p = p
                    .to_i64()
                    .and_then(|p| i32::try_from(p).ok())
                    .ok_or_else(|| err::overflow("Python int too large to convert to C int"))?;
                prec = Some(p.max(0) as usize);
                i += 1;
            } else {
                let mut p = 0usize;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    p = p
                        .checked_mul(10)
                        .and_then(|w| w.checked_add(chars[i].to_digit(10).unwrap_or(0) as usize))
                        .filter(|&w| w <= i32::MAX as usize)
                        .ok_or_else(|| err::value_error("precision too big"))?;
                    i += 1;
                }
                prec = Some(p);
            }
        }
        // Length modifiers are accepted and ignored.
        while i < chars.len() && matches!(chars[i], 'h' | 'l' | 'L') {
            i += 1;
        }
        if i >= chars.len() {
            return Err(err::value_error("incomplete format"));
        }
        let conv = chars[i];
        let conv_index = i;
        i += 1;
        let arg = st.next()?;
        let sign_of = |neg: bool| -> &'static str {
            if neg {
                "-"
            } else if plus {
                "+"
            } else if space {
                " "
            } else {
                ""
            }
        };
        let piece = match conv {
            '%' => "%".to_owned(),
            's' | 'r' | 'a' => {
                let mut s = match conv {
                    's' => super::str(ts, &arg)?,
                    'r' => super::repr(ts, &arg)?,
                    _ => repr::ascii_escape(&super::repr(ts, &arg)?),
                };
                if let Some(p) = prec {
                    s = s.chars().take(p).collect();
                }
                pad_printf("", &s, width, left, false)?
            }
            'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
                let int_val = match as_int(&arg) {
                    Some(_) => arg.clone(),
                    None => match as_float(&arg) {
                        Some(f) if matches!(conv, 'd' | 'i' | 'u') => arith::float_to_int(f)?,
                        Some(_) => {
                            return Err(err::type_error(format!(
                                "%{conv} format: an integer is required, not float"
                            )))
                        }
                        None if matches!(conv, 'd' | 'i' | 'u') => {
                            return Err(err::type_error(format!(
                                "%{conv} format: a real number is required, not {}",
                                type_name(&arg)
                            )))
                        }
                        None => {
                            return Err(err::type_error(format!(
                                "%{conv} format: an integer is required, not {}",
                                type_name(&arg)
                            )))
                        }
                    },
                };
                let n = as_int(&int_val).unwrap_or(Int::Small(0));
                let neg = n.is_negative();
                let mut digits = match (conv, n) {
                    ('x' | 'X', Int::Small(x)) => format!("{:x}", x.unsigned_abs()),
                    ('o', Int::Small(x)) => format!("{:o}", x.unsigned_abs()),
                    ('x' | 'X', Int::Big(b)) => b.magnitude().to_str_radix(16),
                    ('o', Int::Big(b)) => b.magnitude().to_str_radix(8),
                    (_, Int::Small(x)) => x.unsigned_abs().to_string(),
                    (_, Int::Big(b)) => {
                        let s = arith::int_to_decimal(Int::Big(b))?;
                        s.trim_start_matches('-').to_owned()
                    }
                };
                if conv == 'X' {
                    digits = digits.to_uppercase();
                }
                if let Some(p) = prec {
                    if digits.len() < p {
                        let zeros = alloc::repeat_str("0", p - digits.len())?;
                        digits = alloc::concat(&[&zeros, &digits])?;
                    }
                }
                let base_prefix = match (alt, conv) {
                    (true, 'x') => "0x",
                    (true, 'X') => "0X",
                    (true, 'o') => "0o",
                    _ => "",
                };
                let prefix = format!("{}{}", sign_of(neg), base_prefix);
                pad_printf(&prefix, &digits, width, left, zero)?
            }
            'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
                let f = match arith::to_f64(&arg) {
                    Some(r) => r?,
                    None => {
                        return Err(err::type_error(format!(
                            "must be real number, not {}",
                            type_name(&arg)
                        )))
                    }
                };
                let body = float_body(f, conv, prec.unwrap_or(6), alt, false)?;
                let neg = f.is_sign_negative() && !f.is_nan();
                pad_printf(sign_of(neg), &body, width, left, zero)?
            }
            'c' => {
                let ch = if let Some(n) = as_int(&arg) {
                    n.to_i64()
                        .and_then(|n| u32::try_from(n).ok())
                        .filter(|&n| n < 0x110000)
                        .and_then(char::from_u32)
                        .ok_or_else(|| err::overflow("%c arg not in range(0x110000)"))?
                } else if let Some(s) = arg.as_pystr().filter(|s| s.char_len() == 1) {
                    s.as_str().chars().next().unwrap_or(' ')
                } else {
                    return Err(err::type_error("%c requires int or char"));
                };
                pad_printf("", &ch.to_string(), width, left, false)?
            }
            other => {
                return Err(err::value_error(format!(
                    "unsupported format character '{}' ({:#x}) at index {}",
                    other, other as u32, conv_index
                )))
            }
        };
        alloc::push_str(&mut out, &piece)?;
    }
    if st.argidx < st.arglen && st.dict.is_none() {
        return Err(err::type_error(
            "not all arguments converted during string formatting",
        ));
    }
    Ok(out)
}

fn pad_printf(prefix: &str, body: &str, width: usize, left: bool, zero: bool) -> PyResult<String> {
    let len = prefix.chars().count() + body.chars().count();
    if len >= width {
        return alloc::concat(&[prefix, body]);
    }
    let fill = alloc::repeat_str(if zero && !left { "0" } else { " " }, width - len)?;
    if left {
        alloc::concat(&[prefix, body, &fill])
    } else if zero {
        alloc::concat(&[prefix, &fill, body])
    } else {
        alloc::concat(&[&fill, prefix, body])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fl(x: f64) -> Value {
        arith::float_value(x)
    }

    fn p(fmt: &str, args: Value) -> String {
        let mut ts = ThreadState::new();
        match percent_format(&mut ts, fmt, &args) {
            Ok(s) => s,
            Err(e) => format!(
                "{}: {}",
                e.kind().name(),
                super::super::str(&mut ts, e.value()).unwrap()
            ),
        }
    }

    #[test]
    fn percent() {
        let t = Value::tuple;
        assert_eq!(
            p(
                "[%5d] [%-5d] [%05d] [%+d] [% d]",
                t(vec![Value::int(42); 5])
            ),
            "[   42] [42   ] [00042] [+42] [ 42]"
        );
        assert_eq!(
            p(
                "[%x] [%X] [%o] [%#x] [%#o]",
                t(vec![
                    Value::int(255),
                    Value::int(255),
                    Value::int(8),
                    Value::int(255),
                    Value::int(8)
                ])
            ),
            "[ff] [FF] [10] [0xff] [0o10]"
        );
        assert_eq!(
            p(
                "%c%c%c",
                t(vec![Value::int(72), Value::str("i"), Value::int(33)])
            ),
            "Hi!"
        );
        assert_eq!(p("100%% sure, %d%%", Value::int(50)), "100% sure, 50%");
        assert_eq!(
            p("%d", Value::str("x")),
            "TypeError: %d format: a real number is required, not str"
        );
        assert_eq!(
            p("%d %d", t(vec![Value::int(1)])),
            "TypeError: not enough arguments for format string"
        );
        assert_eq!(
            p("%d", t(vec![Value::int(1), Value::int(2)])),
            "TypeError: not all arguments converted during string formatting"
        );
        assert_eq!(
            p("%z", Value::int(1)),
            "ValueError: unsupported format character 'z' (0x7a) at index 1"
        );
        assert_eq!(
            p("%c", Value::int(1114112)),
            "OverflowError: %c arg not in range(0x110000)"
        );
        assert_eq!(
            p("%c", Value::str("ab")),
            "TypeError: %c requires int or char"
        );
        assert_eq!(
            p(
                "%5.1f|%-8.3e|%g|%G|%+.2f|%e",
                t(vec![
                    fl(3.14158),
                    fl(1234.5),
                    fl(0.00001234),
                    fl(1e20),
                    fl(2.5),
                    fl(0.0)
                ])
            ),
            "  3.1|1.234e+03|1.234e-05|1E+20|+2.50|0.000000e+00"
        );
        assert_eq!(
            p("%.3d|%5.3d", t(vec![Value::int(7), Value::int(7)])),
            "007|  007"
        );
        assert_eq!(
            p(
                "%*d|%-*d",
                t(vec![
                    Value::int(5),
                    Value::int(1),
                    Value::int(4),
                    Value::int(2)
                ])
            ),
            "    1|2   "
        );
        assert_eq!(p("x", Value::list(vec![])), "x");
        assert_eq!(
            p("x", Value::int(5)),
            "TypeError: not all arguments converted during string formatting"
        );
        assert_eq!(p("%", Value::int(5)), "ValueError: incomplete format");
        assert_eq!(p("%d", fl(3.7)), "3");
        assert_eq!(
            p("%x", fl(3.7)),
            "TypeError: %x format: an integer is required, not float"
        );
        assert_eq!(
            p("%f", Value::str("a")),
            "TypeError: must be real number, not str"
        );
        assert_eq!(p("%010.4f|", fl(-3.14158)), "-0003.1416|");
        assert_eq!(p("%05s|", Value::str("ab")), "   ab|");
        assert_eq!(p("%o", Value::int(-8)), "-10");
        assert_eq!(
            p("%s", t(vec![])),
            "TypeError: not enough arguments for format string"
        );
        assert_eq!(p("%.2s", Value::str("abc")), "ab");
    }
}
