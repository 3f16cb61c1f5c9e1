//! Compile errors: the internal [`Fail`] every pass returns, its conversion to the public
//! [`CompileError`] (CPython's 1-based character offsets), and the checks CPython's tokenizer
//! makes before parsing (bracket nesting and matching, indentation depth) plus the mapping of
//! ruff's parse errors to CPython's wording where they differ.

use super::CompileError;
use crate::code::Source;
use ruff_python_ast::token::TokenKind;
use ruff_python_parser::{
    InterpolatedStringErrorType, LexicalErrorType, ParseError, ParseErrorType, Parsed,
};
use ruff_text_size::{Ranged, TextRange};

/// CPython's tokenizer limit on bracket nesting (`MAXLEVEL`).
const MAX_PAREN_LEVEL: usize = 200;
/// CPython's tokenizer limit on indentation levels (`MAXINDENT`).
const MAX_INDENT: usize = 100;

/// An error found by any pass, located by a byte range of the source.
#[derive(Debug, Clone)]
pub(crate) struct Fail {
    /// `SyntaxError` or `IndentationError`.
    pub kind: &'static str,
    /// The message.
    pub msg: String,
    /// Start byte offset.
    pub start: usize,
    /// End byte offset (`None`: CPython reports no end column).
    pub end: Option<usize>,
}

/// Result of a compiler pass.
pub(crate) type CResult<T> = Result<T, Fail>;

impl Fail {
    /// A `SyntaxError` covering `range`.
    pub fn syntax(msg: impl Into<String>, range: TextRange) -> Fail {
        Fail {
            kind: "SyntaxError",
            msg: msg.into(),
            start: range.start().to_usize(),
            end: Some(range.end().to_usize()),
        }
    }

    /// A `SyntaxError` saying that `what` (a plural noun phrase) is not supported.
    pub fn unsupported(what: &str, range: TextRange) -> Fail {
        Fail::syntax(format!("{what} are not supported by shadowpy"), range)
    }

    /// A `SyntaxError` at a single point (CPython's tokenizer errors: offset == end offset).
    fn at(msg: impl Into<String>, offset: usize) -> Fail {
        Fail {
            kind: "SyntaxError",
            msg: msg.into(),
            start: offset,
            end: Some(offset),
        }
    }
}

/// 1-based line and 1-based character offset of a byte offset.
fn line_and_offset(source: &Source, byte: usize) -> (u32, u32) {
    let byte = byte.min(source.text.len());
    let (line, col) = source.line_col(byte);
    let start = byte - col as usize;
    let chars = source.text[start..byte].chars().count();
    (line, chars as u32 + 1)
}

/// Converts an internal failure to the public error.
pub(crate) fn to_compile_error(source: &Source, mut fail: Fail) -> CompileError {
    fail.start = fail.start.min(source.text.len());
    let (line, offset) = line_and_offset(source, fail.start);
    let (end_line, end_offset) = match fail.end {
        // A range ending with a newline ends on its line, one past the newline (as CPython's
        // NEWLINE token does), not at the start of the next line.
        Some(end) if end > fail.start && source.text.as_bytes().get(end - 1) == Some(&b'\n') => {
            let (l, o) = line_and_offset(source, end - 1);
            (l, o + 1)
        }
        Some(end) => line_and_offset(source, end),
        None => (line, 0),
    };
    let text = source.line(line).map(|l| {
        let mut t = l.to_owned();
        let line_start = fail.start - source.line_col(fail.start.min(source.text.len())).1 as usize;
        if source.text[line_start..].contains('\n') {
            t.push('\n');
        }
        t
    });
    CompileError {
        kind: fail.kind,
        msg: fail.msg,
        filename: source.filename.to_string(),
        line,
        offset,
        end_line,
        end_offset,
        text,
    }
}

/// Tokenizer-level checks, then ruff's parse errors (first one wins, as in CPython).
pub(crate) fn check_parse(source: &Source, parsed: &Parsed<ruff_python_ast::Mod>) -> CResult<()> {
    let scan = scan_tokens(source, parsed);
    let first_parse = parsed.errors().iter().min_by_key(|e| e.location.start());
    if let Some(fail) = scan.error {
        let before_parse_error =
            first_parse.is_none_or(|e| fail.start <= e.location.start().to_usize());
        if before_parse_error {
            return Err(fail);
        }
    }
    if let Some(err) = first_parse {
        if is_eof_error(err) {
            if let Some(&(kind, offset)) = scan.open.last() {
                return Err(Fail {
                    end: None,
                    ..Fail::at(format!("'{kind}' was never closed"), offset)
                });
            }
        }
        return Err(map_parse_error(source, parsed, err));
    }
    if let Some(e) = parsed.unsupported_syntax_errors().first() {
        return Err(Fail::syntax(e.to_string(), e.range()));
    }
    Ok(())
}

