//! The compiler state: a stack of code units under construction (module, functions, lambdas),
//! each with its instruction list, constants, names and fast locals; name resolution; source
//! positions; and turning a finished unit into a [`CodeObject`].
//!
//! Fast locals get their slots in order of first use by the code generator, parameters first,
//! as CPython numbers `co_varnames`. Comprehension variables get slots of their own (see
//! [`super::comprehension`]).

use super::assemble::{assemble, check_operands};
use super::errors::{CResult, Fail};
use super::flow::FBlock;
use super::ir::{Ir, Label, Loc};
use super::literal::ConstKey;
use super::scope::{ScopeId, ScopeKind, ScopeTable, MAX_NESTING, TOO_DEEP};
use crate::code::{CodeFlags, CodeObject, Instr, Position, Source, NO_COL};
use crate::object::Value;
use ruff_python_ast::{ExprAttribute, Stmt};
use ruff_text_size::{Ranged, TextRange};
use std::collections::HashMap;
use std::sync::Arc;

/// What kind of code object a unit becomes.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum UnitKind {
    /// `<module>`.
    Module,
    /// A `def`.
    Function,
    /// A `lambda`.
    Lambda,
}

/// An inlined comprehension being compiled: the slots of its variables.
pub(crate) struct ActiveComp {
    /// Slot of each variable it binds.
    pub slots: HashMap<String, u32>,
}

/// One code object under construction.
pub(crate) struct Unit<'a> {
    /// Kind.
    pub kind: UnitKind,
    /// Its scope in the analysis.
    pub scope: ScopeId,
    /// `co_name`.
    pub name: String,
    /// `co_qualname`.
    pub qualname: String,
    /// `co_firstlineno`.
    pub first_line: u32,
    /// Number of parameters.
    pub argcount: u32,
    /// `co_varnames`.
    pub varnames: Vec<Arc<str>>,
    /// Slots of the function's own locals, by name.
    pub local_slots: HashMap<String, u32>,
    /// Slots shared by comprehension variables of this name that clash with nothing.
    pub comp_slots: HashMap<String, u32>,
    /// `co_names`.
    pub names: Vec<Value>,
    name_index: HashMap<String, u32>,
    /// `co_consts`.
    pub consts: Vec<Value>,
    const_index: HashMap<ConstKey, u32>,
    /// Instructions.
    pub ir: Ir,
    /// Frame blocks (loops, `try`, `with`, handlers) enclosing the current position.
    pub fblocks: Vec<FBlock<'a>>,
    /// Inlined comprehensions enclosing the current position, innermost last.
    pub comps: Vec<ActiveComp>,
}

/// How a name is accessed.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Ctx {
    /// Read.
    Load,
    /// Assigned.
    Store,
    /// Deleted.
    Del,
}

/// The compiler.
pub(crate) struct Compiler<'a> {
    /// The source being compiled.
    pub source: Arc<Source>,
    /// Name analysis.
    pub table: &'a ScopeTable,
    /// Units under construction, innermost last.
    pub units: Vec<Unit<'a>>,
    /// Recursion depth of statements and expressions.
    nesting: u32,
}

