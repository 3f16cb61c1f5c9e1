//! Name analysis (CPython's `symtable.c`, for the subset): which names of each function are fast
//! locals, which are globals, which names each inlined comprehension isolates, and which module
//! names come from imports.
//!
//! Scopes are the module, each `def`, each `lambda` and each list/set/dict comprehension. A
//! function's locals are its parameters and every name it binds (assignment, augmented
//! assignment, `for`/`with`/`except` targets, `import`, `def`, `del`) that it does not declare
//! `global`; every other name it uses is a global (there are no closures in the subset: a free
//! name that an enclosing function or comprehension binds is rejected here). A comprehension
//! binds its `for` targets; since comprehensions are inlined (PEP 709), their variables become
//! fast locals of the enclosing code object ([`Scope::own_bound`]; see `comprehension`).
//!
//! Also checked here, as CPython's symbol table does: `global` after use/assignment/as a
//! parameter, duplicate parameter names.

use super::errors::{CResult, Fail};
use indexmap::IndexMap;
use ruff_python_ast::{
    Comprehension, ExceptHandler, Expr, ExprContext, InterpolatedStringElement,
    InterpolatedStringElements, Parameters, Stmt,
};
use ruff_text_size::{Ranged, TextRange};
use std::collections::{HashMap, HashSet};

/// Index of a scope in [`ScopeTable::scopes`].
pub(crate) type ScopeId = usize;

/// Deepest nesting of statements and expressions the compiler accepts (left-deep chains of
/// binary operators do not count: they are walked iteratively).
pub(crate) const MAX_NESTING: u32 = 10_000;

/// The message when [`MAX_NESTING`] is exceeded.
pub(crate) const TOO_DEEP: &str = "too many nested expressions (shadowpy's compiler limit)";

/// Kinds of scopes.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum ScopeKind {
    /// The module.
    Module,
    /// A `def`.
    Function,
    /// A `lambda`.
    Lambda,
    /// An inlined list/set/dict comprehension.
    Comprehension,
    /// A generator expression: a generator function of its own, `<genexpr>`, whose one
    /// parameter `.0` is the outermost iterator.
    GenExpr,
}

/// What a scope knows about one name.
#[derive(Clone, Debug)]
pub(crate) struct Symbol {
    /// Bound in this scope (assigned, deleted, imported, a parameter or a comprehension target).
    pub bound: bool,
    /// Read in this scope.
    pub used: bool,
    /// Declared `global`.
    pub global: bool,
    /// A parameter.
    pub param: bool,
    /// Bound by an `import`.
    pub import: bool,
    /// Where the name first appears (for error messages).
    pub first: TextRange,
}

/// One scope.
#[derive(Debug)]
pub(crate) struct Scope {
    /// Its kind.
    pub kind: ScopeKind,
    /// The enclosing scope.
    pub parent: Option<ScopeId>,
    /// Function name, `<lambda>`, `<listcomp>`, ... (for messages).
    pub name: String,
    /// Names in order of first appearance.
    pub symbols: IndexMap<String, Symbol>,
    /// Free names of the comprehensions inlined into this scope (closure checks only).
    pub comp_free: IndexMap<String, TextRange>,
    /// Comprehensions: the names CPython isolates with `LOAD_FAST_AND_CLEAR`, in its order (its
    /// own targets, then names bound only in comprehensions nested in it).
    pub pushed: Vec<String>,
    /// Comprehensions: the names bound by its own `for` targets, in order of first appearance.
    pub own_bound: Vec<String>,
    /// Nested scopes, in source order.
    pub children: Vec<ScopeId>,
    /// A function or lambda that contains `yield` or `yield from`.
    pub generator: bool,
    /// An `async def`.
    pub coroutine: bool,
}

impl Scope {
    fn new(kind: ScopeKind, parent: Option<ScopeId>, name: String) -> Scope {
        Scope {
            kind,
            parent,
            name,
            symbols: IndexMap::new(),
            comp_free: IndexMap::new(),
            pushed: Vec::new(),
            own_bound: Vec::new(),
            children: Vec::new(),
            generator: false,
            coroutine: false,
        }
    }

    /// Is `name` a fast local of this function scope (bound and not declared global)?
    pub fn is_local(&self, name: &str) -> bool {
        self.symbols.get(name).is_some_and(|s| s.bound && !s.global)
    }