/// What the token scan found.
struct Scan {
    /// The first tokenizer-level error.
    error: Option<Fail>,
    /// Brackets still open at the end: (bracket, byte offset).
    open: Vec<(char, usize)>,
}

/// CPython's tokenizer checks: bracket nesting depth, unmatched or mismatched closing brackets,
/// indentation depth.
fn scan_tokens(source: &Source, parsed: &Parsed<ruff_python_ast::Mod>) -> Scan {
    let mut open: Vec<(char, usize)> = Vec::new();
    let mut indent = 0usize;
    let mut error = None;
    for tok in parsed.tokens().iter() {
        let offset = tok.range().start().to_usize();
        let closing = match tok.kind() {
            TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace => {
                let c = match tok.kind() {
                    TokenKind::Lpar => '(',
                    TokenKind::Lsqb => '[',
                    _ => '{',
                };
                if open.len() >= MAX_PAREN_LEVEL {
                    error = Some(Fail::at("too many nested parentheses", offset));
                    break;
                }
                open.push((c, offset));
                continue;
            }
            TokenKind::Rpar => '(',
            TokenKind::Rsqb => '[',
            TokenKind::Rbrace => '{',
            TokenKind::Indent => {
                indent += 1;
                if indent >= MAX_INDENT {
                    let start = offset - source.line_col(offset).1 as usize;
                    error = Some(Fail {
                        kind: "IndentationError",
                        msg: "too many levels of indentation".into(),
                        start,
                        end: Some(start),
                    });
                    break;
                }
                continue;
            }
            TokenKind::Dedent => {
                indent = indent.saturating_sub(1);
                continue;
            }
            _ => continue,
        };
        let close_char = match closing {
            '(' => ')',
            '[' => ']',
            _ => '}',
        };
        match open.pop() {
            None => {
                error = Some(Fail::at(format!("unmatched '{close_char}'"), offset));
                break;
            }
            Some((opener, open_offset)) if opener != closing => {
                let (open_line, _) = source.line_col(open_offset);
                let (line, _) = source.line_col(offset);
                let msg = if open_line == line {
                    format!(
                        "closing parenthesis '{close_char}' does not match opening parenthesis '{opener}'"
                    )
                } else {
                    format!(
                        "closing parenthesis '{close_char}' does not match opening parenthesis '{opener}' on line {open_line}"
                    )
                };
                error = Some(Fail::at(msg, offset));
                break;
            }
            Some(_) => {}
        }
    }
    Scan { error, open }
}

/// Did the parser stop because the file ended?
fn is_eof_error(err: &ParseError) -> bool {
    matches!(
        &err.error,
        ParseErrorType::Lexical(LexicalErrorType::Eof)
            | ParseErrorType::ExpectedToken {
                found: TokenKind::EndOfFile,
                ..
            }
    )
}