impl<'a> Compiler<'a> {
    /// A compiler for `source`.
    pub fn new(source: Arc<Source>, table: &'a ScopeTable) -> Compiler<'a> {
        Compiler {
            source,
            table,
            units: Vec::new(),
            nesting: 0,
        }
    }

    /// Compiles the module body to the `<module>` code object.
    pub fn compile_module(&mut self, body: &'a [Stmt]) -> CResult<Arc<CodeObject>> {
        self.push_unit(
            UnitKind::Module,
            0,
            "<module>".into(),
            "<module>".into(),
            1,
            &[],
        );
        let mut rest = body;
        if let Some(Stmt::Expr(e)) = body.first() {
            if let ruff_python_ast::Expr::StringLiteral(s) = &*e.value {
                // The docstring becomes `__doc__` (the store is artificial).
                let k = self.const_str(s.value.to_str());
                self.emit(Instr::LoadConst(k), self.loc(s.range));
                self.name_op("__doc__", Ctx::Store, None);
                rest = &body[1..];
            }
        }
        self.stmts(rest)?;
        self.implicit_return();
        self.pop_unit()
    }

    /// Starts a code unit; `params` become its first locals.
    pub fn push_unit(
        &mut self,
        kind: UnitKind,
        scope: ScopeId,
        name: String,
        qualname: String,
        first_line: u32,
        params: &[&str],
    ) {
        let mut unit = Unit {
            kind,
            scope,
            name,
            qualname,
            first_line,
            argcount: params.len() as u32,
            varnames: Vec::new(),
            local_slots: HashMap::new(),
            comp_slots: HashMap::new(),
            names: Vec::new(),
            name_index: HashMap::new(),
            consts: Vec::new(),
            const_index: HashMap::new(),
            ir: Ir::new(),
            fblocks: Vec::new(),
            comps: Vec::new(),
        };
        for p in params {
            let slot = unit.varnames.len() as u32;
            unit.varnames.push((*p).into());
            unit.local_slots.insert((*p).to_owned(), slot);
        }
        self.units.push(unit);
    }

    /// Finishes the innermost unit.
    pub fn pop_unit(&mut self) -> CResult<Arc<CodeObject>> {
        let unit = self.units.pop().expect("a unit is open");
        let mut flags = match unit.kind {
            UnitKind::Module => CodeFlags::MODULE,
            UnitKind::Function => CodeFlags::empty(),
            UnitKind::Lambda => CodeFlags::LAMBDA,
        };
        if unit.kind != UnitKind::Module {
            let scope = self.table.get(unit.scope);
            if scope.generator {
                flags |= CodeFlags::GENERATOR;
            }
            if scope.coroutine {
                flags |= CodeFlags::COROUTINE;
            }
        }
        let asm = assemble(unit.ir)?;
        check_operands(&asm.instrs, unit.varnames.len(), unit.consts.len())?;
        Ok(Arc::new(CodeObject {
            handle: Default::default(),
            tier: Default::default(),
            resumes: Default::default(),
            name_caches: CodeObject::caches_for(&unit.names),
            attr_caches: Default::default(),
            leaf: Default::default(),
            window_starts: Default::default(),
            name: unit.name.into(),
            qualname: unit.qualname.into(),
            filename: self.source.filename.clone(),
            first_line: unit.first_line,
            flags,
            argcount: unit.argcount,
            varnames: unit.varnames,
            names: unit.names,
            consts: unit.consts,
            instrs: asm.instrs,
            positions: asm.positions,
            exc_table: asm.exc_table,
            max_stack: asm.max_stack,
            source: self.source.clone(),
        }))
    }

    /// Generator and coroutine code starts with `ReturnGenerator` (where a new generator's frame
    /// waits, at the `def` line) and pops the value its first resumption sends.
    pub fn generator_prologue(&mut self, loc: Loc) {
        let scope = self.table.get(self.unit().scope);
        if scope.generator || scope.coroutine {
            self.emit(Instr::ReturnGenerator, loc);
            self.emit(Instr::PopTop, loc);
        }
    }

    /// The `return None` every body ends with (artificial: it takes the position of what
    /// precedes it, as in CPython).
    pub fn implicit_return(&mut self) {
        let k = self.const_none();
        self.emit(Instr::LoadConst(k), None);
        self.emit(Instr::ReturnValue, None);
    }

    /// The innermost unit.
    pub fn unit(&self) -> &Unit<'a> {
        self.units.last().expect("a unit is open")
    }

