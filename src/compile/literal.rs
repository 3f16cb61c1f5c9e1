//! Literals: compile-time constants (numbers, strings, `None`/`True`/`False`, tuples of
//! constants), their deduplication keys, and f-strings.
//!
//! Folding is limited to what CPython's AST optimizer does and cannot change a traceback: a
//! unary `-`/`+`/`~` applied to a number literal, and tuples whose items are all constants.

use super::errors::{CResult, Fail};
use super::ir::Loc;
use super::unit::Compiler;
use crate::code::Instr;
use crate::object::{Object, Value};
use num_bigint::BigInt;
use num_traits::{ToPrimitive, Zero};
use ruff_python_ast::{
    ConversionFlag, Expr, ExprFString, FStringPart, InterpolatedElement, InterpolatedStringElement,
    InterpolatedStringElements, Number, UnaryOp,
};
use ruff_text_size::Ranged;

/// Deduplication key of a constant (type and value, like CPython's `_PyCode_ConstantKey`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum ConstKey {
    /// `None`.
    None,
    /// `True`/`False`.
    Bool(bool),
    /// An int.
    Int(BigInt),
    /// A float, by bits.
    Float(u64),
    /// A str.
    Str(String),
    /// A tuple of constants.
    Tuple(Vec<ConstKey>),
}

/// A compile-time constant.
#[derive(Clone, Debug)]
pub(crate) enum Const {
    /// `None`.
    None,
    /// `True`/`False`.
    Bool(bool),
    /// An int.
    Int(BigInt),
    /// A float.
    Float(f64),
    /// A str.
    Str(String),
    /// A tuple of constants.
    Tuple(Vec<Const>),
}

impl Const {
    /// Its deduplication key.
    pub fn key(&self) -> ConstKey {
        match self {
            Const::None => ConstKey::None,
            Const::Bool(b) => ConstKey::Bool(*b),
            Const::Int(i) => ConstKey::Int(i.clone()),
            Const::Float(f) => ConstKey::Float(f.to_bits()),
            Const::Str(s) => ConstKey::Str(s.clone()),
            Const::Tuple(items) => ConstKey::Tuple(items.iter().map(Const::key).collect()),
        }
    }

    /// The runtime value.
    pub fn value(&self) -> Value {
        match self {
            Const::None => Value::NONE,
            Const::Bool(b) => Value::bool(*b),
            Const::Int(i) => match i.to_i64() {
                Some(small) => Value::int(small),
                None => Value::from_object(Object::Int(i.clone())),
            },
            Const::Float(f) => Value::from_object(Object::Float(*f)),
            Const::Str(s) => Value::str(s),
            Const::Tuple(items) => Value::tuple(items.iter().map(Const::value).collect()),
        }
    }

    /// Python truthiness.
    pub fn truthy(&self) -> bool {
        match self {
            Const::None => false,
            Const::Bool(b) => *b,
            Const::Int(i) => !i.is_zero(),
            Const::Float(f) => *f != 0.0,
            Const::Str(s) => !s.is_empty(),
            Const::Tuple(items) => !items.is_empty(),
        }
    }
}

impl<'a> Compiler<'a> {
    /// The constant an expression denotes, if it is one (after CPython's safe folding).
    pub fn const_of(&self, e: &Expr) -> CResult<Option<Const>> {
        Ok(Some(match e {
            Expr::NoneLiteral(_) => Const::None,
            Expr::BooleanLiteral(b) => Const::Bool(b.value),
            Expr::StringLiteral(s) => Const::Str(s.value.to_str().to_owned()),
            Expr::NumberLiteral(n) => match &n.value {
                Number::Int(i) => Const::Int(match i.as_i64() {
                    Some(v) => BigInt::from(v),
                    None => self.big_int_literal(e)?,
                }),
                Number::Float(f) => Const::Float(*f),
                Number::Complex { .. } => {
                    return Err(Fail::unsupported("complex numbers", e.range()))
                }
            },
            // Only one level (`-1`, `not 0`): deeper chains are rare and would make this
            // recursive check quadratic on long `- - - x` chains.
            Expr::UnaryOp(u) if is_literal(&u.operand) => {
                let operand = self.const_of(&u.operand)?;
                match (operand, u.op) {
                    (Some(c), UnaryOp::Not) => Const::Bool(!c.truthy()),
                    (Some(Const::Int(i)), UnaryOp::USub) => Const::Int(-i),
                    (Some(Const::Int(i)), UnaryOp::UAdd) => Const::Int(i),
                    (Some(Const::Int(i)), UnaryOp::Invert) => Const::Int(-i - 1),
                    (Some(Const::Float(f)), UnaryOp::USub) => Const::Float(-f),
                    (Some(Const::Float(f)), UnaryOp::UAdd) => Const::Float(f),
                    _ => return Ok(None),
                }
            }
            Expr::Tuple(t) => {
                let mut items = Vec::with_capacity(t.elts.len());
                for elt in &t.elts {
                    match self.const_of(elt)? {
                        Some(c) => items.push(c),
                        None => return Ok(None),
                    }
                }
                Const::Tuple(items)
            }
            _ => return Ok(None),
        }))
    }