/// ruff's parse error in CPython's words where they differ: errors about an unexpected token
/// are `invalid syntax`, indentation errors are `IndentationError`s.
fn map_parse_error(
    source: &Source,
    parsed: &Parsed<ruff_python_ast::Mod>,
    err: &ParseError,
) -> Fail {
    let range = err.location;
    let syntax = |msg: &str| Fail::syntax(msg, range);
    let indentation = |msg: String| Fail {
        kind: "IndentationError",
        msg,
        start: range.start().to_usize(),
        end: Some(range.end().to_usize()),
    };
    // CPython locates a bad indentation at the end of the indentation, with no end column.
    let bad_indent = |msg: &str| Fail {
        kind: "IndentationError",
        msg: msg.into(),
        start: range
            .end()
            .to_usize()
            .saturating_sub(1)
            .max(range.start().to_usize()),
        end: None,
    };
    match &err.error {
        ParseErrorType::UnexpectedIndentation => bad_indent("unexpected indent"),
        ParseErrorType::Lexical(LexicalErrorType::IndentationError) => {
            // CPython reports it after reading the whole line: at its newline.
            let from = range.start().to_usize();
            let newline = source.text[from..]
                .find('\n')
                .map_or(source.text.len(), |i| from + i);
            Fail {
                start: newline,
                ..bad_indent("unindent does not match any outer indentation level")
            }
        }
        ParseErrorType::SimpleStatementsOnSameLine if is_print_statement(source, parsed, range) => {
            let start = parsed
                .tokens()
                .before(range.start())
                .last()
                .map_or(range.start().to_usize(), |t| t.range().start().to_usize());
            let end = source.text[start..]
                .find('\n')
                .map_or(source.text.len(), |i| start + i);
            Fail::syntax(
                "Missing parentheses in call to 'print'. Did you mean print(...)?",
                TextRange::new((start as u32).into(), (end as u32).into()),
            )
        }
        ParseErrorType::Lexical(LexicalErrorType::FStringError(e))
        | ParseErrorType::FStringError(e)
            if matches!(
                e,
                InterpolatedStringErrorType::UnterminatedString
                    | InterpolatedStringErrorType::UnterminatedTripleQuotedString
            ) =>
        {
            // At the f-string's start.
            let start = parsed
                .tokens()
                .before(range.start())
                .iter()
                .rev()
                .find(|t| t.kind() == TokenKind::FStringStart)
                .map_or(range.start().to_usize(), |t| t.range().start().to_usize());
            if *e == InterpolatedStringErrorType::UnterminatedTripleQuotedString {
                let last = source.line_col(source.text.len().saturating_sub(1)).0;
                Fail::at(
                    format!(
                        "unterminated triple-quoted f-string literal (detected at line {last})"
                    ),
                    start,
                )
            } else {
                let (line, _) = source.line_col(start);
                Fail::at(
                    format!("unterminated f-string literal (detected at line {line})"),
                    start,
                )
            }
        }
        ParseErrorType::UnparenthesizedGeneratorExpression => {
            syntax("Generator expression must be parenthesized")
        }
        ParseErrorType::InvalidAssignmentTarget => {
            let kind = target_kind(source, range);
            let msg = match kind {
                "None" | "True" | "False" | "__debug__" => format!("cannot assign to {kind}"),
                "lambda" | "conditional expression" => format!("cannot assign to {kind}"),
                _ if starts_statement(source, range) && followed_by_assign(source, range) => {
                    format!("cannot assign to {kind} here. Maybe you meant '==' instead of '='?")
                }
                _ => format!("cannot assign to {kind}"),
            };
            syntax(&msg)
        }
        ParseErrorType::InvalidDeleteTarget => {
            syntax(&format!("cannot delete {}", target_kind(source, range)))
        }
        ParseErrorType::InvalidAugmentedAssignmentTarget => syntax(&format!(
            "'{}' is an illegal expression for augmented assignment",
            target_kind(source, range)
        )),
        ParseErrorType::Lexical(LexicalErrorType::UnclosedStringError) => {
            let start = range.start().to_usize();
            let quote = source.text[start..].trim_start_matches(|c: char| "rRbBuUfFtT".contains(c));
            if quote.starts_with("'''") || quote.starts_with("\"\"\"") {
                // Detected at the end of the file.
                let last = source.line_col(source.text.len().saturating_sub(1)).0;
                Fail::at(
                    format!("unterminated triple-quoted string literal (detected at line {last})"),
                    start,
                )
            } else {
                let (line, _) = source.line_col(start);
                Fail::at(
                    format!("unterminated string literal (detected at line {line})"),
                    start,
                )
            }
        }
        ParseErrorType::OtherError(msg) if msg.starts_with("Expected an indented block after ") => {
            indentation(expected_block(source, parsed, msg, range))
        }
        ParseErrorType::OtherError(msg)
            if msg.starts_with("Expected") || msg.starts_with("Got unexpected") =>
        {
            syntax("invalid syntax")
        }
        ParseErrorType::ExpectedToken { .. }
        | ParseErrorType::UnexpectedExpressionToken
        | ParseErrorType::ExpectedExpression
        | ParseErrorType::SimpleStatementsOnSameLine
        | ParseErrorType::SimpleAndCompoundStatementOnSameLine
        | ParseErrorType::EmptySlice
        | ParseErrorType::ExpectedKeywordParam
        | ParseErrorType::UnexpectedTokenAfterAsync(_)
        | ParseErrorType::Lexical(
            LexicalErrorType::UnrecognizedToken { .. }
            | LexicalErrorType::LineContinuationError
            | LexicalErrorType::Eof,
        ) => syntax("invalid syntax"),
        other => syntax(&other.to_string()),
    }
}

