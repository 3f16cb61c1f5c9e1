//! List, set and dict comprehensions, inlined into the enclosing code object as CPython 3.12+
//! does (PEP 709): no function, no frame; the comprehension's `for` targets are fast locals of the
//! enclosing code (also in module code, where they are hidden from the module's globals).
//!
//! Layout (CPython's `compiler_comprehension` with `push_inlined_comprehension_state`), for
//! `[elt for x in it if cond]` starting at stack depth `d`:
//!
//! ```text
//!     <it> GetIter                    [.., iter]
//!     LoadConst None; StoreFast x     (each variable, so it is bound from here on)
//!     BuildList 0; Swap 2             [.., list, iter]        <- handler H: depth d+1
//! start:
//!     ForIter anchor                  [.., list, iter, v]
//!     <store v to x> <cond> PopJumpIfFalse start
//!     <elt> ListAppend 2              [.., list, iter]
//!     Jump start
//! anchor:                             [.., list]
//!     Jump end                                                <- end of H
//! H:  Swap 2; PopTop                  [.., exc]   (drop the unfinished list)
//!     DeleteFast x ...; Reraise 0
//! end:
//!     DeleteFast x ...                [.., list]
//! ```
//!
//! Isolation: CPython saves a same-named outer local with `LOAD_FAST_AND_CLEAR` and restores it
//! afterwards. Our instruction set has no way to read a possibly unbound local without raising,
//! so instead each comprehension variable gets a slot of its own: the plain name when nothing
//! else in the code object uses it (so `f_locals` shows `x` during the comprehension, as in
//! CPython), or a second slot with the same name when the enclosing function (or an enclosing
//! comprehension) already has a local `x`. The slot is bound to `None` before the loop (nothing
//! can observe that: only the builtin iterator runs before the first store) so that the
//! `DeleteFast` that unbinds it afterwards, on both paths, never fails.

use super::errors::{CResult, Fail};
use super::ir::Loc;
use super::literal::Const;
use super::scope::ScopeKind;
use super::unit::{ActiveComp, Compiler, UnitKind};
use crate::code::Instr;
use ruff_python_ast::{
    Comprehension, Expr, ExprDictComp, ExprGenerator, ExprListComp, ExprSetComp,
};
use ruff_text_size::{Ranged, TextRange};
use std::collections::HashMap;

/// What a comprehension builds.
#[derive(Copy, Clone, PartialEq, Eq)]
enum Kind {
    List,
    Set,
    Dict,
    /// A generator expression: the element is yielded.
    Gen,
}

impl<'a> Compiler<'a> {
    /// `[elt for ...]`.
    pub fn list_comp(&mut self, node: &'a Expr, c: &'a ExprListComp) -> CResult<()> {
        self.comprehension(node, Kind::List, &c.generators, &c.elt, None)
    }

    /// `{elt for ...}`.
    pub fn set_comp(&mut self, node: &'a Expr, c: &'a ExprSetComp) -> CResult<()> {
        self.comprehension(node, Kind::Set, &c.generators, &c.elt, None)
    }

    /// `(elt for ...)`: a `<genexpr>` generator function called with the outermost iterator
    /// (CPython's order: the function first, then the iterable, evaluated here).
    pub fn gen_expr(&mut self, node: &'a Expr, g: &'a ExprGenerator) -> CResult<()> {
        if let Some(c) = g.generators.iter().find(|c| c.is_async) {
            return Err(Fail::unsupported("asynchronous comprehensions", c.range));
        }
        let scope = self.table.scope_of(node).ok_or_else(|| {
            Fail::syntax(
                "internal compiler error: generator expression scope",
                node.range(),
            )
        })?;
        let loc = self.loc_of(node);
        let first = g
            .generators
            .first()
            .expect("a generator expression has a generator");
        let qualname = self.qualname_for("<genexpr>");
        let line = self.pos(node.range()).line;
        self.push_unit(
            UnitKind::Function,
            scope,
            "<genexpr>".into(),
            qualname,
            line,
            &[".0"],
        );
        self.generator_prologue(loc);
        self.emit(Instr::LoadFast(0), loc);
        self.generator(&g.generators, 0, 0, &g.elt, None, Kind::Gen)?;
        self.implicit_return();
        let code = self.pop_unit()?;
        let k = self.add_code_const(code);
        self.emit(Instr::LoadConst(k), loc);
        self.emit(Instr::MakeFunction(0), loc);
        self.expr(&first.iter)?;
        self.emit(Instr::GetIter, self.loc_of(&first.iter));
        self.emit(Instr::Call(1), loc);
        Ok(())
    }

    /// `{key: value for ...}`.
    pub fn dict_comp(&mut self, node: &'a Expr, c: &'a ExprDictComp) -> CResult<()> {
        let Some(key) = c.key.as_deref() else {
            return Err(Fail::unsupported("'**' in dict comprehensions", c.range));
        };
        self.comprehension(node, Kind::Dict, &c.generators, key, Some(&c.value))
    }

