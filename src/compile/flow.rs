//! Control flow: `if`, `while`, `for`, `try`, `with`, and `return`/`break`/`continue` unwinding
//! through them, following CPython 3.13's `compile.c` block for block.
//!
//! Frame blocks ([`FBlock`], CPython's `fblockinfo`) record what encloses the current statement
//! so that `return`/`break`/`continue` can unwind it inline: pop a `for` iterator, end a handler's
//! protection (`pop_handler`, CPython's `POP_BLOCK`), run a `finally` body, call a `with` exit,
//! restore the handled exception (`PopExcept`) and clear an `except ... as name` variable.
//!
//! Handler stack layouts (`d` = stack depth when the statement starts; the exception table
//! entry's depth is what the stack is cut to before `[lasti,] exc` is pushed):
//!
//! | handler | protects | depth | lasti | stack at the handler |
//! |---|---|---|---|---|
//! | `try` body (`except` or `finally` entry) | the body | d | no | `[exc]` |
//! | except cleanup | matching + handler bodies | d+1 | yes | `[prev, lasti, exc]` |
//! | `except E as e` cleanup | that handler's body | d+1 | yes | `[prev, lasti, exc]` |
//! | finally cleanup | the exceptional `finally` body | d+1 | yes | `[prev, lasti, exc]` |
//! | `with` body | target store + body | d+1 | yes | `[exit, lasti, exc]` |
//! | `with` cleanup | `__exit__` call and re-raise | d+3 | yes | `[exit, lasti, prev, lasti, exc]` |
//!
//! (`prev` is the previously handled exception that `PushExcInfo` saved.) Cleanup handlers run
//! `Copy 3; PopExcept; Reraise 1`. A `with` whose `__exit__` returns false re-raises with
//! `Copy 3; Swap 2; Reraise 1` (CPython's `RERAISE 2`), so the frame's instruction goes back to
//! where the exception was raised.

use super::errors::{CResult, Fail};
use super::ir::{Label, Loc};
use super::literal::Const;
use super::unit::{Compiler, Ctx, UnitKind};
use crate::code::Instr;
use ruff_python_ast::{
    ExceptHandler, Stmt, StmtBreak, StmtContinue, StmtFor, StmtIf, StmtReturn, StmtTry, StmtWhile,
    StmtWith,
};
use ruff_text_size::{Ranged, TextRange};

/// CPython's `CO_MAXBLOCKS`.
const MAX_BLOCKS: usize = 21;

/// A frame block: something a `return`/`break`/`continue` must unwind.
#[derive(Clone)]
pub(crate) enum FBlock<'a> {
    /// A `while` loop: `continue` target, `break` target.
    WhileLoop { start: Label, exit: Label },
    /// A `for` loop (its iterator is on the stack).
    ForLoop { start: Label, exit: Label },
    /// The body of a `try` with `except` clauses.
    TryExcept { handler: u32 },
    /// The body of a `try` with a `finally` clause.
    FinallyTry { handler: u32, body: &'a [Stmt] },
    /// The `finally` body run for an exception (`[prev, exc]` on the stack).
    FinallyEnd { handler: u32 },
    /// The body of a `with` (the exit function is on the stack).
    With { handler: u32, loc: Loc },
    /// An `except` body (`prev` on the stack); `named` protects an `as name` body.
    HandlerCleanup {
        named: Option<u32>,
        except: u32,
        name: Option<&'a str>,
    },
    /// A value kept on the stack while a `finally` body runs for a `return`.
    PopValue,
    /// The exception matching code of a `try` (nothing to unwind).
    ExceptionHandler,
}

impl FBlock<'_> {
    fn is_loop(&self) -> bool {
        matches!(self, FBlock::WhileLoop { .. } | FBlock::ForLoop { .. })
    }
}

impl<'a> Compiler<'a> {
    /// Enters a frame block.
    fn push_fblock(&mut self, fb: FBlock<'a>, range: TextRange) -> CResult<()> {
        if self.unit().fblocks.len() >= MAX_BLOCKS {
            return Err(Fail::syntax("too many statically nested blocks", range));
        }
        self.unit_mut().fblocks.push(fb);
        Ok(())
    }

    /// Leaves the innermost frame block.
    fn pop_fblock(&mut self) {
        self.unit_mut().fblocks.pop();
    }

