//! Statements: the dispatcher, simple statements (assignments, `del`, `raise`, `assert`,
//! imports, expression statements), and `def`. Compound statements are in [`super::flow`].

use super::errors::{CResult, Fail};
use super::expr::binop;
use super::unit::{Compiler, Ctx, UnitKind};
use crate::code::Instr;
use ruff_python_ast::{
    Expr, Stmt, StmtAnnAssign, StmtAssert, StmtAugAssign, StmtFunctionDef, StmtImport,
    StmtImportFrom,
};
use ruff_text_size::Ranged;

impl<'a> Compiler<'a> {
    /// Compiles statements.
    pub fn stmts(&mut self, body: &'a [Stmt]) -> CResult<()> {
        body.iter().try_for_each(|s| self.stmt(s))
    }

    /// Compiles one statement.
    pub fn stmt(&mut self, s: &'a Stmt) -> CResult<()> {
        self.enter(s.range())?;
        let r = self.stmt_inner(s);
        self.leave();
        r
    }

    fn stmt_inner(&mut self, s: &'a Stmt) -> CResult<()> {
        let loc = self.loc_of(s);
        match s {
            Stmt::FunctionDef(f) => self.function_def(f)?,
            Stmt::ClassDef(_) => return Err(Fail::unsupported("'class' definitions", s.range())),
            Stmt::Return(r) => self.return_stmt(r)?,
            Stmt::Delete(d) => {
                for t in &d.targets {
                    self.delete_target(t)?;
                }
            }
            Stmt::TypeAlias(_) => return Err(Fail::unsupported("'type' statements", s.range())),
            Stmt::Assign(a) => {
                self.expr(&a.value)?;
                let n = a.targets.len();
                for (i, t) in a.targets.iter().enumerate() {
                    if i + 1 < n {
                        self.emit(Instr::Copy(1), loc);
                    }
                    self.store_target(t)?;
                }
            }
            Stmt::AugAssign(a) => self.aug_assign(a)?,
            Stmt::AnnAssign(a) => self.ann_assign(a)?,
            Stmt::For(f) => self.for_stmt(f)?,
            Stmt::While(w) => self.while_stmt(w)?,
            Stmt::If(i) => self.if_stmt(i)?,
            Stmt::With(w) => self.with_stmt(w, 0)?,
            Stmt::Match(_) => return Err(Fail::unsupported("'match' statements", s.range())),
            Stmt::Raise(r) => {
                let mut n = 0;
                if let Some(exc) = &r.exc {
                    self.expr(exc)?;
                    n += 1;
                    if let Some(cause) = &r.cause {
                        self.expr(cause)?;
                        n += 1;
                    }
                }
                self.emit(Instr::Raise(n), loc);
            }
            Stmt::Try(t) => self.try_stmt(t)?,
            Stmt::Assert(a) => self.assert_stmt(a)?,
            Stmt::Import(i) => self.import(i)?,
            Stmt::ImportFrom(i) => self.import_from(i)?,
            Stmt::Global(_) => {}
            Stmt::Nonlocal(_) => {
                return Err(Fail::unsupported("'nonlocal' declarations", s.range()))
            }
            Stmt::Expr(e) => {
                let constant =
                    matches!(&*e.value, Expr::EllipsisLiteral(_) | Expr::BytesLiteral(_))
                        || self.const_of(&e.value)?.is_some();
                if constant {
                    self.emit(Instr::Nop, loc);
                } else {
                    self.expr(&e.value)?;
                    self.emit(Instr::PopTop, None);
                }
            }
            Stmt::Pass(_) => self.emit(Instr::Nop, loc),
            Stmt::Break(b) => self.break_stmt(b)?,
            Stmt::Continue(c) => self.continue_stmt(c)?,
            Stmt::IpyEscapeCommand(_) => return Err(Fail::syntax("invalid syntax", s.range())),
        }
        Ok(())
    }

    /// `def name(params): body`.
    fn function_def(&mut self, f: &'a StmtFunctionDef) -> CResult<()> {
        if let Some(d) = f.decorator_list.first() {
            return Err(Fail::unsupported("decorators", d.range));
        }
        if let Some(tp) = &f.type_params {
            return Err(Fail::unsupported("type parameters", tp.range));
        }
        if let Some(r) = &f.returns {
            return Err(Fail::unsupported("annotations", r.range()));
        }
        let names = self.plain_params(&f.parameters)?;
        let loc = self.loc(f.range);
        let flags = self.defaults(&f.parameters, loc)?;
        let scope = self
            .table
            .scope_of(f)
            .ok_or_else(|| Fail::syntax("internal compiler error: function scope", f.range))?;
        let name = f.name.as_str();
        let qualname = self.qualname_for(name);
        let first_line = self.pos(f.range).line;
        self.push_unit(
            UnitKind::Function,
            scope,
            name.into(),
            qualname,
            first_line,
            &names,
        );
        self.generator_prologue(loc);
        let mut body = &f.body[..];
        if let Some(Stmt::Expr(e)) = body.first() {
            if matches!(&*e.value, Expr::StringLiteral(_)) {
                // A docstring generates no code.
                body = &body[1..];
            }
        }
        self.stmts(body)?;
        self.implicit_return();
        let code = self.pop_unit()?;
        let k = self.add_code_const(code);
        self.emit(Instr::LoadConst(k), loc);
        self.emit(Instr::MakeFunction(flags), loc);
        self.name_op(name, Ctx::Store, loc);
        Ok(())
    }