/// CPython's "expected an indented block after 'if' statement on line N", from ruff's
/// "Expected an indented block after `if` statement" and the line of the clause's keyword.
fn expected_block(
    source: &Source,
    parsed: &Parsed<ruff_python_ast::Mod>,
    msg: &str,
    range: TextRange,
) -> String {
    let clause = msg.trim_start_matches("Expected an indented block after ");
    let (phrase, keyword) = match clause {
        "`if` statement" => ("'if' statement", TokenKind::If),
        "`elif` clause" => ("'elif' statement", TokenKind::Elif),
        "`else` clause" => ("'else' statement", TokenKind::Else),
        "`for` statement" => ("'for' statement", TokenKind::For),
        "`while` statement" => ("'while' statement", TokenKind::While),
        "`with` statement" => ("'with' statement", TokenKind::With),
        "`try` statement" => ("'try' statement", TokenKind::Try),
        "`except` clause" => ("'except' statement", TokenKind::Except),
        "`finally` clause" => ("'finally' statement", TokenKind::Finally),
        "`class` definition" => ("class definition", TokenKind::Class),
        "function definition" => ("function definition", TokenKind::Def),
        _ => return "expected an indented block".into(),
    };
    let line = parsed
        .tokens()
        .before(range.start())
        .iter()
        .rev()
        .find(|t| t.kind() == keyword)
        .map(|t| source.line_col(t.range().start().to_usize()).0);
    match line {
        Some(line) => format!("expected an indented block after {phrase} on line {line}"),
        None => "expected an indented block".into(),
    }
}

/// Is the statement at `range` `print <something>` (Python 2's print statement)?
fn is_print_statement(
    source: &Source,
    parsed: &Parsed<ruff_python_ast::Mod>,
    range: TextRange,
) -> bool {
    let before = parsed.tokens().before(range.start());
    let Some(last) = before.last() else {
        return false;
    };
    let starts_line = before.len() < 2
        || matches!(
            before[before.len() - 2].kind(),
            TokenKind::Newline
                | TokenKind::Indent
                | TokenKind::Dedent
                | TokenKind::NonLogicalNewline
        );
    last.kind() == TokenKind::Name && &source.text[last.range()] == "print" && starts_line
}

/// CPython's name for what an invalid target is ("literal", "function call", ...).
fn target_kind(source: &Source, range: TextRange) -> &'static str {
    use ruff_python_ast::Expr;
    let text = &source.text[range];
    let Ok(parsed) = ruff_python_parser::parse_expression(text) else {
        return "expression";
    };
    match parsed.expr() {
        Expr::NumberLiteral(_)
        | Expr::StringLiteral(_)
        | Expr::BytesLiteral(_)
        | Expr::EllipsisLiteral(_) => "literal",
        Expr::NoneLiteral(_) => "None",
        Expr::BooleanLiteral(b) if b.value => "True",
        Expr::BooleanLiteral(_) => "False",
        Expr::Call(_) => "function call",
        Expr::Lambda(_) => "lambda",
        Expr::If(_) => "conditional expression",
        Expr::Compare(_) => "comparison",
        Expr::ListComp(_) => "list comprehension",
        Expr::SetComp(_) => "set comprehension",
        Expr::DictComp(_) => "dict comprehension",
        Expr::Generator(_) => "generator expression",
        Expr::Dict(_) => "dict literal",
        Expr::Set(_) => "set display",
        Expr::FString(_) => "f-string expression",
        Expr::Await(_) => "await expression",
        Expr::Yield(_) | Expr::YieldFrom(_) => "yield expression",
        Expr::Named(_) => "named expression",
        Expr::Name(n) if n.id.as_str() == "__debug__" => "__debug__",
        _ => "expression",
    }
}

/// Is `range` the first thing on its line?
fn starts_statement(source: &Source, range: TextRange) -> bool {
    let start = range.start().to_usize();
    let line_start = start - source.line_col(start).1 as usize;
    source.text[line_start..start].trim().is_empty()
}

/// Is `range` followed by a single `=`?
fn followed_by_assign(source: &Source, range: TextRange) -> bool {
    let rest = source.text[range.end().to_usize()..].trim_start_matches([' ', '\t']);
    rest.starts_with('=') && !rest.starts_with("==")
}