    /// Unwinds one frame block (CPython's `compiler_unwind_fblock`). With `preserve_tos` the
    /// value on top of the stack (a return value) stays on top.
    fn unwind_fblock(&mut self, fb: &FBlock<'a>, loc: &mut Loc, preserve_tos: bool) -> CResult<()> {
        match fb {
            FBlock::WhileLoop { .. } | FBlock::ExceptionHandler => {}
            FBlock::ForLoop { .. } => {
                if preserve_tos {
                    self.emit(Instr::Swap(2), *loc);
                }
                self.emit(Instr::PopTop, *loc);
            }
            FBlock::TryExcept { handler } => self.ir().pop_handler(*handler),
            FBlock::FinallyTry { handler, body } => {
                self.ir().pop_handler(*handler);
                if preserve_tos {
                    self.push_fblock(FBlock::PopValue, TextRange::default())?;
                }
                self.stmts(body)?;
                if preserve_tos {
                    self.pop_fblock();
                }
                // The finally body appears to run after the unwinding statement.
                *loc = None;
            }
            FBlock::FinallyEnd { handler } => {
                if preserve_tos {
                    self.emit(Instr::Swap(2), *loc);
                }
                self.emit(Instr::PopTop, *loc);
                if preserve_tos {
                    self.emit(Instr::Swap(2), *loc);
                }
                self.ir().pop_handler(*handler);
                self.emit(Instr::PopExcept, *loc);
            }
            FBlock::With {
                handler,
                loc: with_loc,
            } => {
                *loc = *with_loc;
                self.ir().pop_handler(*handler);
                if preserve_tos {
                    self.emit(Instr::Swap(2), *loc);
                }
                self.call_exit_with_nones(*loc);
                self.emit(Instr::PopTop, *loc);
                *loc = None;
            }
            FBlock::HandlerCleanup {
                named,
                except,
                name,
            } => {
                if let Some(h) = named {
                    self.ir().pop_handler(*h);
                }
                if preserve_tos {
                    self.emit(Instr::Swap(2), *loc);
                }
                self.ir().pop_handler(*except);
                self.emit(Instr::PopExcept, *loc);
                if let Some(name) = name {
                    self.load_const(&Const::None, *loc);
                    self.name_op(name, Ctx::Store, *loc);
                    self.name_op(name, Ctx::Del, *loc);
                }
            }
            FBlock::PopValue => {
                if preserve_tos {
                    self.emit(Instr::Swap(2), *loc);
                }
                self.emit(Instr::PopTop, *loc);
            }
        }
        Ok(())
    }