    /// Is `name` declared `global` here?
    pub fn is_global(&self, name: &str) -> bool {
        self.symbols.get(name).is_some_and(|s| s.global)
    }

    /// Does this comprehension bind `name` itself?
    pub fn binds(&self, name: &str) -> bool {
        self.symbols.get(name).is_some_and(|s| s.bound)
    }
}

/// The result of the analysis.
#[derive(Debug)]
pub(crate) struct ScopeTable {
    /// All scopes; 0 is the module.
    pub scopes: Vec<Scope>,
    /// Scope of each `def`, `lambda` and comprehension node, keyed by the node's address.
    by_node: HashMap<usize, ScopeId>,
    /// Names the module binds by `import` (CPython's `is_import_originated`: calls on their
    /// attributes are not compiled as method calls).
    pub module_imports: HashSet<String>,
}

impl ScopeTable {
    /// The scope created for an AST node (a `StmtFunctionDef`, `ExprLambda` or comprehension).
    pub fn scope_of<T>(&self, node: &T) -> Option<ScopeId> {
        self.by_node.get(&(node as *const T as usize)).copied()
    }

    /// A scope by id.
    pub fn get(&self, id: ScopeId) -> &Scope {
        &self.scopes[id]
    }
}

/// Analyzes a module body.
pub(crate) fn analyze(body: &[Stmt]) -> CResult<ScopeTable> {
    let mut a = Analyzer {
        scopes: vec![Scope::new(ScopeKind::Module, None, "<module>".into())],
        by_node: HashMap::new(),
        cur: 0,
        nesting: 0,
    };
    a.stmts(body)?;
    let module_imports = a.scopes[0]
        .symbols
        .iter()
        .filter(|(_, s)| s.import)
        .map(|(n, _)| n.clone())
        .collect();
    let table = ScopeTable {
        scopes: a.scopes,
        by_node: a.by_node,
        module_imports,
    };
    check_closures(&table)?;
    Ok(table)
}

/// Rejects free names of functions and lambdas that an enclosing function or comprehension
/// binds: those would be closures.
fn check_closures(table: &ScopeTable) -> CResult<()> {
    for scope in &table.scopes {
        if !matches!(
            scope.kind,
            ScopeKind::Function | ScopeKind::Lambda | ScopeKind::GenExpr
        ) {
            continue;
        }
        let own_free = scope
            .symbols
            .iter()
            .filter(|(_, s)| !s.bound && !s.global)
            .map(|(n, s)| (n, s.first));
        let comp_free = scope
            .comp_free
            .iter()
            .filter(|(n, _)| !scope.symbols.get(*n).is_some_and(|s| s.bound || s.global))
            .map(|(n, r)| (n, *r));
        for (name, range) in own_free.chain(comp_free) {
            let mut up = scope.parent;
            while let Some(id) = up {
                let outer = table.get(id);
                match outer.kind {
                    ScopeKind::Module => break,
                    ScopeKind::Comprehension if outer.binds(name) => {
                        return Err(closure_error(table, name, scope, outer, range))
                    }
                    ScopeKind::Comprehension => {}
                    ScopeKind::Function | ScopeKind::Lambda | ScopeKind::GenExpr => {
                        if outer.is_global(name) {
                            break;
                        }
                        if outer.is_local(name) {
                            return Err(closure_error(table, name, scope, outer, range));
                        }
                    }
                }
                up = outer.parent;
            }
        }
    }
    Ok(())
}

fn closure_error(
    table: &ScopeTable,
    name: &str,
    inner: &Scope,
    outer: &Scope,
    range: TextRange,
) -> Fail {
    let what = if outer.kind == ScopeKind::Comprehension {
        // Name the code the comprehension is inlined into.
        let mut host = outer;
        while host.kind == ScopeKind::Comprehension {
            host = match host.parent {
                Some(p) => table.get(p),
                None => break,
            };
        }
        format!("a comprehension variable in '{}'", host.name)
    } else {
        format!(
            "a local variable of the enclosing function '{}'",
            outer.name
        )
    };
    Fail::syntax(
        format!(
            "closures are not supported by shadowpy: '{name}' in '{}' refers to {what}",
            inner.name
        ),
        range,
    )
}

struct Analyzer {
    scopes: Vec<Scope>,
    by_node: HashMap<usize, ScopeId>,
    cur: ScopeId,
    nesting: u32,
}

/// How a name occurs.
#[derive(Copy, Clone, PartialEq)]
enum Occ {
    Use,
    Bind,
    Param,
    Import,
}

