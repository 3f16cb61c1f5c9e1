//! What a frame costs a call-heavy JIT function: the same dynasm function compiled three ways,
//! in the same run.
//!
//! The function is recursive `fib(n)` on tagged small-int words (`2i + 1`, the crate's `Value`
//! encoding) with the guards a baseline JIT emits (tag test, overflow `jo`), its argument and
//! partial result in native stack slots, and a direct native call per Python call:
//!
//! - `floor`: no frame at all (for measurement only: nothing could observe it);
//! - `shadow`: the product: a two-word shadow frame pushed and popped with the crate's public
//!   emitters (`jit::emit::emit_shadow_push` / `emit_shadow_pop`, `r15 = ThreadState`) and the
//!   epilogue's one-instruction hand-off test (`emit_materialized_test`);
//! - `eager`: what the design avoids: a full `InterpreterFrame` per call, taken from the
//!   thread's frame pool (the crate's own recycling allocator, so cheaper than a fresh heap
//!   allocation), filled (code, function, globals, locals, value stack), linked on the shadow
//!   stack, and handed off and released at exit, through two runtime helpers, as an interpreter
//!   that keeps frames eagerly would.
//!
//! The targets: `shadow` within 10% of `floor`, and at least 3x faster than `eager`; the ratios
//! are printed at the end. Run: `cargo bench --features internals --bench push_pop` (the
//! `eager` variant pushes its frames through `shadowframe::internals`, which is not API).

/// The allocator `shadowpy` runs with (the eager variant's frames come from the frame pool).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOC: shadowframe::alloc::Mimalloc = shadowframe::alloc::Mimalloc;

#[cfg(target_arch = "x86_64")]
mod jit {
    use dynasmrt::x64::Assembler;
    use dynasmrt::{dynasm, DynasmApi, DynasmLabelApi, ExecutableBuffer};
    use shadowframe::code::CodeObject;
    use shadowframe::internals::{pop_eager_frame, push_eager_frame, EagerFrame};
    use shadowframe::jit::emit::{
        emit_materialized_test, emit_shadow_pop, emit_shadow_push, jit_shadow_data,
    };
    use shadowframe::object::Value;
    use shadowframe::thread::ThreadState;
    use std::sync::Arc;

    /// How each activation keeps (or does not keep) a frame.
    #[derive(Clone, Copy, Debug)]
    pub enum Frames {
        /// None.
        Floor,
        /// A shadow frame (the product).
        Shadow,
        /// A full interpreter frame per call.
        Eager,
    }

    /// The native frame (`rbp`-relative; 16-byte aligned as `rsp` is at every call):
    /// `rbp - 16` the shadow frame (Shadow) or the frame pointer (Eager), `rbp - 24` the
    /// argument word, `rbp - 32` the partial result.
    const SF: i32 = -16;
    const ARG: i32 = -24;
    const PART: i32 = -32;
    const FRAME_SIZE: i32 = 32;

    /// The pointee of the `shadow` variant's shadow frames (a JIT code info stand-in:
    /// 16-byte aligned, alive for the whole process; nothing reads it since nothing observes).
    #[repr(align(16))]
    struct Info;
    static INFO: Info = Info;

    /// Compiled `fib`: `entry(ts, n_word) -> result_word`.
    pub struct Compiled {
        _buf: ExecutableBuffer,
        entry: extern "C" fn(*mut ThreadState, usize) -> usize,
    }

    impl Compiled {
        /// `fib(n)` (small ints only), on `ts`'s shadow stack.
        pub fn run(&self, ts: &mut ThreadState, n: i64) -> i64 {
            let r = (self.entry)(ts, (n as usize) << 1 | 1);
            assert!(r & 1 == 1, "fib stayed in small ints: {r:#x}");
            (r as i64) >> 1
        }
    }

    /// The `eager` variant's code object and its pushes.
    struct EagerCtx {
        code: Arc<CodeObject>,
    }

    static EAGER: std::sync::OnceLock<EagerCtx> = std::sync::OnceLock::new();

