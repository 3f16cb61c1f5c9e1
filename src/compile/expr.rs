//! Expressions (CPython's `compiler_visit_expr1` and helpers), conditional jumps
//! (`compiler_jump_if`), calls, lambdas, and assignment/deletion targets.
//!
//! Positions follow CPython 3.13: an operation is located at its whole expression (a call at the
//! call, a `BinaryOp` at the binary expression, a subscript at the subscript), attribute loads
//! and method calls at the attribute name when the access spans lines, compiler-made jumps are
//! artificial.

use super::errors::{CResult, Fail};
use super::ir::Loc;
use super::literal::Const;
use super::unit::{Compiler, Ctx, UnitKind};
use crate::code::{BinOp, CmpOp, Instr, UnOp};
use ruff_python_ast::{
    self as ast, BoolOp, Expr, ExprAttribute, ExprCall, ExprContext, ExprLambda, Operator,
    Parameters, UnaryOp,
};
use ruff_text_size::Ranged;

/// CPython's `STACK_USE_GUIDELINE`: bigger displays are built item by item.
const STACK_USE_GUIDELINE: usize = 30;

/// Our binary operator for ruff's.
pub(crate) fn binop(op: Operator) -> BinOp {
    match op {
        Operator::Add => BinOp::Add,
        Operator::Sub => BinOp::Sub,
        Operator::Mult => BinOp::Mul,
        Operator::MatMult => BinOp::MatMul,
        Operator::Div => BinOp::TrueDiv,
        Operator::Mod => BinOp::Mod,
        Operator::Pow => BinOp::Pow,
        Operator::LShift => BinOp::LShift,
        Operator::RShift => BinOp::RShift,
        Operator::BitOr => BinOp::Or,
        Operator::BitXor => BinOp::Xor,
        Operator::BitAnd => BinOp::And,
        Operator::FloorDiv => BinOp::FloorDiv,
    }
}

/// The comparison instruction for a comparison operator.
fn compare(op: ast::CmpOp) -> Instr {
    match op {
        ast::CmpOp::Eq => Instr::Compare(CmpOp::Eq),
        ast::CmpOp::NotEq => Instr::Compare(CmpOp::Ne),
        ast::CmpOp::Lt => Instr::Compare(CmpOp::Lt),
        ast::CmpOp::LtE => Instr::Compare(CmpOp::Le),
        ast::CmpOp::Gt => Instr::Compare(CmpOp::Gt),
        ast::CmpOp::GtE => Instr::Compare(CmpOp::Ge),
        ast::CmpOp::Is => Instr::Is(false),
        ast::CmpOp::IsNot => Instr::Is(true),
        ast::CmpOp::In => Instr::Contains(false),
        ast::CmpOp::NotIn => Instr::Contains(true),
    }
}

impl<'a> Compiler<'a> {
    /// Compiles an expression, leaving its value on the stack.
    pub fn expr(&mut self, e: &'a Expr) -> CResult<()> {
        self.enter(e.range())?;
        let r = self.expr_inner(e);
        self.leave();
        r
    }