    /// An int literal too big for `i64`, from its source text (`0x`, `0o`, `0b`, `_`).
    fn big_int_literal(&self, e: &Expr) -> CResult<BigInt> {
        let text: String = self.source.text
            [e.range().start().to_usize()..e.range().end().to_usize()]
            .chars()
            .filter(|&c| c != '_')
            .collect();
        let lower = text.to_ascii_lowercase();
        let (digits, radix) = match lower.get(..2) {
            Some("0x") => (&lower[2..], 16),
            Some("0o") => (&lower[2..], 8),
            Some("0b") => (&lower[2..], 2),
            _ => (&lower[..], 10),
        };
        BigInt::parse_bytes(digits.as_bytes(), radix)
            .ok_or_else(|| Fail::syntax("invalid integer literal", e.range()))
    }

    /// Loads a constant.
    pub fn load_const(&mut self, c: &Const, loc: Loc) {
        let k = self.add_const(c.key(), || c.value());
        self.emit(Instr::LoadConst(k), loc);
    }

    /// An f-string: its literal parts and formatted values, joined by `BuildString` (CPython's
    /// `compiler_joined_str`; adjacent literal parts are merged, empty ones dropped).
    pub fn fstring(&mut self, f: &'a ExprFString) -> CResult<()> {
        let mut pieces: Vec<Piece> = Vec::new();
        for part in f.value.iter() {
            match part {
                FStringPart::Literal(s) => push_lit(&mut pieces, &s.value),
                FStringPart::FString(fs) => collect(&mut pieces, &fs.elements),
            }
        }
        let loc = self.loc(f.range);
        self.pieces(&pieces, loc)
    }

    /// Emits pieces and joins them.
    fn pieces(&mut self, pieces: &[Piece<'a>], loc: Loc) -> CResult<()> {
        if pieces.is_empty() {
            self.load_const(&Const::Str(String::new()), loc);
            return Ok(());
        }
        for p in pieces {
            match p {
                Piece::Lit(s) => self.load_const(&Const::Str(s.clone()), loc),
                Piece::Val(i) => self.formatted_value(i)?,
            }
        }
        if pieces.len() != 1 {
            self.emit(Instr::BuildString(pieces.len() as u32), loc);
        }
        Ok(())
    }

    /// `{expr!conv:spec}` (CPython's `compiler_formatted_value`).
    fn formatted_value(&mut self, i: &'a InterpolatedElement) -> CResult<()> {
        self.expr(&i.expression)?;
        let mut flags = match i.conversion {
            ConversionFlag::None if i.debug_text.is_some() && i.format_spec.is_none() => 2,
            ConversionFlag::None => 0,
            ConversionFlag::Str => 1,
            ConversionFlag::Repr => 2,
            ConversionFlag::Ascii => 3,
        };
        if let Some(spec) = &i.format_spec {
            let mut pieces = Vec::new();
            collect(&mut pieces, &spec.elements);
            // CPython's format spec starts at the ':'.
            let start = spec.range.start() - ruff_text_size::TextSize::from(1);
            let loc = self.loc(ruff_text_size::TextRange::new(start, spec.range.end()));
            self.pieces(&pieces, loc)?;
            flags |= 4;
        }
        self.emit(Instr::FormatValue(flags), self.loc(i.range));
        Ok(())
    }
}

/// Is `e` a literal constant (not a folded one)?
fn is_literal(e: &Expr) -> bool {
    matches!(
        e,
        Expr::NumberLiteral(_)
            | Expr::StringLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
    )
}

/// A part of an f-string.
enum Piece<'e> {
    /// Literal text.
    Lit(String),
    /// A replacement field.
    Val(&'e InterpolatedElement),
}

fn push_lit(pieces: &mut Vec<Piece>, s: &str) {
    if s.is_empty() {
        return;
    }
    if let Some(Piece::Lit(last)) = pieces.last_mut() {
        last.push_str(s);
    } else {
        pieces.push(Piece::Lit(s.to_owned()));
    }
}

fn collect<'e>(pieces: &mut Vec<Piece<'e>>, elements: &'e InterpolatedStringElements) {
    for el in elements.iter() {
        match el {
            InterpolatedStringElement::Literal(l) => push_lit(pieces, &l.value),
            InterpolatedStringElement::Interpolation(i) => {
                if let Some(debug) = &i.debug_text {
                    push_lit(pieces, debug.as_str());
                }
                pieces.push(Piece::Val(i));
            }
        }
    }
}