    /// Pushes a full interpreter frame for `fib(n)`: from the pool, filled, linked. Returns it.
    extern "C" fn eager_push(ts: *mut ThreadState, n: usize) -> *mut EagerFrame {
        // SAFETY: the JIT passes the thread state it runs on (pinned in r15), ours alone.
        let ts = unsafe { &mut *ts };
        let code = &EAGER.get().expect("eager code").code;
        // SAFETY: `n` is a small-int word (an immediate: owns nothing).
        let n = unsafe { Value::from_bits(n) };
        push_eager_frame(ts, code, &[n])
    }

    /// Pops the frame `eager_push` returned: hand off (as the interpreter does at every
    /// return), unlink, back to the pool.
    extern "C" fn eager_pop(ts: *mut ThreadState, f: *mut EagerFrame) {
        // SAFETY: as in `eager_push`; `f` is the frame it returned, still linked on top.
        unsafe { pop_eager_frame(&mut *ts, f) }
    }

    /// The hand-off path of the `shadow` variant: never taken here (nothing observes).
    extern "C" fn observed() {
        eprintln!("push_pop: an activation was observed");
        std::process::abort();
    }

    /// Compiles `fib` with the frames of `how`.
    pub fn compile(how: Frames) -> Compiled {
        if matches!(how, Frames::Eager) {
            EAGER.get_or_init(|| {
                let src = "def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n";
                let module = shadowframe::compile::compile_module(src, "<push_pop>").expect("compiles");
                let code = module
                    .consts
                    .iter()
                    .filter_map(Value::as_code)
                    .find(|c| &*c.name == "fib")
                    .expect("fib")
                    .clone();
                EagerCtx { code }
            });
        }
        let mut ops = Assembler::new().expect("assembler");
        let fib = ops.new_dynamic_label();
        let bail = ops.new_dynamic_label();

        // entry(ts, n): pin r15 = ts (callee-saved), call fib(n).
        let entry = ops.offset();
        dynasm!(ops
            ; .arch x64
            ; push rbp
            ; mov rbp, rsp
            ; push r15
            ; sub rsp, 8
            ; mov r15, rdi
            ; mov rdi, rsi
            ; call =>fib
            ; add rsp, 8
            ; pop r15
            ; pop rbp
            ; ret
        );

        dynasm!(ops
            ; .arch x64
            ; =>fib
            ; push rbp
            ; mov rbp, rsp
            ; sub rsp, FRAME_SIZE
            ; mov [rbp + ARG], rdi
        );
        match how {
            Frames::Floor => {}
            Frames::Shadow => emit_shadow_push(&mut ops, SF, jit_shadow_data(&INFO)),
            Frames::Eager => {
                dynasm!(ops
                    ; .arch x64
                    ; mov rsi, rdi
                    ; mov rdi, r15
                    ; mov rax, QWORD eager_push as *const () as i64
                    ; call rax
                    ; mov [rbp + SF], rax
                    ; mov rdi, [rbp + ARG]
                );
            }
        }
        // Body: if n < 2 (tag guard, then a compare of tagged words): return n;
        // else fib(n - 1) + fib(n - 2) with overflow guards.
        dynasm!(ops
            ; .arch x64
            ; test dil, 1
            ; jz =>bail
            ; cmp rdi, 5            // the word of 2
            ; jge >recurse
            ; mov rax, rdi
            ; jmp >out
            ; recurse:
            ; sub rdi, 2            // n - 1 on words: (2n + 1) - 2
            ; jo =>bail
            ; call =>fib
            ; mov [rbp + PART], rax
            ; mov rdi, [rbp + ARG]
            ; sub rdi, 4            // n - 2
            ; jo =>bail
            ; call =>fib
            ; mov rcx, [rbp + PART]
            ; sub rcx, 1            // (a - 1) + b = 2(x + y) + 1
            ; add rax, rcx
            ; jo =>bail
            ; out:
        );
        match how {
            Frames::Floor => {}
            Frames::Shadow => {
                let handoff = ops.new_dynamic_label();
                emit_materialized_test(&mut ops, SF);
                // The pop clobbers rax: the result waits in rdx.
                dynasm!(ops ; .arch x64 ; jnz =>handoff ; mov rdx, rax);
                emit_shadow_pop(&mut ops, SF);
                dynasm!(ops
                    ; .arch x64
                    ; mov rax, rdx
                    ; mov rsp, rbp
                    ; pop rbp
                    ; ret
                    // Never taken (nothing observes): `observed` does not return.
                    ; =>handoff
                    ; mov rcx, QWORD observed as *const () as i64
                    ; call rcx
                    ; ud2
                );
            }
            Frames::Eager => {
                dynasm!(ops
                    ; .arch x64
                    ; mov [rbp + PART], rax
                    ; mov rdi, r15
                    ; mov rsi, [rbp + SF]
                    ; mov rax, QWORD eager_pop as *const () as i64
                    ; call rax
                    ; mov rax, [rbp + PART]
                );
            }
        }
        if !matches!(how, Frames::Shadow) {
            dynasm!(ops
                ; .arch x64
                ; mov rsp, rbp
                ; pop rbp
                ; ret
            );
        }
        // A failed guard: the bench never leaves small ints; a real JIT would deoptimize.
        dynasm!(ops
            ; .arch x64
            ; =>bail
            ; ud2
        );
        let buf = ops.finalize().expect("finalize");
        // SAFETY: `entry` is the start of the entry stub above, which follows the System V
        // ABI with this signature; the buffer lives as long as the returned `Compiled`.
        let entry = unsafe {
            std::mem::transmute::<*const u8, extern "C" fn(*mut ThreadState, usize) -> usize>(
                buf.ptr(entry),
            )
        };
        Compiled { _buf: buf, entry }
    }
}