    /// The innermost unit, mutably.
    pub fn unit_mut(&mut self) -> &mut Unit<'a> {
        self.units.last_mut().expect("a unit is open")
    }

    /// The innermost unit's instruction list.
    pub fn ir(&mut self) -> &mut Ir {
        &mut self.unit_mut().ir
    }

    /// Appends an instruction.
    pub fn emit(&mut self, instr: Instr, loc: Loc) {
        self.ir().emit(instr, loc);
    }

    /// A new label.
    pub fn label(&mut self) -> Label {
        self.ir().new_label()
    }

    /// Binds a label here.
    pub fn bind(&mut self, l: Label) {
        self.ir().bind(l);
    }

    /// Recursion guard around statements and expressions.
    pub fn enter(&mut self, range: TextRange) -> CResult<()> {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            return Err(Fail::syntax(TOO_DEEP, range));
        }
        Ok(())
    }

    /// Leaves a level entered with [`Compiler::enter`].
    pub fn leave(&mut self) {
        self.nesting -= 1;
    }

    // ----- positions -----

    /// CPython's position of a source range.
    pub fn pos(&self, range: TextRange) -> Position {
        let (line, col) = self.source.line_col(range.start().to_usize());
        let (end_line, end_col) = self.source.line_col(range.end().to_usize());
        Position {
            line,
            end_line,
            col,
            end_col,
        }
    }

    /// The position of a node.
    pub fn loc(&self, range: TextRange) -> Loc {
        Some(self.pos(range))
    }

    /// The position of a node.
    pub fn loc_of(&self, node: &impl Ranged) -> Loc {
        self.loc(node.range())
    }

    /// CPython's `update_start_location_to_match_attr`: when an attribute access spans lines,
    /// instructions for it start at the attribute name.
    pub fn attr_loc(&self, loc: Loc, attr: &ExprAttribute) -> Loc {
        let mut p = loc?;
        let a = self.pos(attr.range);
        if p.line != a.end_line {
            p.line = a.end_line;
            let len = attr.attr.as_str().chars().count() as u32;
            if len <= a.end_col {
                p.col = a.end_col - len;
            } else {
                p.col = NO_COL;
                p.end_col = NO_COL;
            }
            p.end_line = p.end_line.max(p.line);
            if p.line == p.end_line && p.col != NO_COL && p.end_col != NO_COL {
                p.end_col = p.end_col.max(p.col);
            }
        }
        Some(p)
    }

    // ----- constants and names -----

    /// Index of a constant (deduplicated by `key`).
    pub fn add_const(&mut self, key: ConstKey, value: impl FnOnce() -> Value) -> u32 {
        let unit = self.unit_mut();
        if let Some(&i) = unit.const_index.get(&key) {
            return i;
        }
        let i = unit.consts.len() as u32;
        unit.consts.push(value());
        unit.const_index.insert(key, i);
        i
    }

    /// Index of a code object constant (never shared).
    pub fn add_code_const(&mut self, code: Arc<CodeObject>) -> u32 {
        let unit = self.unit_mut();
        unit.consts.push(crate::object::code_value(&code));
        unit.consts.len() as u32 - 1
    }

    /// `None`.
    pub fn const_none(&mut self) -> u32 {
        self.add_const(ConstKey::None, || Value::NONE)
    }

    /// A str constant.
    pub fn const_str(&mut self, s: &str) -> u32 {
        self.add_const(ConstKey::Str(s.to_owned()), || Value::str(s))
    }

    /// Index of a name in `co_names`.
    pub fn name_index(&mut self, name: &str) -> u32 {
        let unit = self.unit_mut();
        if let Some(&i) = unit.name_index.get(name) {
            return i;
        }
        let i = unit.names.len() as u32;
        // Interned: globals, builtins and module dicts key these names by the same objects.
        unit.names.push(Value::interned(name));
        unit.name_index.insert(name.to_owned(), i);
        i
    }

    /// A new fast-local slot named `name`.
    pub fn new_slot(&mut self, name: &str) -> u32 {
        let unit = self.unit_mut();
        unit.varnames.push(name.into());
        unit.varnames.len() as u32 - 1
    }

    /// The slot of the function's own local `name`, allocated on first use.
    fn local_slot(&mut self, name: &str) -> u32 {
        if let Some(&s) = self.unit().local_slots.get(name) {
            return s;
        }
        let s = self.new_slot(name);
        self.unit_mut().local_slots.insert(name.to_owned(), s);
        s
    }

    /// Where `name` lives in the current code: an active comprehension's variable, a fast local
    /// of the function, or a global.
    pub fn resolve(&mut self, name: &str) -> NameRef {
        let unit = self.unit();
        for comp in unit.comps.iter().rev() {
            if let Some(&s) = comp.slots.get(name) {
                return NameRef::Fast(s);
            }
        }
        let scope = self.table.get(unit.scope);
        let local = match scope.kind {
            ScopeKind::Function | ScopeKind::Lambda | ScopeKind::GenExpr => scope.is_local(name),
            ScopeKind::Module | ScopeKind::Comprehension => false,
        };
        if local {
            NameRef::Fast(self.local_slot(name))
        } else {
            NameRef::Global(self.name_index(name))
        }
    }

    /// Loads, stores or deletes a name (CPython's `compiler_nameop`).
    pub fn name_op(&mut self, name: &str, ctx: Ctx, loc: Loc) {
        let instr = match (self.resolve(name), ctx) {
            (NameRef::Fast(i), Ctx::Load) => Instr::LoadFast(i),
            (NameRef::Fast(i), Ctx::Store) => Instr::StoreFast(i),
            (NameRef::Fast(i), Ctx::Del) => Instr::DeleteFast(i),
            (NameRef::Global(i), Ctx::Load) => Instr::LoadGlobal(i),
            (NameRef::Global(i), Ctx::Store) => Instr::StoreGlobal(i),
            (NameRef::Global(i), Ctx::Del) => Instr::DeleteGlobal(i),
        };
        self.emit(instr, loc);
    }

    /// The qualified name of a function or lambda named `name` defined here.
    pub fn qualname_for(&self, name: &str) -> String {
        let unit = self.unit();
        match unit.kind {
            UnitKind::Module => name.to_owned(),
            UnitKind::Function | UnitKind::Lambda => {
                if self.table.get(unit.scope).is_global(name) {
                    name.to_owned()
                } else {
                    format!("{}.<locals>.{name}", unit.qualname)
                }
            }
        }
    }
}

/// Where a name lives.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum NameRef {
    /// Fast local slot.
    Fast(u32),
    /// Global, by `co_names` index.
    Global(u32),
}
