//! Assembly: from the emitter's [`Ir`] to final instructions, positions, exception table and
//! maximum stack depth.
//!
//! Runs the passes of CPython's `flowgraph.c` that decide what tracebacks and `f_lineno` show:
//! unreachable code removal, `duplicate_exits_without_lineno` (an artificial `return`/`raise`
//! block reached from several places gets a copy per jump, located at the jump) and
//! `propagate_line_numbers` (artificial instructions take the position of the instruction before
//! them, across fallthrough and single-predecessor jump edges). `Nop`s exist only to carry
//! positions into that propagation and are dropped afterwards, as are jumps to the next
//! instruction. The exception table gets one entry per run of instructions protected by the same
//! handler (entries never overlap, so "first match" and "innermost" agree). The stack depth is
//! recomputed by flow analysis over normal and exceptional edges and checked for consistency.

use super::errors::{CResult, Fail};
use super::ir::{
    exits_scope, is_terminal, jump_target, retarget, stack_effect, stack_inputs, Ir, IrInstr,
};
use crate::code::{ExcEntry, Instr, Position};
use ruff_text_size::TextRange;

/// The assembled body of a code object.
pub(crate) struct Assembled {
    /// Instructions with resolved jump targets.
    pub instrs: Vec<Instr>,
    /// One position per instruction.
    pub positions: Vec<Position>,
    /// Exception table.
    pub exc_table: Vec<ExcEntry>,
    /// Maximum value-stack depth.
    pub max_stack: u32,
}

/// A basic block: straight-line instructions; a jump or a terminator can only be last.
struct Block {
    instrs: Vec<IrInstr>,
}

/// The blocks and their layout.
struct Cfg {
    blocks: Vec<Block>,
    /// Layout order (block ids).
    order: Vec<usize>,
    /// Predecessor counts (reachable edges: fallthrough, jumps, exception edges).
    preds: Vec<u32>,
    /// Block of each handler.
    handler_block: Vec<usize>,
}

/// Assembles `ir`.
pub(crate) fn assemble(ir: Ir) -> CResult<Assembled> {
    let handlers = ir.handlers.clone();
    let mut cfg = build_cfg(ir);
    remove_unreachable(&mut cfg);
    count_preds(&mut cfg);
    duplicate_exits_without_lineno(&mut cfg);
    propagate_line_numbers(&mut cfg);
    let ((instrs, starts), locs, handler_of) = flatten(&cfg);
    let positions = locs.into_iter().map(Option::unwrap_or_default).collect();
    let target_of = |h: u32| starts[cfg.handler_block[h as usize]];
    let mut exc_table: Vec<ExcEntry> = Vec::new();
    for (pc, h) in handler_of.iter().enumerate() {
        let Some(h) = *h else { continue };
        let handler = &handlers[h as usize];
        let entry = ExcEntry {
            start: pc as u32,
            end: pc as u32 + 1,
            target: target_of(h),
            depth: handler.depth,
            lasti: handler.lasti,
        };
        match exc_table.last_mut() {
            Some(last)
                if last.end == entry.start
                    && last.target == entry.target
                    && last.depth == entry.depth
                    && last.lasti == entry.lasti =>
            {
                last.end = entry.end;
            }
            _ => exc_table.push(entry),
        }
    }
    let max_stack = max_stack_depth(&instrs, &exc_table)?;
    Ok(Assembled {
        instrs,
        positions,
        exc_table,
        max_stack,
    })
}