    /// Unwinds the frame blocks, innermost first, up to the innermost loop when `to_loop` (which
    /// is returned, not unwound). CPython's `compiler_unwind_fblock_stack`.
    fn unwind_fblock_stack(
        &mut self,
        loc: &mut Loc,
        preserve_tos: bool,
        to_loop: bool,
    ) -> CResult<Option<FBlock<'a>>> {
        let Some(top) = self.unit().fblocks.last().cloned() else {
            return Ok(None);
        };
        if to_loop && top.is_loop() {
            return Ok(Some(top));
        }
        self.unit_mut().fblocks.pop();
        let result = self
            .unwind_fblock(&top, loc, preserve_tos)
            .and_then(|()| self.unwind_fblock_stack(loc, preserve_tos, to_loop));
        self.unit_mut().fblocks.push(top);
        result
    }

    /// Runs `f`, then restores the handler stack and depth it changed: the code after a
    /// `return`/`break`/`continue` is unreachable but still lexically inside its blocks.
    fn with_saved_state(&mut self, f: impl FnOnce(&mut Self) -> CResult<()>) -> CResult<()> {
        let handlers = self.ir().handler_stack.clone();
        let depth = self.ir().depth;
        let r = f(self);
        let ir = self.ir();
        ir.handler_stack = handlers;
        ir.depth = depth;
        r
    }

    /// `return [value]` (CPython's `compiler_return`).
    pub fn return_stmt(&mut self, r: &'a StmtReturn) -> CResult<()> {
        if self.unit().kind == UnitKind::Module {
            return Err(Fail::syntax("'return' outside function", r.range));
        }
        let mut loc = self.loc(r.range);
        let constant = match &r.value {
            Some(v) => self.const_of(v)?,
            None => None,
        };
        let preserve_tos = r.value.is_some() && constant.is_none();
        self.with_saved_state(|c| {
            match &r.value {
                Some(v) if preserve_tos => c.expr(v)?,
                Some(v) => {
                    loc = c.loc(v.range());
                    c.emit(Instr::Nop, loc);
                }
                None => {}
            }
            let same_line = r
                .value
                .as_ref()
                .is_some_and(|v| c.pos(v.range()).line == c.pos(r.range).line);
            if !same_line {
                loc = c.loc(r.range);
                c.emit(Instr::Nop, loc);
            }
            c.unwind_fblock_stack(&mut loc, preserve_tos, false)?;
            match &constant {
                Some(k) => c.load_const(k, loc),
                None if r.value.is_none() => c.load_const(&Const::None, loc),
                None => {}
            }
            c.emit(Instr::ReturnValue, loc);
            Ok(())
        })
    }

    /// `break`.
    pub fn break_stmt(&mut self, b: &'a StmtBreak) -> CResult<()> {
        let mut loc = self.loc(b.range);
        self.with_saved_state(|c| {
            c.emit(Instr::Nop, loc);
            let Some(lp) = c.unwind_fblock_stack(&mut loc, false, true)? else {
                return Err(Fail::syntax("'break' outside loop", b.range));
            };
            c.unwind_fblock(&lp, &mut loc, false)?;
            let (FBlock::WhileLoop { exit, .. } | FBlock::ForLoop { exit, .. }) = lp else {
                unreachable!("a loop block")
            };
            c.emit(Instr::Jump(exit.0), loc);
            Ok(())
        })
    }

    /// `continue`.
    pub fn continue_stmt(&mut self, s: &'a StmtContinue) -> CResult<()> {
        let mut loc = self.loc(s.range);
        self.with_saved_state(|c| {
            c.emit(Instr::Nop, loc);
            let Some(lp) = c.unwind_fblock_stack(&mut loc, false, true)? else {
                return Err(Fail::syntax("'continue' not properly in loop", s.range));
            };
            let (FBlock::WhileLoop { start, .. } | FBlock::ForLoop { start, .. }) = lp else {
                unreachable!("a loop block")
            };
            c.emit(Instr::Jump(start.0), loc);
            Ok(())
        })
    }

    /// `if`/`elif`/`else`.
    pub fn if_stmt(&mut self, s: &'a StmtIf) -> CResult<()> {
        let end = self.label();
        let (mut test, mut body) = (&*s.test, &s.body[..]);
        let mut rest = &s.elif_else_clauses[..];
        loop {
            let next = if rest.is_empty() { end } else { self.label() };
            self.jump_if(test, next, false)?;
            self.stmts(body)?;
            let Some((clause, tail)) = rest.split_first() else {
                break;
            };
            self.emit(Instr::Jump(end.0), None);
            self.bind(next);
            rest = tail;
            match &clause.test {
                Some(t) => {
                    test = t;
                    body = &clause.body;
                }
                None => {
                    self.stmts(&clause.body)?;
                    break;
                }
            }
        }
        self.bind(end);
        Ok(())
    }

    /// `while test: body else: orelse` (the test is compiled twice, at the top and at the
    /// bottom, as CPython does).
    pub fn while_stmt(&mut self, s: &'a StmtWhile) -> CResult<()> {
        let top = self.label();
        let body = self.label();
        let end = self.label();
        let anchor = self.label();
        self.bind(top);
        self.push_fblock(
            FBlock::WhileLoop {
                start: top,
                exit: end,
            },
            s.range,
        )?;
        self.jump_if(&s.test, anchor, false)?;
        self.bind(body);
        self.stmts(&s.body)?;
        self.jump_if(&s.test, body, true)?;
        self.pop_fblock();
        self.bind(anchor);
        self.stmts(&s.orelse)?;
        self.bind(end);
        Ok(())
    }

    /// `for target in iter: body else: orelse`.
    pub fn for_stmt(&mut self, s: &'a StmtFor) -> CResult<()> {
        if s.is_async {
            return Err(Fail::unsupported("'async for' loops", s.range));
        }
        let start = self.label();
        let cleanup = self.label();
        let end = self.label();
        self.push_fblock(FBlock::ForLoop { start, exit: end }, s.range)?;
        let iter_loc = self.loc_of(&*s.iter);
        self.expr(&s.iter)?;
        self.emit(Instr::GetIter, iter_loc);
        self.bind(start);
        self.emit(Instr::ForIter(cleanup.0), iter_loc);
        self.store_target(&s.target)?;
        self.stmts(&s.body)?;
        self.emit(Instr::Jump(start.0), None);
        self.bind(cleanup);
        // CPython's END_FOR: what follows the loop inherits the iterable's position.
        self.emit(Instr::Nop, iter_loc);
        self.pop_fblock();
        self.stmts(&s.orelse)?;
        self.bind(end);
        Ok(())
    }

    /// `try` statements.
    pub fn try_stmt(&mut self, t: &'a StmtTry) -> CResult<()> {
        if t.is_star {
            return Err(Fail::unsupported("'except*' clauses", t.range));
        }
        if t.finalbody.is_empty() {
            self.try_except(t)
        } else {
            self.try_finally(t)
        }
    }

    /// `try: body finally: final` (with the `except` part compiled inside).
    fn try_finally(&mut self, t: &'a StmtTry) -> CResult<()> {
        let loc = self.loc(t.range);
        let end = self.label();
        let exit = self.label();
        let cleanup = self.label();
        self.emit(Instr::Nop, loc);
        let depth = self.ir().depth;
        let h = self.ir().push_handler(end, depth, false);
        self.push_fblock(
            FBlock::FinallyTry {
                handler: h,
                body: &t.finalbody,
            },
            t.range,
        )?;
        if t.handlers.is_empty() {
            self.stmts(&t.body)?;
        } else {
            self.try_except(t)?;
        }
        self.ir().pop_handler(h);
        self.pop_fblock();
        self.stmts(&t.finalbody)?;
        self.emit(Instr::Jump(exit.0), None);

        // The exceptional path: [exc].
        self.ir().bind_handler(h);
        let depth = self.ir().depth;
        let hc = self.ir().push_handler(cleanup, depth, true);
        self.emit(Instr::PushExcInfo, None);
        self.push_fblock(FBlock::FinallyEnd { handler: hc }, t.range)?;
        self.stmts(&t.finalbody)?;
        self.pop_fblock();
        self.emit(Instr::Reraise(0), None);
        self.ir().pop_handler(hc);
        self.ir().bind_handler(hc);
        self.pop_except_and_reraise();
        self.bind(exit);
        Ok(())
    }

    /// `Copy 3; PopExcept; Reraise 1` at `[prev, lasti, exc]` (CPython's
    /// `POP_EXCEPT_AND_RERAISE`).
    fn pop_except_and_reraise(&mut self) {
        self.emit(Instr::Copy(3), None);
        self.emit(Instr::PopExcept, None);
        self.emit(Instr::Reraise(1), None);
    }

    /// `try: body except ...: ... else: orelse` (CPython's `compiler_try_except`).
    fn try_except(&mut self, t: &'a StmtTry) -> CResult<()> {
        let loc = self.loc(t.range);
        let except = self.label();
        let end = self.label();
        let cleanup = self.label();
        self.emit(Instr::Nop, loc);
        let depth = self.ir().depth;
        let h = self.ir().push_handler(except, depth, false);
        self.push_fblock(FBlock::TryExcept { handler: h }, t.range)?;
        self.stmts(&t.body)?;
        self.pop_fblock();
        self.ir().pop_handler(h);
        self.stmts(&t.orelse)?;
        self.emit(Instr::Jump(end.0), None);

        // [exc]
        self.ir().bind_handler(h);
        let depth = self.ir().depth;
        let h2 = self.ir().push_handler(cleanup, depth, true);
        self.emit(Instr::PushExcInfo, None);
        self.push_fblock(FBlock::ExceptionHandler, t.range)?;
        let n = t.handlers.len();
        for (i, ExceptHandler::ExceptHandler(handler)) in t.handlers.iter().enumerate() {
            let hloc = self.loc(handler.range);
            if handler.type_.is_none() && i + 1 < n {
                return Err(Fail::syntax(
                    "default 'except:' must be last",
                    handler.range,
                ));
            }
            let next_except = self.label();
            // [prev, exc]
            if let Some(ty) = &handler.type_ {
                self.expr(ty)?;
                self.emit(Instr::CheckExcMatch, hloc);
                self.emit(Instr::PopJumpIfFalse(next_except.0), hloc);
            }
            let saved = self.ir().handler_stack.clone();
            if let Some(name) = &handler.name {
                let name = name.as_str();
                self.name_op(name, Ctx::Store, hloc);
                // [prev]; the body is a try/finally that clears the name.
                let cleanup_end = self.label();
                let depth = self.ir().depth;
                let h3 = self.ir().push_handler(cleanup_end, depth, true);
                self.push_fblock(
                    FBlock::HandlerCleanup {
                        named: Some(h3),
                        except: h2,
                        name: Some(name),
                    },
                    handler.range,
                )?;
                self.stmts(&handler.body)?;
                self.pop_fblock();
                self.ir().pop_handler(h3);
                self.ir().pop_handler(h2);
                self.emit(Instr::PopExcept, None);
                self.load_const(&Const::None, None);
                self.name_op(name, Ctx::Store, None);
                self.name_op(name, Ctx::Del, None);
                self.emit(Instr::Jump(end.0), None);
                self.ir().handler_stack = saved;

                // [prev, lasti, exc]
                self.ir().bind_handler(h3);
                self.load_const(&Const::None, None);
                self.name_op(name, Ctx::Store, None);
                self.name_op(name, Ctx::Del, None);
                self.emit(Instr::Reraise(1), None);
            } else {
                self.emit(Instr::PopTop, hloc);
                self.push_fblock(
                    FBlock::HandlerCleanup {
                        named: None,
                        except: h2,
                        name: None,
                    },
                    handler.range,
                )?;
                self.stmts(&handler.body)?;
                self.pop_fblock();
                self.ir().pop_handler(h2);
                self.emit(Instr::PopExcept, None);
                self.emit(Instr::Jump(end.0), None);
                self.ir().handler_stack = saved;
            }
            self.bind(next_except);
        }
        self.pop_fblock();
        // No clause matched: [prev, exc].
        self.emit(Instr::Reraise(0), None);
        self.ir().pop_handler(h2);
        self.ir().bind_handler(h2);
        self.pop_except_and_reraise();
        self.bind(end);
        Ok(())
    }

    /// `with a as x, b: body` (one item at a time, as nested `with`s).
    pub fn with_stmt(&mut self, w: &'a StmtWith, pos: usize) -> CResult<()> {
        if w.is_async {
            return Err(Fail::unsupported("'async with' statements", w.range));
        }
        let item = &w.items[pos];
        let exit = self.label();
        let final_ = self.label();
        let cleanup = self.label();
        let suppress = self.label();
        let loc = self.loc_of(&item.context_expr);
        self.expr(&item.context_expr)?;
        self.emit(Instr::BeforeWith, loc);
        // [exit, enter_result]; the handler keeps [exit].
        let depth = self.ir().depth - 1;
        let h = self.ir().push_handler(final_, depth, true);
        self.push_fblock(FBlock::With { handler: h, loc }, w.range)?;
        match &item.optional_vars {
            Some(target) => self.store_target(target)?,
            None => self.emit(Instr::PopTop, loc),
        }
        if pos + 1 < w.items.len() {
            self.with_stmt(w, pos + 1)?;
        } else {
            self.stmts(&w.body)?;
        }
        self.ir().pop_handler(h);
        self.pop_fblock();
        self.call_exit_with_nones(loc);
        self.emit(Instr::PopTop, loc);
        self.emit(Instr::Jump(exit.0), loc);

        // [exit, lasti, exc]
        self.ir().bind_handler(h);
        let depth = self.ir().depth;
        let hc = self.ir().push_handler(cleanup, depth, true);
        self.emit(Instr::PushExcInfo, loc);
        self.emit(Instr::WithExceptStart, loc);
        self.emit(Instr::PopJumpIfTrue(suppress.0), None);
        // Re-raise with the original instruction: [exit, lasti, prev, exc] -> Reraise(1) on
        // [.., lasti, exc] (CPython's RERAISE 2).
        self.emit(Instr::Copy(3), None);
        self.emit(Instr::Swap(2), None);
        self.emit(Instr::Reraise(1), None);
        self.bind(suppress);
        self.emit(Instr::PopTop, None);
        self.ir().pop_handler(hc);
        self.emit(Instr::PopExcept, None);
        self.emit(Instr::PopTop, None);
        self.emit(Instr::PopTop, None);
        self.emit(Instr::Jump(exit.0), None);
        self.ir().bind_handler(hc);
        self.pop_except_and_reraise();
        self.bind(exit);
        Ok(())
    }

    /// Calls the `__exit__` on the stack with three `None`s.
    fn call_exit_with_nones(&mut self, loc: Loc) {
        for _ in 0..3 {
            self.load_const(&Const::None, loc);
        }
        self.emit(Instr::Call(3), loc);
    }
}