impl Analyzer {
    fn enter(&mut self, range: TextRange) -> CResult<()> {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            return Err(Fail::syntax(TOO_DEEP, range));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.nesting -= 1;
    }

    fn note(&mut self, name: &str, occ: Occ, range: TextRange) {
        let sym = self.scopes[self.cur]
            .symbols
            .entry(name.to_owned())
            .or_insert(Symbol {
                bound: false,
                used: false,
                global: false,
                param: false,
                import: false,
                first: range,
            });
        match occ {
            Occ::Use => sym.used = true,
            Occ::Bind => sym.bound = true,
            Occ::Param => {
                sym.bound = true;
                sym.param = true;
            }
            Occ::Import => {
                sym.bound = true;
                sym.import = true;
            }
        }
    }

    fn new_scope(&mut self, kind: ScopeKind, name: String, node: usize) -> ScopeId {
        let id = self.scopes.len();
        self.scopes.push(Scope::new(kind, Some(self.cur), name));
        self.scopes[self.cur].children.push(id);
        self.by_node.insert(node, id);
        id
    }

    fn stmts(&mut self, body: &[Stmt]) -> CResult<()> {
        body.iter().try_for_each(|s| self.stmt(s))
    }

    fn stmt(&mut self, s: &Stmt) -> CResult<()> {
        self.enter(s.range())?;
        self.stmt_inner(s)?;
        self.leave();
        Ok(())
    }

    fn stmt_inner(&mut self, s: &Stmt) -> CResult<()> {
        match s {
            Stmt::FunctionDef(f) => {
                for d in &f.decorator_list {
                    self.expr(&d.expression)?;
                }
                self.note(f.name.as_str(), Occ::Bind, f.name.range);
                self.defaults(&f.parameters)?;
                let id = self.new_scope(
                    ScopeKind::Function,
                    f.name.to_string(),
                    f as *const _ as usize,
                );
                self.scopes[id].coroutine = f.is_async;
                let outer = std::mem::replace(&mut self.cur, id);
                self.params(&f.parameters)?;
                self.stmts(&f.body)?;
                self.cur = outer;
            }
            Stmt::ClassDef(c) => self.note(c.name.as_str(), Occ::Bind, c.name.range),
            Stmt::Return(r) => self.opt_expr(r.value.as_deref())?,
            Stmt::Delete(d) => d.targets.iter().try_for_each(|t| self.expr(t))?,
            Stmt::Assign(a) => {
                a.targets.iter().try_for_each(|t| self.expr(t))?;
                self.expr(&a.value)?;
            }
            Stmt::AugAssign(a) => {
                self.expr(&a.target)?;
                self.expr(&a.value)?;
            }
            Stmt::AnnAssign(a) => {
                self.expr(&a.target)?;
                self.opt_expr(a.value.as_deref())?;
            }
            Stmt::For(f) => {
                self.expr(&f.target)?;
                self.expr(&f.iter)?;
                self.stmts(&f.body)?;
                self.stmts(&f.orelse)?;
            }
            Stmt::While(w) => {
                self.expr(&w.test)?;
                self.stmts(&w.body)?;
                self.stmts(&w.orelse)?;
            }
            Stmt::If(i) => {
                self.expr(&i.test)?;
                self.stmts(&i.body)?;
                for clause in &i.elif_else_clauses {
                    self.opt_expr(clause.test.as_ref())?;
                    self.stmts(&clause.body)?;
                }
            }
            Stmt::With(w) => {
                for item in &w.items {
                    self.expr(&item.context_expr)?;
                    self.opt_expr(item.optional_vars.as_deref())?;
                }
                self.stmts(&w.body)?;
            }
            Stmt::Raise(r) => {
                self.opt_expr(r.exc.as_deref())?;
                self.opt_expr(r.cause.as_deref())?;
            }
            Stmt::Try(t) => {
                self.stmts(&t.body)?;
                for ExceptHandler::ExceptHandler(h) in &t.handlers {
                    self.opt_expr(h.type_.as_deref())?;
                    if let Some(name) = &h.name {
                        self.note(name.as_str(), Occ::Bind, name.range);
                    }
                    self.stmts(&h.body)?;
                }
                self.stmts(&t.orelse)?;
                self.stmts(&t.finalbody)?;
            }
            Stmt::Assert(a) => {
                self.expr(&a.test)?;
                self.opt_expr(a.msg.as_deref())?;
            }
            Stmt::Import(i) => {
                for alias in &i.names {
                    let bound = match &alias.asname {
                        Some(a) => a.as_str(),
                        None => alias.name.as_str().split('.').next().unwrap_or_default(),
                    };
                    self.note(bound, Occ::Import, alias.range);
                }
            }
            Stmt::ImportFrom(i) => {
                for alias in &i.names {
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                    if bound.as_str() != "*" {
                        self.note(bound.as_str(), Occ::Import, alias.range);
                    }
                }
            }
            Stmt::Global(g) => {
                for name in &g.names {
                    self.global(name.as_str(), g.range)?;
                }
            }
            Stmt::Expr(e) => self.expr(&e.value)?,
            Stmt::Nonlocal(_)
            | Stmt::TypeAlias(_)
            | Stmt::Match(_)
            | Stmt::Pass(_)
            | Stmt::Break(_)
            | Stmt::Continue(_)
            | Stmt::IpyEscapeCommand(_) => {}
        }
        Ok(())
    }