/// Splits the instruction list into blocks at labels and after jumps and terminators; jump
/// targets become block ids.
fn build_cfg(ir: Ir) -> Cfg {
    let n = ir.instrs.len();
    let mut leader = vec![false; n + 1];
    leader[0] = true;
    for &at in ir.labels.iter().flatten() {
        leader[at] = true;
    }
    for (i, ins) in ir.instrs.iter().enumerate() {
        if jump_target(&ins.instr).is_some() || is_terminal(&ins.instr) {
            leader[i + 1] = true;
        }
    }
    let mut block_of_index = vec![0usize; n + 1];
    let mut blocks: Vec<Block> = Vec::new();
    for (i, ins) in ir.instrs.into_iter().enumerate() {
        if leader[i] {
            blocks.push(Block { instrs: Vec::new() });
        }
        block_of_index[i] = blocks.len() - 1;
        blocks
            .last_mut()
            .expect("a leader opens a block")
            .instrs
            .push(ins);
    }
    // A label bound at the very end gets an empty block (never reachable in practice).
    block_of_index[n] = blocks.len();
    blocks.push(Block { instrs: Vec::new() });
    let label_block: Vec<usize> = ir
        .labels
        .iter()
        .map(|at| at.map_or(usize::MAX, |i| block_of_index[i]))
        .collect();
    for b in &mut blocks {
        if let Some(last) = b.instrs.last_mut() {
            if let Some(t) = jump_target(&last.instr) {
                last.instr = retarget(last.instr, label_block[t as usize] as u32);
            }
        }
    }
    let handler_block = ir
        .handlers
        .iter()
        .map(|h| label_block[h.label.0 as usize])
        .collect();
    let count = blocks.len();
    Cfg {
        blocks,
        order: (0..count).collect(),
        preds: vec![0; count],
        handler_block,
    }
}

/// Does control fall off the end of block `b` into the next one?
fn falls_through(b: &Block) -> bool {
    b.instrs.last().is_none_or(|i| !is_terminal(&i.instr))
}

/// Removes blocks no path reaches (following jumps, fallthrough and exception edges).
fn remove_unreachable(cfg: &mut Cfg) {
    let mut reachable = vec![false; cfg.blocks.len()];
    let position: Vec<usize> = {
        let mut p = vec![0; cfg.blocks.len()];
        for (i, &b) in cfg.order.iter().enumerate() {
            p[b] = i;
        }
        p
    };
    let mut work = vec![cfg.order[0]];
    while let Some(b) = work.pop() {
        if reachable[b] {
            continue;
        }
        reachable[b] = true;
        let block = &cfg.blocks[b];
        for ins in &block.instrs {
            if let Some(h) = ins.handler {
                work.push(cfg.handler_block[h as usize]);
            }
        }
        if let Some(last) = block.instrs.last() {
            if let Some(t) = jump_target(&last.instr) {
                work.push(t as usize);
            }
        }
        if falls_through(block) {
            if let Some(&next) = cfg.order.get(position[b] + 1) {
                work.push(next);
            }
        }
    }
    cfg.order.retain(|&b| reachable[b]);
}

/// Predecessor counts over the reachable blocks.
fn count_preds(cfg: &mut Cfg) {
    cfg.preds = vec![0; cfg.blocks.len()];
    for (i, &b) in cfg.order.iter().enumerate() {
        let block = &cfg.blocks[b];
        if falls_through(block) {
            if let Some(&next) = cfg.order.get(i + 1) {
                cfg.preds[next] += 1;
            }
        }
        if let Some(t) = block.instrs.last().and_then(|l| jump_target(&l.instr)) {
            cfg.preds[t as usize] += 1;
        }
        let mut seen: Vec<u32> = Vec::new();
        for h in block.instrs.iter().filter_map(|i| i.handler) {
            if !seen.contains(&h) {
                seen.push(h);
                cfg.preds[cfg.handler_block[h as usize]] += 1;
            }
        }
    }
}

/// A block that leaves the code object and has no position at all.
fn is_exit_without_lineno(b: &Block) -> bool {
    b.instrs.last().is_some_and(|l| exits_scope(&l.instr))
        && b.instrs.iter().all(|i| i.loc.is_none())
}

/// CPython's `duplicate_exits_without_lineno`.
fn duplicate_exits_without_lineno(cfg: &mut Cfg) {
    let mut i = 0;
    while i < cfg.order.len() {
        let b = cfg.order[i];
        let Some(last) = cfg.blocks[b].instrs.last().cloned() else {
            i += 1;
            continue;
        };
        if let Some(t) = jump_target(&last.instr) {
            let t = t as usize;
            if is_exit_without_lineno(&cfg.blocks[t]) && cfg.preds[t] > 1 {
                let mut copy = Block {
                    instrs: cfg.blocks[t].instrs.clone(),
                };
                copy.instrs[0].loc = last.loc;
                let id = cfg.blocks.len();
                cfg.blocks.push(copy);
                cfg.preds.push(1);
                cfg.preds[t] -= 1;
                let jump = cfg.blocks[b].instrs.last_mut().expect("checked above");
                jump.instr = retarget(jump.instr, id as u32);
                let at = cfg
                    .order
                    .iter()
                    .position(|&x| x == t)
                    .expect("target is laid out");
                cfg.order.insert(at + 1, id);
            }
        }
        i += 1;
    }
    for i in 0..cfg.order.len().saturating_sub(1) {
        let (b, next) = (cfg.order[i], cfg.order[i + 1]);
        let block = &cfg.blocks[b];
        if falls_through(block)
            && !block.instrs.is_empty()
            && is_exit_without_lineno(&cfg.blocks[next])
        {
            let loc = block.instrs.last().expect("non-empty").loc;
            cfg.blocks[next].instrs[0].loc = loc;
        }
    }
}