#[cfg(target_arch = "x86_64")]
fn main() {
    use criterion::{BenchmarkId, Criterion};
    use jit::Frames;
    use shadowframe::thread::ThreadState;
    use std::time::{Duration, Instant};

    const N: i64 = 25;
    let mut c = Criterion::default().configure_from_args();
    let mut ts = ThreadState::new();
    let variants = [Frames::Floor, Frames::Shadow, Frames::Eager];
    let compiled: Vec<_> = variants.iter().map(|&v| jit::compile(v)).collect();
    for code in &compiled {
        assert_eq!(code.run(&mut ts, N), 75025);
        assert!(ts.shadow_top.is_null(), "every frame was popped");
    }
    let mut g = c.benchmark_group("push_pop");
    g.sample_size(20).measurement_time(Duration::from_secs(2));
    for (v, code) in variants.iter().zip(&compiled) {
        g.bench_function(BenchmarkId::new(format!("{v:?}").to_lowercase(), N), |b| {
            b.iter(|| code.run(&mut ts, std::hint::black_box(N)))
        });
    }
    g.finish();

    // The ratios, interleaved so that machine noise spreads over all three: best of 15 rounds.
    let calls = 2 * 75025 - 1; // activations of fib(25)
    let mut best = [f64::MAX; 3];
    for _ in 0..15 {
        for (i, code) in compiled.iter().enumerate() {
            let t = Instant::now();
            for _ in 0..4 {
                std::hint::black_box(code.run(&mut ts, std::hint::black_box(N)));
            }
            best[i] = best[i].min(t.elapsed().as_secs_f64() / (4.0 * calls as f64));
        }
    }
    println!("\npush_pop: per call of fib({N}) (best of 15 interleaved rounds, same run)");
    for (v, b) in variants.iter().zip(best) {
        println!(
            "  {:<8} {:>7.2} ns/call",
            format!("{v:?}").to_lowercase(),
            b * 1e9
        );
    }
    println!(
        "  shadow over floor: {:+.1}% (target <= +10%); eager / shadow: {:.2}x (target >= 3x)\n",
        (best[1] / best[0] - 1.0) * 100.0,
        best[2] / best[1]
    );
    c.final_summary();
}

#[cfg(not(target_arch = "x86_64"))]
fn main() {
    eprintln!("push_pop: this bench generates x86-64 code");
}