    /// `global name`: CPython's checks, then the declaration.
    fn global(&mut self, name: &str, range: TextRange) -> CResult<()> {
        if let Some(sym) = self.scopes[self.cur].symbols.get(name) {
            let msg = if sym.param {
                Some("is parameter and global")
            } else if sym.used {
                Some("is used prior to global declaration")
            } else if sym.bound {
                Some("is assigned to before global declaration")
            } else {
                None
            };
            if let Some(msg) = msg {
                return Err(Fail::syntax(format!("name '{name}' {msg}"), range));
            }
        }
        self.note(name, Occ::Use, range);
        if let Some(sym) = self.scopes[self.cur].symbols.get_mut(name) {
            sym.used = false;
            sym.global = true;
        }
        Ok(())
    }

    /// Default values, evaluated in the enclosing scope.
    fn defaults(&mut self, params: &Parameters) -> CResult<()> {
        for p in params.iter_non_variadic_params() {
            self.opt_expr(p.default.as_deref())?;
        }
        Ok(())
    }

    /// Parameters of the scope just entered; duplicates are a SyntaxError.
    fn params(&mut self, params: &Parameters) -> CResult<()> {
        for p in params.iter() {
            let name = p.name();
            if self.scopes[self.cur]
                .symbols
                .get(name.as_str())
                .is_some_and(|s| s.param)
            {
                return Err(Fail::syntax(
                    format!("duplicate argument '{name}' in function definition"),
                    name.range,
                ));
            }
            self.note(name.as_str(), Occ::Param, name.range);
        }
        Ok(())
    }

    fn opt_expr(&mut self, e: Option<&Expr>) -> CResult<()> {
        e.map_or(Ok(()), |e| self.expr(e))
    }

    fn expr(&mut self, e: &Expr) -> CResult<()> {
        self.enter(e.range())?;
        self.expr_inner(e)?;
        self.leave();
        Ok(())
    }