/// CPython's `propagate_line_numbers`.
fn propagate_line_numbers(cfg: &mut Cfg) {
    for i in 0..cfg.order.len() {
        let b = cfg.order[i];
        if cfg.blocks[b].instrs.is_empty() {
            continue;
        }
        let mut prev = None;
        for ins in &mut cfg.blocks[b].instrs {
            match ins.loc {
                None => ins.loc = prev,
                Some(_) => prev = ins.loc,
            }
        }
        let block = &cfg.blocks[b];
        let last = block.instrs.last().expect("non-empty").instr;
        if falls_through(block) {
            if let Some(&next) = cfg.order.get(i + 1) {
                if cfg.preds[next] == 1 {
                    if let Some(first) = cfg.blocks[next].instrs.first_mut() {
                        if first.loc.is_none() {
                            first.loc = prev;
                        }
                    }
                }
            }
        }
        if let Some(t) = jump_target(&last) {
            let t = t as usize;
            if cfg.preds[t] == 1 {
                if let Some(first) = cfg.blocks[t].instrs.first_mut() {
                    if first.loc.is_none() {
                        first.loc = prev;
                    }
                }
            }
        }
    }
}

/// Final instruction list: layout order without `Nop`s and without jumps to the next
/// instruction. Returns ((instructions, start index of each block), positions, handlers).
#[allow(clippy::type_complexity)]
fn flatten(
    cfg: &Cfg,
) -> (
    (Vec<Instr>, Vec<u32>),
    Vec<Option<Position>>,
    Vec<Option<u32>>,
) {
    // First pass: drop Nops, note block starts.
    let mut kept: Vec<&IrInstr> = Vec::new();
    let mut start = vec![u32::MAX; cfg.blocks.len()];
    for &b in &cfg.order {
        start[b] = kept.len() as u32;
        kept.extend(
            cfg.blocks[b]
                .instrs
                .iter()
                .filter(|i| i.instr != Instr::Nop),
        );
    }
    let resolve = |t: u32| start[t as usize];
    // Second pass: drop unconditional jumps to the next instruction.
    let drop: Vec<bool> = kept
        .iter()
        .enumerate()
        .map(|(i, ins)| matches!(ins.instr, Instr::Jump(t) if resolve(t) as usize == i + 1))
        .collect();
    let mut new_index = Vec::with_capacity(kept.len() + 1);
    let mut n = 0u32;
    for &d in &drop {
        new_index.push(n);
        if !d {
            n += 1;
        }
    }
    new_index.push(n);
    let remap = |old: u32| new_index[old as usize];
    let mut instrs = Vec::with_capacity(n as usize);
    let mut locs = Vec::with_capacity(n as usize);
    let mut handlers = Vec::with_capacity(n as usize);
    for (ins, &d) in kept.iter().zip(&drop) {
        if d {
            continue;
        }
        let instr = match jump_target(&ins.instr) {
            Some(t) => retarget(ins.instr, remap(resolve(t))),
            None => ins.instr,
        };
        instrs.push(instr);
        locs.push(ins.loc);
        handlers.push(ins.handler);
    }
    let starts = start
        .iter()
        .map(|&s| if s == u32::MAX { u32::MAX } else { remap(s) })
        .collect();
    ((instrs, starts), locs, handlers)
}