    /// `target op= value` (CPython's `compiler_augassign`).
    fn aug_assign(&mut self, a: &'a StmtAugAssign) -> CResult<()> {
        let t = &*a.target;
        let tloc = self.loc_of(t);
        let sloc = self.loc(a.range);
        match t {
            Expr::Name(n) => {
                self.name_op(n.id.as_str(), Ctx::Load, tloc);
                self.expr(&a.value)?;
                self.emit(Instr::InplaceOp(binop(a.op)), sloc);
                self.name_op(n.id.as_str(), Ctx::Store, tloc);
            }
            Expr::Attribute(attr) => {
                let aloc = self.attr_target_loc(attr);
                self.expr(&attr.value)?;
                self.emit(Instr::Copy(1), tloc);
                let k = self.name_index(attr.attr.as_str());
                self.emit(Instr::LoadAttr(k), aloc);
                self.expr(&a.value)?;
                self.emit(Instr::InplaceOp(binop(a.op)), sloc);
                self.emit(Instr::Swap(2), aloc);
                self.emit(Instr::StoreAttr(k), aloc);
            }
            Expr::Subscript(sub) => {
                self.expr(&sub.value)?;
                self.subscript_key(&sub.slice)?;
                self.emit(Instr::Copy(2), tloc);
                self.emit(Instr::Copy(2), tloc);
                self.emit(Instr::BinarySubscr, tloc);
                self.expr(&a.value)?;
                self.emit(Instr::InplaceOp(binop(a.op)), sloc);
                self.emit(Instr::Swap(3), tloc);
                self.emit(Instr::Swap(2), tloc);
                self.emit(Instr::StoreSubscr, tloc);
            }
            _ => return Err(Fail::syntax("invalid syntax", t.range())),
        }
        Ok(())
    }

    /// `target: annotation [= value]`: in functions the annotation is not evaluated (as in
    /// CPython); at module level CPython stores it in `__annotations__`, which the subset lacks.
    fn ann_assign(&mut self, a: &'a StmtAnnAssign) -> CResult<()> {
        if self.unit().kind == UnitKind::Module {
            return Err(Fail::unsupported(
                "annotated assignments at module level",
                a.range,
            ));
        }
        if let Some(v) = &a.value {
            self.expr(v)?;
            self.store_target(&a.target)?;
            return Ok(());
        }
        // Without a value only the target's object (and key) are evaluated.
        match &*a.target {
            Expr::Name(_) => {}
            Expr::Attribute(attr) => {
                self.expr(&attr.value)?;
                self.emit(Instr::PopTop, self.loc_of(&*attr.value));
            }
            Expr::Subscript(sub) => {
                self.expr(&sub.value)?;
                self.emit(Instr::PopTop, self.loc_of(&*sub.value));
                self.expr(&sub.slice)?;
                self.emit(Instr::PopTop, self.loc_of(&*sub.slice));
            }
            other => return Err(Fail::syntax("invalid syntax", other.range())),
        }
        Ok(())
    }

    /// `assert test, msg`: the `AssertionError` is raised at the test's position, as CPython
    /// does.
    fn assert_stmt(&mut self, a: &'a StmtAssert) -> CResult<()> {
        let loc = self.loc(a.range);
        let end = self.label();
        self.jump_if(&a.test, end, true)?;
        self.emit(Instr::LoadAssertionError, loc);
        if let Some(msg) = &a.msg {
            self.expr(msg)?;
            self.emit(Instr::Call(1), loc);
        }
        self.emit(Instr::Raise(1), self.loc_of(&*a.test));
        self.bind(end);
        Ok(())
    }

    /// `import m [as n], ...`.
    fn import(&mut self, i: &'a StmtImport) -> CResult<()> {
        let loc = self.loc(i.range);
        for alias in &i.names {
            let module = alias.name.as_str();
            if module.contains('.') {
                return Err(Fail::unsupported(
                    "imports of dotted module names",
                    alias.range,
                ));
            }
            let k = self.name_index(module);
            self.emit(Instr::ImportName(k), loc);
            let bound = alias.asname.as_ref().map_or(module, |a| a.as_str());
            self.name_op(bound, Ctx::Store, loc);
        }
        Ok(())
    }

    /// `from m import a [as b], ...`.
    fn import_from(&mut self, i: &'a StmtImportFrom) -> CResult<()> {
        let loc = self.loc(i.range);
        let module = match &i.module {
            Some(m) if i.level == 0 => m.as_str(),
            _ => return Err(Fail::unsupported("relative imports", i.range)),
        };
        if module.contains('.') {
            return Err(Fail::unsupported("imports of dotted module names", i.range));
        }
        if let Some(star) = i.names.iter().find(|a| a.name.as_str() == "*") {
            return Err(Fail::unsupported("'import *' statements", star.range));
        }
        let k = self.name_index(module);
        self.emit(Instr::ImportName(k), loc);
        for alias in &i.names {
            let k = self.name_index(alias.name.as_str());
            self.emit(Instr::ImportFrom(k), loc);
            let bound = alias.asname.as_ref().unwrap_or(&alias.name);
            self.name_op(bound.as_str(), Ctx::Store, loc);
        }
        self.emit(Instr::PopTop, loc);
        Ok(())
    }
}