    fn comprehension(
        &mut self,
        node: &'a Expr,
        kind: Kind,
        generators: &'a [Comprehension],
        elt: &'a Expr,
        value: Option<&'a Expr>,
    ) -> CResult<()> {
        if let Some(g) = generators.iter().find(|g| g.is_async) {
            return Err(Fail::unsupported("asynchronous comprehensions", g.range));
        }
        let scope = self.table.scope_of(node).ok_or_else(|| {
            Fail::syntax("internal compiler error: comprehension scope", node.range())
        })?;
        let loc = self.loc_of(node);
        let first = generators.first().expect("a comprehension has a generator");

        // The outermost iterable is evaluated in the enclosing scope.
        self.expr(&first.iter)?;
        self.emit(Instr::GetIter, self.loc_of(&first.iter));

        let names = self.table.get(scope).own_bound.clone();
        let mut slots = HashMap::new();
        for name in &names {
            let slot = self.comp_slot(name);
            slots.insert(name.clone(), slot);
            self.load_const(&Const::None, loc);
            self.emit(Instr::StoreFast(slot), loc);
        }
        let cleanup = self.label();
        let handler = if names.is_empty() {
            None
        } else {
            let depth = self.ir().depth;
            Some(self.ir().push_handler(cleanup, depth, false))
        };
        let build = match kind {
            Kind::List => Instr::BuildList(0),
            Kind::Set => Instr::BuildSet(0),
            Kind::Dict => Instr::BuildMap(0),
            Kind::Gen => unreachable!("generator expressions are not inlined"),
        };
        self.emit(build, loc);
        self.emit(Instr::Swap(2), loc);

        self.unit_mut().comps.push(ActiveComp {
            slots: slots.clone(),
        });
        let body = self.generator(generators, 0, 0, elt, value, kind);
        self.unit_mut().comps.pop();
        body?;

        let Some(h) = handler else {
            return Ok(());
        };
        self.ir().pop_handler(h);
        let end = self.label();
        self.emit(Instr::Jump(end.0), None);
        self.ir().bind_handler(h);
        self.emit(Instr::Swap(2), None);
        self.emit(Instr::PopTop, None);
        self.unbind(&names, &slots, loc);
        self.emit(Instr::Reraise(0), None);
        self.bind(end);
        self.unbind(&names, &slots, loc);
        Ok(())
    }

    /// Unbinds the comprehension's variables.
    fn unbind(&mut self, names: &[String], slots: &HashMap<String, u32>, loc: Loc) {
        for name in names {
            self.emit(Instr::DeleteFast(slots[name]), loc);
        }
    }

    /// The slot for comprehension variable `name`: shared by the comprehensions of this code
    /// object that do not clash with a local or an enclosing comprehension's variable.
    fn comp_slot(&mut self, name: &str) -> u32 {
        let unit = self.unit();
        let scope = self.table.get(unit.scope);
        let clash = (unit.kind != UnitKind::Module
            && matches!(
                scope.kind,
                ScopeKind::Function | ScopeKind::Lambda | ScopeKind::GenExpr
            )
            && scope.is_local(name))
            || unit.comps.iter().any(|c| c.slots.contains_key(name));
        if clash {
            return self.new_slot(name);
        }
        if let Some(&s) = unit.comp_slots.get(name) {
            return s;
        }
        let s = self.new_slot(name);
        self.unit_mut().comp_slots.insert(name.to_owned(), s);
        s
    }

    /// One `for` clause and everything inside it (CPython's
    /// `compiler_sync_comprehension_generator`). `depth` counts the iterators on the stack above
    /// the result being built.
    fn generator(
        &mut self,
        generators: &'a [Comprehension],
        index: usize,
        depth: u32,
        elt: &'a Expr,
        value: Option<&'a Expr>,
        kind: Kind,
    ) -> CResult<()> {
        let g = &generators[index];
        let iter_loc = self.loc_of(&g.iter);
        if index > 0 {
            self.expr(&g.iter)?;
            self.emit(Instr::GetIter, iter_loc);
        }
        let depth = depth + 1;
        let start = self.label();
        let if_cleanup = self.label();
        let anchor = self.label();
        self.bind(start);
        self.emit(Instr::ForIter(anchor.0), iter_loc);
        self.store_target(&g.target)?;
        for cond in &g.ifs {
            self.jump_if(cond, if_cleanup, false)?;
        }
        let elt_loc = self.loc_of(elt);
        if index + 1 < generators.len() {
            self.generator(generators, index + 1, depth, elt, value, kind)?;
        } else {
            self.expr(elt)?;
            match kind {
                Kind::List => self.emit(Instr::ListAppend(depth + 1), elt_loc),
                Kind::Set => self.emit(Instr::SetAdd(depth + 1), elt_loc),
                Kind::Dict => {
                    let v = value.expect("dict comprehensions have a value");
                    self.expr(v)?;
                    let span = self.loc(TextRange::new(elt.range().start(), v.range().end()));
                    self.emit(Instr::MapAdd(depth + 1), span);
                }
                Kind::Gen => {
                    self.emit(Instr::YieldValue, elt_loc);
                    self.emit(Instr::PopTop, elt_loc);
                }
            }
        }
        self.bind(if_cleanup);
        self.emit(Instr::Jump(start.0), elt_loc);
        self.bind(anchor);
        // CPython's END_FOR: carries the iterable's position into what follows.
        self.emit(Instr::Nop, iter_loc);
        Ok(())
    }
}