/// Fails (an internal error) unless every local and constant an instruction names exists:
/// the interpreter reads them without a bounds check.
pub(crate) fn check_operands(instrs: &[Instr], nlocals: usize, nconsts: usize) -> CResult<()> {
    for (pc, ins) in instrs.iter().enumerate() {
        let ok = match *ins {
            Instr::LoadFast(i) | Instr::StoreFast(i) | Instr::DeleteFast(i) => {
                (i as usize) < nlocals
            }
            Instr::LoadConst(k) => (k as usize) < nconsts,
            _ => true,
        };
        if !ok {
            return Err(Fail::syntax(
                format!("internal compiler error: {ins:?} out of range at {pc}"),
                TextRange::default(),
            ));
        }
    }
    Ok(())
}

/// Stack depth by flow analysis; fails (an internal error) on inconsistent depths.
fn max_stack_depth(instrs: &[Instr], exc_table: &[ExcEntry]) -> CResult<u32> {
    let internal = |what: String| {
        Fail::syntax(
            format!("internal compiler error: {what}"),
            TextRange::default(),
        )
    };
    let mut entry_of: Vec<Option<&ExcEntry>> = vec![None; instrs.len()];
    for e in exc_table {
        for slot in &mut entry_of[e.start as usize..e.end as usize] {
            slot.get_or_insert(e);
        }
    }
    let handler_at = |pc: usize| entry_of[pc];
    let mut depth: Vec<Option<i64>> = vec![None; instrs.len()];
    let mut max = 0i64;
    let mut work = vec![(0usize, 0i64)];
    while let Some((pc, d)) = work.pop() {
        if pc >= instrs.len() {
            return Err(internal(format!("control falls off the end at {pc}")));
        }
        match depth[pc] {
            Some(old) if old == d => continue,
            Some(old) => {
                return Err(internal(format!(
                    "stack depth {d} vs {old} at {pc} ({:?})",
                    instrs[pc]
                )))
            }
            None => depth[pc] = Some(d),
        }
        let ins = &instrs[pc];
        // The interpreter pops without checking: this is what makes that sound.
        if d < stack_inputs(ins) {
            return Err(internal(format!(
                "stack depth {d} below what {ins:?} reads at {pc}"
            )));
        }
        max = max.max(d);
        if let Some(e) = handler_at(pc) {
            if d < e.depth as i64 {
                return Err(internal(format!(
                    "handler depth {} above stack at {pc}",
                    e.depth
                )));
            }
            let hd = e.depth as i64 + e.lasti as i64 + 1;
            max = max.max(hd);
            work.push((e.target as usize, hd));
        }
        let after = d + stack_effect(ins, false);
        max = max.max(after);
        if let Some(t) = jump_target(ins) {
            let jd = d + stack_effect(ins, true);
            max = max.max(jd);
            work.push((t as usize, jd));
        }
        if !is_terminal(ins) {
            work.push((pc + 1, after));
        }
    }
    Ok(max as u32)
}

#[cfg(test)]
mod tests {
    use super::{check_operands, max_stack_depth};
    use crate::code::{BinOp, Instr};

    #[test]
    fn depth_covers_what_each_instruction_reads() {
        let ok = [
            Instr::LoadConst(0),
            Instr::LoadConst(0),
            Instr::BinaryOp(BinOp::Add),
            Instr::ReturnValue,
        ];
        assert_eq!(max_stack_depth(&ok, &[]).ok(), Some(2));
        // Net effects alone would accept this (1 - 1 = 0 after the add): the add reads two.
        let short = [
            Instr::LoadConst(0),
            Instr::BinaryOp(BinOp::Add),
            Instr::LoadConst(0),
            Instr::ReturnValue,
        ];
        assert!(max_stack_depth(&short, &[]).is_err());
        // A list append reads the list below the value it pops.
        let append = [
            Instr::BuildList(0),
            Instr::LoadConst(0),
            Instr::ListAppend(2),
            Instr::ReturnValue,
        ];
        assert!(max_stack_depth(&append, &[]).is_err());
    }

    #[test]
    fn locals_and_constants_named_must_exist() {
        let code = [Instr::LoadConst(1), Instr::StoreFast(0), Instr::LoadFast(0)];
        assert!(check_operands(&code, 1, 2).is_ok());
        assert!(check_operands(&code, 0, 2).is_err());
        assert!(check_operands(&code, 1, 1).is_err());
    }
}