    fn expr_inner(&mut self, e: &Expr) -> CResult<()> {
        match e {
            Expr::Name(n) => {
                let occ = match n.ctx {
                    ExprContext::Load | ExprContext::Invalid => Occ::Use,
                    ExprContext::Store | ExprContext::Del => Occ::Bind,
                };
                self.note(n.id.as_str(), occ, n.range);
            }
            Expr::BinOp(_) => {
                // Left-deep chains (`a + b + c + ...`) iteratively: they can be very long.
                let mut spine = Vec::new();
                let mut cur = e;
                while let Expr::BinOp(b) = cur {
                    spine.push(&*b.right);
                    cur = &b.left;
                }
                self.expr(cur)?;
                for right in spine.into_iter().rev() {
                    self.expr(right)?;
                }
            }
            Expr::BoolOp(b) => b.values.iter().try_for_each(|v| self.expr(v))?,
            Expr::UnaryOp(u) => self.expr(&u.operand)?,
            Expr::Compare(c) => {
                self.expr(&c.left)?;
                c.comparators.iter().try_for_each(|v| self.expr(v))?;
            }
            Expr::Call(c) => {
                self.expr(&c.func)?;
                c.arguments.args.iter().try_for_each(|a| self.expr(a))?;
                for k in &c.arguments.keywords {
                    self.expr(&k.value)?;
                }
            }
            Expr::Attribute(a) => self.expr(&a.value)?,
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
            }
            Expr::Starred(s) => self.expr(&s.value)?,
            Expr::List(l) => l.elts.iter().try_for_each(|v| self.expr(v))?,
            Expr::Tuple(t) => t.elts.iter().try_for_each(|v| self.expr(v))?,
            Expr::Set(s) => s.elts.iter().try_for_each(|v| self.expr(v))?,
            Expr::Dict(d) => {
                for item in &d.items {
                    self.opt_expr(item.key.as_ref())?;
                    self.expr(&item.value)?;
                }
            }
            Expr::Slice(s) => {
                self.opt_expr(s.lower.as_deref())?;
                self.opt_expr(s.upper.as_deref())?;
                self.opt_expr(s.step.as_deref())?;
            }
            Expr::If(i) => {
                self.expr(&i.test)?;
                self.expr(&i.body)?;
                self.expr(&i.orelse)?;
            }
            Expr::FString(f) => {
                for part in f.value.iter() {
                    if let ruff_python_ast::FStringPart::FString(fs) = part {
                        self.interpolations(&fs.elements)?;
                    }
                }
            }
            Expr::Lambda(l) => {
                if let Some(p) = &l.parameters {
                    self.defaults(p)?;
                }
                let id =
                    self.new_scope(ScopeKind::Lambda, "<lambda>".into(), l as *const _ as usize);
                let outer = std::mem::replace(&mut self.cur, id);
                if let Some(p) = &l.parameters {
                    self.params(p)?;
                }
                self.expr(&l.body)?;
                self.cur = outer;
            }
            Expr::ListComp(c) => {
                self.comprehension(e, "<listcomp>", &c.generators, &c.elt, None)?
            }
            Expr::SetComp(c) => self.comprehension(e, "<setcomp>", &c.generators, &c.elt, None)?,
            Expr::DictComp(c) => {
                let key = c.key.as_deref();
                match key {
                    Some(k) => {
                        self.comprehension(e, "<dictcomp>", &c.generators, k, Some(&c.value))?
                    }
                    None => self.expr(&c.value)?,
                }
            }
            Expr::Await(a) => {
                self.await_expr(a.range)?;
                self.expr(&a.value)?
            }
            Expr::Yield(y) => {
                self.yield_expr("yield", y.range)?;
                self.opt_expr(y.value.as_deref())?
            }
            Expr::YieldFrom(y) => {
                self.yield_expr("yield from", y.range)?;
                self.expr(&y.value)?
            }
            Expr::Generator(g) => self.gen_expr(e, &g.generators, &g.elt)?,
            // Rejected by the code generator; nothing here can make that error misleading.
            Expr::Named(_) | Expr::TString(_) | Expr::IpyEscapeCommand(_) => {}
            Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::NumberLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_) => {}
        }
        Ok(())
    }

    /// `yield` or `yield from` (`what`) makes the enclosing function a generator; CPython's
    /// symbol-table errors where it cannot.
    fn yield_expr(&mut self, what: &str, range: TextRange) -> CResult<()> {
        let scope = &mut self.scopes[self.cur];
        match scope.kind {
            ScopeKind::Module => Err(Fail::syntax(format!("'{what}' outside function"), range)),
            ScopeKind::Comprehension => {
                let kind = match scope.name.as_str() {
                    "<setcomp>" => "set comprehension",
                    "<dictcomp>" => "dict comprehension",
                    _ => "list comprehension",
                };
                Err(Fail::syntax(format!("'{what}' inside {kind}"), range))
            }
            ScopeKind::Function if scope.coroutine && what == "yield from" => {
                Err(Fail::syntax("'yield from' inside async function", range))
            }
            ScopeKind::Function if scope.coroutine => {
                Err(Fail::unsupported("asynchronous generators", range))
            }
            ScopeKind::GenExpr => Err(Fail::syntax(
                format!("'{what}' inside generator expression"),
                range,
            )),
            ScopeKind::Function | ScopeKind::Lambda => {
                scope.generator = true;
                Ok(())
            }
        }
    }

    /// `await` is allowed directly in an `async def` only.
    fn await_expr(&mut self, range: TextRange) -> CResult<()> {
        let scope = &self.scopes[self.cur];
        match scope.kind {
            ScopeKind::Module => Err(Fail::syntax("'await' outside function", range)),
            ScopeKind::Function if scope.coroutine => Ok(()),
            ScopeKind::Comprehension | ScopeKind::GenExpr => {
                Err(Fail::unsupported("'await' in comprehensions", range))
            }
            ScopeKind::Function | ScopeKind::Lambda => {
                Err(Fail::syntax("'await' outside async function", range))
            }
        }
    }

    fn interpolations(&mut self, elements: &InterpolatedStringElements) -> CResult<()> {
        for el in elements.iter() {
            if let InterpolatedStringElement::Interpolation(i) = el {
                self.expr(&i.expression)?;
                if let Some(spec) = &i.format_spec {
                    self.interpolations(&spec.elements)?;
                }
            }
        }
        Ok(())
    }

    /// A comprehension, in CPython's symbol-table order: the outermost iterable in the enclosing
    /// scope; then, in the comprehension, the first target and conditions, the other generators
    /// (target, iterable, conditions), the dict value, the element.
    fn comprehension(
        &mut self,
        node: &Expr,
        name: &str,
        generators: &[Comprehension],
        elt: &Expr,
        value: Option<&Expr>,
    ) -> CResult<()> {
        if let Some(id) =
            self.comp_scope(node, ScopeKind::Comprehension, name, generators, elt, value)?
        {
            self.inline_comprehension(id);
        }
        Ok(())
    }

    /// A generator expression: the outermost iterable in the enclosing scope, the rest in a
    /// generator scope of its own with the parameter `.0`.
    fn gen_expr(&mut self, node: &Expr, generators: &[Comprehension], elt: &Expr) -> CResult<()> {
        self.comp_scope(node, ScopeKind::GenExpr, "<genexpr>", generators, elt, None)
            .map(drop)
    }

    /// The scope of a comprehension or generator expression (None without generators), its
    /// names noted in CPython's symbol-table order.
    fn comp_scope(
        &mut self,
        node: &Expr,
        kind: ScopeKind,
        name: &str,
        generators: &[Comprehension],
        elt: &Expr,
        value: Option<&Expr>,
    ) -> CResult<Option<ScopeId>> {
        let Some(first) = generators.first() else {
            return Ok(None);
        };
        self.expr(&first.iter)?;
        let id = self.new_scope(kind, name.into(), node as *const _ as usize);
        let outer = std::mem::replace(&mut self.cur, id);
        if kind == ScopeKind::GenExpr {
            self.scopes[id].generator = true;
            self.note(".0", Occ::Param, first.range);
        }
        self.expr(&first.target)?;
        first.ifs.iter().try_for_each(|c| self.expr(c))?;
        for g in &generators[1..] {
            self.expr(&g.target)?;
            self.expr(&g.iter)?;
            g.ifs.iter().try_for_each(|c| self.expr(c))?;
        }
        self.opt_expr(value)?;
        self.expr(elt)?;
        self.cur = outer;
        Ok(Some(id))
    }

    /// CPython's `inline_comprehension`: names of nested comprehensions join this one's symbols
    /// (when new); the bound ones are what this comprehension isolates. Free names are noted in
    /// the enclosing scope for the closure check.
    fn inline_comprehension(&mut self, id: ScopeId) {
        let own: Vec<String> = self.scopes[id]
            .symbols
            .iter()
            .filter(|(_, s)| s.bound)
            .map(|(n, _)| n.clone())
            .collect();
        self.scopes[id].own_bound = own;
        let children: Vec<ScopeId> = self.scopes[id]
            .children
            .iter()
            .copied()
            .filter(|&c| self.scopes[c].kind == ScopeKind::Comprehension)
            .collect();
        for child in children {
            let merged: Vec<(String, Symbol)> = self.scopes[child]
                .symbols
                .iter()
                .map(|(n, s)| (n.clone(), s.clone()))
                .collect();
            let scope = &mut self.scopes[id];
            for (name, sym) in merged {
                scope.symbols.entry(name).or_insert(sym);
            }
        }
        let scope = &mut self.scopes[id];
        scope.pushed = scope
            .symbols
            .iter()
            .filter(|(_, s)| s.bound)
            .map(|(n, _)| n.clone())
            .collect();
        let free: Vec<(String, TextRange)> = scope
            .symbols
            .iter()
            .filter(|(_, s)| !s.bound)
            .map(|(n, s)| (n.clone(), s.first))
            .chain(scope.comp_free.iter().map(|(n, r)| (n.clone(), *r)))
            .collect();
        let parent = &mut self.scopes[self.cur];
        for (name, range) in free {
            parent.comp_free.entry(name).or_insert(range);
        }
    }
}
