# shadowframe JIT trampolines (x86-64, System V, Intel syntax).
#
# Assembled through `global_asm!` in src/jit/trampoline.rs, which supplies the named const operands
# (field offsets of JitThreadState, computed by offset_of!, so they cannot drift from the Rust
# struct). asm/README.md is the specification of everything here.
#
# Pinned registers while JIT code runs:
#   r15 = *mut ThreadState      (shadow_top at offset 0)
#   r14 = *mut JitThreadState   (= r15 + 8: last_pc, last_fp, entry_fp, pending)
#   [r15 + {POLL}] = the safepoint poll byte (nonzero: a handshake is pending)
#   rbp = frame base of the running JIT activation
#   r12 = the thread's shadow-stack top (ThreadState.shadow_top, at [r15 + 0]) and
#   r13 = its recursion headroom (ThreadState.headroom, at [r15 + {HEADROOM}]): JIT code
#         pushes and counts its frames in the registers, which carry no store-to-load
#         dependency from one call to the next; the words in memory are current whenever
#         anything else may read or change them (loaded at entry, stored at exit, stored
#         before and reloaded after every runtime call: src/jit/pinned.rs)

    .text

# usize shadowframe_jit_enter(ThreadState *ts,        rdi
#                             JitThreadState *jit,    rsi
#                             void *entry,            rdx
#                             usize func,             rcx  (borrowed Value word)
#                             usize globals,          r8   (borrowed Value word)
#                             usize *args)            r9   (argcount owned Value words)
#
# Calls entry(func, globals, args) with r15/r14 pinned and returns its result (an owned Value
# word, or 0 = error with JitThreadState.pending set).
#
# Frame (rbp-relative), see asm/README.md "Entry trampoline":
#   +8 return address, +0 saved rbp, -8..-40 rbx r12 r13 r14 r15,
#   -48 saved last_pc, -56 saved last_fp, -64 saved entry_fp   (rsp = rbp - 64, aligned)
    .p2align 4
    .globl shadowframe_jit_enter
    .type shadowframe_jit_enter,@function
# shadowframe_jit_resume is the same code under a second name, for resuming a compiled
# generator: `entry(fp, sent, mode)` returns rax = value word (0 = error) and rdx = 1 if it
# yielded, 0 if it returned. Nothing below touches rdx after the call, so the pair comes back.
    .globl shadowframe_jit_resume
    .type shadowframe_jit_resume,@function
shadowframe_jit_enter:
shadowframe_jit_resume:
    .cfi_startproc
    push rbp
    .cfi_def_cfa_offset 16
    .cfi_offset rbp, -16
    mov rbp, rsp
    .cfi_def_cfa_register rbp
    push rbx
    push r12
    push r13
    push r14
    push r15
    .cfi_offset rbx, -24
    .cfi_offset r12, -32
    .cfi_offset r13, -40
    .cfi_offset r14, -48
    .cfi_offset r15, -56
    # Save the anchor of the segment we interrupt (a JIT activation blocked in a runtime call
    # that re-entered the runtime), and the outer entry link: a walker follows them from here.
    push qword ptr [rsi + {LAST_PC}]
    push qword ptr [rsi + {LAST_FP}]
    push qword ptr [rsi + {ENTRY_FP}]
    mov r15, rdi
    mov r14, rsi
    mov r12, qword ptr [r15]
    mov r13, qword ptr [r15 + {HEADROOM}]
    xor eax, eax
    mov qword ptr [r14 + {LAST_PC}], rax
    mov qword ptr [r14 + {LAST_FP}], rax
    # Publish this trampoline as the innermost entry last: the first JIT frame will save this
    # rbp as its caller's rbp, which is how a walker recognises the end of a JIT segment.
    mov qword ptr [r14 + {ENTRY_FP}], rbp
    mov rax, rdx
    mov rdi, rcx
    mov rsi, r8
    mov rdx, r9
    call rax
    # The pinned words back to memory.
    mov qword ptr [r15], r12
    mov qword ptr [r15 + {HEADROOM}], r13
    # rax = result; restore the interrupted segment's anchor and the outer entry link.
    pop qword ptr [r14 + {ENTRY_FP}]
    pop qword ptr [r14 + {LAST_FP}]
    pop qword ptr [r14 + {LAST_PC}]
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbx
    pop rbp
    .cfi_def_cfa rsp, 8
    ret
    .cfi_endproc
    .size shadowframe_jit_enter, .-shadowframe_jit_enter

# shadowframe_jit_rt_call: JIT code calls a runtime helper through here.
#
# In:  r11 = helper address; rdi, rsi, rdx, rcx, r8, r9 = the helper's arguments;
#      rsp 16-byte aligned before the `call` (the JIT frame has a fixed size), so 8 mod 16 here.
# Out: rax (and rdx) = the helper's return value. Clobbers what a System V call clobbers.
#
# Records the caller's return address and frame pointer as the thread's anchor before the helper
# runs (a stack walk inside the helper finds the innermost JIT activation and its exact call
# site from them), and clears the anchor after it returns.
    .p2align 4
    .globl shadowframe_jit_rt_call
    .type shadowframe_jit_rt_call,@function
shadowframe_jit_rt_call:
    .cfi_startproc
    mov rax, qword ptr [rsp]
    mov qword ptr [r14 + {LAST_PC}], rax
    mov qword ptr [r14 + {LAST_FP}], rbp
    # The runtime reads and changes the pinned words in memory (a deoptimized frame, a limit
    # refreshed by a handshake): they go there for the call and come back after.
    mov qword ptr [r15], r12
    mov qword ptr [r15 + {HEADROOM}], r13
    sub rsp, 8
    .cfi_adjust_cfa_offset 8
    call r11
    # Safepoint on the way back (one load, one not-taken branch): the anchor is still set, so
    # a handshake served here sees the caller at the call site it is returning to.
    cmp byte ptr [r15 + {POLL}], 0
    jne 2f
1:
    add rsp, 8
    .cfi_adjust_cfa_offset -8
    mov r12, qword ptr [r15]
    mov r13, qword ptr [r15 + {HEADROOM}]
    mov qword ptr [r14 + {LAST_PC}], 0
    mov qword ptr [r14 + {LAST_FP}], 0
    ret
2:
    .cfi_adjust_cfa_offset 8
    # Keep the helper's result (rax, rdx) across the handshake; rsp stays 16-byte aligned.
    push rax
    .cfi_adjust_cfa_offset 8
    push rdx
    .cfi_adjust_cfa_offset 8
    mov rdi, r15
    call {SAFEPOINT}
    pop rdx
    .cfi_adjust_cfa_offset -8
    pop rax
    .cfi_adjust_cfa_offset -8
    jmp 1b
    .cfi_endproc
    .size shadowframe_jit_rt_call, .-shadowframe_jit_rt_call