    fn expr_inner(&mut self, e: &'a Expr) -> CResult<()> {
        let loc = self.loc_of(e);
        if let Some(c) = self.const_of(e)? {
            self.load_const(&c, loc);
            return Ok(());
        }
        match e {
            Expr::Name(n) => match n.ctx {
                ExprContext::Load => self.name_op(n.id.as_str(), Ctx::Load, loc),
                _ => return Err(Fail::syntax("invalid syntax", n.range)),
            },
            Expr::BinOp(_) => self.binop_chain(e)?,
            Expr::UnaryOp(u) => {
                self.expr(&u.operand)?;
                let op = match u.op {
                    UnaryOp::Invert => UnOp::Invert,
                    UnaryOp::Not => UnOp::Not,
                    UnaryOp::UAdd => UnOp::Pos,
                    UnaryOp::USub => UnOp::Neg,
                };
                self.emit(Instr::UnaryOp(op), loc);
            }
            Expr::BoolOp(b) => {
                let end = self.label();
                let (last, init) = b.values.split_last().expect("a BoolOp has operands");
                for v in init {
                    self.expr(v)?;
                    let jump = match b.op {
                        BoolOp::And => Instr::JumpIfFalseOrPop(end.0),
                        BoolOp::Or => Instr::JumpIfTrueOrPop(end.0),
                    };
                    self.emit(jump, loc);
                }
                self.expr(last)?;
                self.bind(end);
            }
            Expr::Compare(c) => self.compare(c, loc)?,
            Expr::Call(c) => self.call(c)?,
            Expr::Attribute(a) => {
                if a.ctx != ExprContext::Load {
                    return Err(Fail::syntax("invalid syntax", a.range));
                }
                self.expr(&a.value)?;
                let k = self.name_index(a.attr.as_str());
                self.emit(Instr::LoadAttr(k), self.attr_loc(loc, a));
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.subscript_key(&s.slice)?;
                self.emit(Instr::BinarySubscr, loc);
            }
            Expr::Slice(s) => return Err(Fail::syntax("invalid syntax", s.range)),
            Expr::Tuple(t) => self.sequence(&t.elts, Seq::Tuple, loc)?,
            Expr::List(l) => self.sequence(&l.elts, Seq::List, loc)?,
            Expr::Set(s) => self.sequence(&s.elts, Seq::Set, loc)?,
            Expr::Dict(d) => {
                if let Some(item) = d.items.iter().find(|i| i.key.is_none()) {
                    return Err(Fail::unsupported(
                        "'**' in dict displays",
                        item.value.range(),
                    ));
                }
                let n = d.items.len();
                let big = n * 2 > STACK_USE_GUIDELINE;
                if big {
                    self.emit(Instr::BuildMap(0), loc);
                }
                for item in &d.items {
                    self.expr(item.key.as_ref().expect("checked above"))?;
                    self.expr(&item.value)?;
                    if big {
                        self.emit(Instr::MapAdd(1), loc);
                    }
                }
                if !big {
                    self.emit(Instr::BuildMap(n as u32), loc);
                }
            }
            Expr::If(i) => {
                let next = self.label();
                let end = self.label();
                self.jump_if(&i.test, next, false)?;
                self.expr(&i.body)?;
                self.emit(Instr::Jump(end.0), None);
                self.bind(next);
                self.expr(&i.orelse)?;
                self.bind(end);
            }
            Expr::Lambda(l) => self.lambda(l)?,
            Expr::ListComp(c) => self.list_comp(e, c)?,
            Expr::SetComp(c) => self.set_comp(e, c)?,
            Expr::DictComp(c) => self.dict_comp(e, c)?,
            Expr::FString(f) => self.fstring(f)?,
            Expr::Named(_) => {
                return Err(Fail::unsupported(
                    "assignment expressions (':=')",
                    e.range(),
                ))
            }
            Expr::Generator(g) => self.gen_expr(e, g)?,
            Expr::Await(a) => self.delegate(&a.value, Instr::GetAwaitable, loc)?,
            Expr::Yield(y) => {
                match y.value.as_deref() {
                    Some(v) => self.expr(v)?,
                    None => {
                        let k = self.const_none();
                        self.emit(Instr::LoadConst(k), loc);
                    }
                }
                self.emit(Instr::YieldValue, loc);
            }
            Expr::YieldFrom(y) => self.delegate(&y.value, Instr::GetYieldFromIter, loc)?,
            Expr::Starred(_) => return Err(Fail::unsupported("starred expressions", e.range())),
            Expr::TString(_) => return Err(Fail::unsupported("t-strings", e.range())),
            Expr::BytesLiteral(_) => return Err(Fail::unsupported("bytes literals", e.range())),
            Expr::EllipsisLiteral(_) => {
                return Err(Fail::unsupported("Ellipsis ('...') values", e.range()))
            }
            Expr::IpyEscapeCommand(_) => return Err(Fail::syntax("invalid syntax", e.range())),
            Expr::StringLiteral(_)
            | Expr::NumberLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_) => unreachable!("constants are loaded above"),
        }
        Ok(())
    }

    /// A chain of binary operators, walked iteratively down its left spine (a 200,000-term sum
    /// must not recurse 200,000 deep).
    fn binop_chain(&mut self, e: &'a Expr) -> CResult<()> {
        let mut spine = Vec::new();
        let mut cur = e;
        while let Expr::BinOp(b) = cur {
            spine.push(b);
            cur = &b.left;
        }
        self.expr(cur)?;
        for b in spine.into_iter().rev() {
            self.expr(&b.right)?;
            self.emit(Instr::BinaryOp(binop(b.op)), self.loc(b.range));
        }
        Ok(())
    }

    /// A comparison, chained ones with CPython's `Swap`/`Copy` pattern and short circuit.
    fn compare(&mut self, c: &'a ast::ExprCompare, loc: Loc) -> CResult<()> {
        self.expr(&c.left)?;
        let n = c.ops.len();
        if n == 1 {
            self.expr(&c.comparators[0])?;
            self.emit(compare(c.ops[0]), loc);
            return Ok(());
        }
        let cleanup = self.label();
        for i in 0..n - 1 {
            self.expr(&c.comparators[i])?;
            self.emit(Instr::Swap(2), loc);
            self.emit(Instr::Copy(2), loc);
            self.emit(compare(c.ops[i]), loc);
            self.emit(Instr::JumpIfFalseOrPop(cleanup.0), loc);
        }
        self.expr(&c.comparators[n - 1])?;
        self.emit(compare(c.ops[n - 1]), loc);
        let end = self.label();
        self.emit(Instr::Jump(end.0), None);
        self.bind(cleanup);
        self.emit(Instr::Swap(2), loc);
        self.emit(Instr::PopTop, loc);
        self.bind(end);
        Ok(())
    }

    /// Jumps to `next` if the truth of `e` is `cond`, else falls through (CPython's
    /// `compiler_jump_if`: `not`, `and`/`or`, conditional expressions and chained comparisons
    /// compile to jumps without materializing booleans; constant conditions to a jump or
    /// nothing).
    pub fn jump_if(&mut self, e: &'a Expr, next: super::ir::Label, cond: bool) -> CResult<()> {
        self.enter(e.range())?;
        let r = self.jump_if_inner(e, next, cond);
        self.leave();
        r
    }

    fn jump_if_inner(&mut self, e: &'a Expr, next: super::ir::Label, cond: bool) -> CResult<()> {
        let loc = self.loc_of(e);
        if let Some(c) = self.const_of(e)? {
            if c.truthy() == cond {
                self.emit(Instr::Jump(next.0), loc);
            }
            return Ok(());
        }
        match e {
            Expr::UnaryOp(u) if u.op == UnaryOp::Not => {
                return self.jump_if(&u.operand, next, !cond)
            }
            Expr::BoolOp(b) => {
                let cond2 = b.op == BoolOp::Or;
                let next2 = if cond2 != cond { self.label() } else { next };
                let (last, init) = b.values.split_last().expect("a BoolOp has operands");
                for v in init {
                    self.jump_if(v, next2, cond2)?;
                }
                self.jump_if(last, next, cond)?;
                if next2 != next {
                    self.bind(next2);
                }
                return Ok(());
            }
            Expr::If(i) => {
                let end = self.label();
                let next2 = self.label();
                self.jump_if(&i.test, next2, false)?;
                self.jump_if(&i.body, next, cond)?;
                self.emit(Instr::Jump(end.0), None);
                self.bind(next2);
                self.jump_if(&i.orelse, next, cond)?;
                self.bind(end);
                return Ok(());
            }
            Expr::Compare(c) if c.ops.len() > 1 => {
                let n = c.ops.len() - 1;
                let cleanup = self.label();
                self.expr(&c.left)?;
                for i in 0..n {
                    self.expr(&c.comparators[i])?;
                    self.emit(Instr::Swap(2), loc);
                    self.emit(Instr::Copy(2), loc);
                    self.emit(compare(c.ops[i]), loc);
                    self.emit(Instr::PopJumpIfFalse(cleanup.0), loc);
                }
                self.expr(&c.comparators[n])?;
                self.emit(compare(c.ops[n]), loc);
                let jump = if cond {
                    Instr::PopJumpIfTrue(next.0)
                } else {
                    Instr::PopJumpIfFalse(next.0)
                };
                self.emit(jump, loc);
                let end = self.label();
                self.emit(Instr::Jump(end.0), None);
                self.bind(cleanup);
                self.emit(Instr::PopTop, loc);
                if !cond {
                    self.emit(Instr::Jump(next.0), None);
                }
                self.bind(end);
                return Ok(());
            }
            _ => {}
        }
        self.expr(e)?;
        let jump = if cond {
            Instr::PopJumpIfTrue(next.0)
        } else {
            Instr::PopJumpIfFalse(next.0)
        };
        self.emit(jump, loc);
        Ok(())
    }

    /// The key of a subscript: a slice (`BuildSlice`) or an expression.
    pub fn subscript_key(&mut self, key: &'a Expr) -> CResult<()> {
        let Expr::Slice(s) = key else {
            return self.expr(key);
        };
        let loc = self.loc(s.range);
        for part in [&s.lower, &s.upper] {
            match part {
                Some(p) => self.expr(p)?,
                None => self.load_const(&Const::None, loc),
            }
        }
        let n = match &s.step {
            Some(step) => {
                self.expr(step)?;
                3
            }
            None => 2,
        };
        self.emit(Instr::BuildSlice(n), loc);
        Ok(())
    }

    /// Tuple, list and set displays.
    fn sequence(&mut self, elts: &'a [Expr], kind: Seq, loc: Loc) -> CResult<()> {
        if let Some(star) = elts.iter().find(|e| matches!(e, Expr::Starred(_))) {
            return Err(Fail::unsupported("starred expressions", star.range()));
        }
        let n = elts.len();
        let big = n > STACK_USE_GUIDELINE && kind != Seq::Tuple;
        let (build, add) = match kind {
            Seq::Tuple => (Instr::BuildTuple(n as u32), None),
            Seq::List if big => (Instr::BuildList(0), Some(Instr::ListAppend(1))),
            Seq::List => (Instr::BuildList(n as u32), None),
            Seq::Set if big => (Instr::BuildSet(0), Some(Instr::SetAdd(1))),
            Seq::Set => (Instr::BuildSet(n as u32), None),
        };
        if let Some(add) = add {
            self.emit(build, loc);
            for e in elts {
                self.expr(e)?;
                self.emit(add, loc);
            }
        } else {
            for e in elts {
                self.expr(e)?;
            }
            self.emit(build, loc);
        }
        Ok(())
    }

    /// A call: `obj.m(...)` as a method call (`LoadMethod`/`CallMethod*`) unless `obj` is a name
    /// the module imports (CPython's `maybe_optimize_method_call`), else `f(...)` as `Call*`.
    fn call(&mut self, c: &'a ExprCall) -> CResult<()> {
        let args = &c.arguments;
        if let Some(star) = args.args.iter().find(|a| matches!(a, Expr::Starred(_))) {
            return Err(Fail::unsupported("'*' arguments", star.range()));
        }
        if let Some(kw) = args.keywords.iter().find(|k| k.arg.is_none()) {
            return Err(Fail::unsupported("'**' arguments", kw.range));
        }
        for (i, kw) in args.keywords.iter().enumerate() {
            let name = kw.arg.as_ref().expect("checked above").as_str();
            if let Some(dup) = args.keywords[i + 1..]
                .iter()
                .find(|o| o.arg.as_ref().is_some_and(|a| a.as_str() == name))
            {
                return Err(Fail::syntax(
                    format!("keyword argument repeated: {name}"),
                    dup.range,
                ));
            }
        }
        let nargs = args.args.len();
        let nkw = args.keywords.len();
        let call_loc = self.loc(c.range());
        let method = match &*c.func {
            Expr::Attribute(a)
                if a.ctx == ExprContext::Load
                    && !self.is_import_originated(&a.value)
                    && nargs + nkw + usize::from(nkw != 0) < STACK_USE_GUIDELINE =>
            {
                Some(a)
            }
            _ => None,
        };
        if let Some(meth) = method {
            self.expr(&meth.value)?;
            let k = self.name_index(meth.attr.as_str());
            let attr_loc = self.attr_loc(self.loc(meth.range), meth);
            self.emit(Instr::LoadMethod(k), attr_loc);
        } else {
            self.expr(&c.func)?;
        }
        for a in args.args.iter() {
            self.expr(a)?;
        }
        for kw in args.keywords.iter() {
            self.expr(&kw.value)?;
        }
        let total = (nargs + nkw) as u32;
        if nkw > 0 {
            let names = args
                .keywords
                .iter()
                .map(|k| Const::Str(k.arg.as_ref().expect("checked above").to_string()))
                .collect();
            self.load_const(&Const::Tuple(names), call_loc);
        }
        match method {
            Some(meth) => {
                let loc = self.attr_loc(call_loc, meth);
                let instr = if nkw > 0 {
                    Instr::CallMethodKw(total)
                } else {
                    Instr::CallMethod(total)
                };
                self.emit(instr, loc);
            }
            None => {
                let instr = if nkw > 0 {
                    Instr::CallKw(total)
                } else {
                    Instr::Call(total)
                };
                self.emit(instr, call_loc);
            }
        }
        Ok(())
    }

    /// Is `e` a name the module binds with `import` (CPython's `is_import_originated`)?
    fn is_import_originated(&self, e: &Expr) -> bool {
        matches!(e, Expr::Name(n) if self.table.module_imports.contains(n.id.as_str()))
    }

    /// Parameters the subset supports (positional, with defaults): their names, or the error.
    pub fn plain_params(&self, params: &'a Parameters) -> CResult<Vec<&'a str>> {
        if let Some(p) = params.posonlyargs.first() {
            return Err(Fail::unsupported("positional-only parameters", p.range));
        }
        if let Some(p) = &params.vararg {
            return Err(Fail::unsupported("'*args' parameters", p.range));
        }
        if let Some(p) = params.kwonlyargs.first() {
            return Err(Fail::unsupported("keyword-only parameters", p.range));
        }
        if let Some(p) = &params.kwarg {
            return Err(Fail::unsupported("'**kwargs' parameters", p.range));
        }
        let mut names = Vec::with_capacity(params.args.len());
        for p in &params.args {
            if let Some(a) = &p.parameter.annotation {
                return Err(Fail::unsupported("annotations", a.range()));
            }
            names.push(p.parameter.name.as_str());
        }
        Ok(names)
    }

    /// Evaluates default values into a tuple; returns the `MakeFunction` flags.
    pub fn defaults(&mut self, params: &'a Parameters, loc: Loc) -> CResult<u32> {
        let defaults: Vec<&'a Expr> = params
            .args
            .iter()
            .filter_map(|p| p.default.as_deref())
            .collect();
        if defaults.is_empty() {
            return Ok(0);
        }
        for d in &defaults {
            self.expr(d)?;
        }
        self.emit(Instr::BuildTuple(defaults.len() as u32), loc);
        Ok(1)
    }

    /// `lambda params: body`.
    /// `await v` / `yield from v`: the delegate (checked by `get`), then `YieldFrom` starting
    /// with None sent.
    fn delegate(&mut self, v: &'a Expr, get: Instr, loc: Loc) -> CResult<()> {
        self.expr(v)?;
        self.emit(get, loc);
        let k = self.const_none();
        self.emit(Instr::LoadConst(k), loc);
        self.emit(Instr::YieldFrom, loc);
        Ok(())
    }

    fn lambda(&mut self, l: &'a ExprLambda) -> CResult<()> {
        let loc = self.loc(l.range);
        let empty = Parameters::default();
        let params = l.parameters.as_deref().unwrap_or(&empty);
        let names = self.plain_params(params)?;
        let flags = match &l.parameters {
            Some(p) => self.defaults(p, loc)?,
            None => 0,
        };
        let scope = self
            .table
            .scope_of(l)
            .ok_or_else(|| Fail::syntax("internal compiler error: lambda scope", l.range))?;
        let qualname = self.qualname_for("<lambda>");
        let line = self.pos(l.range).line;
        self.push_unit(
            UnitKind::Lambda,
            scope,
            "<lambda>".into(),
            qualname,
            line,
            &names,
        );
        self.generator_prologue(loc);
        self.expr(&l.body)?;
        self.emit(Instr::ReturnValue, self.loc_of(&*l.body));
        let code = self.pop_unit()?;
        let k = self.add_code_const(code);
        self.emit(Instr::LoadConst(k), loc);
        self.emit(Instr::MakeFunction(flags), loc);
        Ok(())
    }

    /// Stores the value on top of the stack into an assignment target.
    pub fn store_target(&mut self, t: &'a Expr) -> CResult<()> {
        self.enter(t.range())?;
        let r = self.store_target_inner(t);
        self.leave();
        r
    }

    fn store_target_inner(&mut self, t: &'a Expr) -> CResult<()> {
        let loc = self.loc_of(t);
        match t {
            Expr::Name(n) => self.name_op(n.id.as_str(), Ctx::Store, loc),
            Expr::Attribute(a) => {
                self.expr(&a.value)?;
                let k = self.name_index(a.attr.as_str());
                self.emit(Instr::StoreAttr(k), self.attr_loc(loc, a));
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.subscript_key(&s.slice)?;
                self.emit(Instr::StoreSubscr, loc);
            }
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                if let Some(star) = elts.iter().find(|e| matches!(e, Expr::Starred(_))) {
                    return Err(Fail::unsupported(
                        "starred assignment targets",
                        star.range(),
                    ));
                }
                self.emit(Instr::UnpackSequence(elts.len() as u32), loc);
                for elt in elts {
                    self.store_target(elt)?;
                }
            }
            Expr::Starred(_) => {
                return Err(Fail::unsupported("starred assignment targets", t.range()))
            }
            _ => return Err(Fail::syntax("cannot assign to expression", t.range())),
        }
        Ok(())
    }

    /// `del target`.
    pub fn delete_target(&mut self, t: &'a Expr) -> CResult<()> {
        let loc = self.loc_of(t);
        match t {
            Expr::Name(n) => self.name_op(n.id.as_str(), Ctx::Del, loc),
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.subscript_key(&s.slice)?;
                self.emit(Instr::DeleteSubscr, loc);
            }
            Expr::Attribute(_) => {
                return Err(Fail::unsupported(
                    "'del' statements on attributes",
                    t.range(),
                ))
            }
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                for elt in elts {
                    self.delete_target(elt)?;
                }
            }
            _ => return Err(Fail::syntax("cannot delete expression", t.range())),
        }
        Ok(())
    }

    /// The location CPython gives attribute instructions of `a` in an augmented assignment.
    pub fn attr_target_loc(&self, a: &ExprAttribute) -> Loc {
        self.attr_loc(self.loc(a.range), a)
    }
}

/// Display kinds.
#[derive(Copy, Clone, PartialEq, Eq)]
enum Seq {
    Tuple,
    List,
    Set,
}
