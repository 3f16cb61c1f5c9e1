#!/usr/bin/env bash
# Runs the conformance programs under valgrind memcheck, JIT code included (--smc-check=all: the
# JIT writes code), and fails on any memory error or any definite leak.
#
#   scripts/valgrind_conformance.sh           # every program of tests/conformance/ and
#                                             # ../shared/conformance/, --jit=off and --jit=all
#   scripts/valgrind_conformance.sh --short   # a handful of representative programs (CI)
#   scripts/valgrind_conformance.sh NAME...   # only these programs (names without .py)
#
# Environment: VG_MODES (default "off all"), VG_JOBS (parallel runs, default 2), VG_TIMEOUT
# (seconds per run, default 900), VG_KEEP (a folder: every valgrind log is kept there).
#
# Each program runs as the conformance harness runs it (tests/conformance.rs): by absolute path,
# with its folder as working directory, and `tests/conformance/SKIP` applies to both folders.
# Its stdout, stderr and exit status are compared with the recorded CPython results (`{DIR}`
# standing for the folder); a difference is reported beside the valgrind figures, because a
# memory error can show as wrong output, but only valgrind's findings (errors, definite leaks,
# a crash or a timeout) fail the script: thread programs may legitimately order output
# differently when valgrind serializes threads.
#
# Leaks: `--errors-for-leak-kinds=definite` makes a definite leak an error; "possibly lost"
# blocks (values point 16 bytes into their `Arc` allocation) and reachable ones (process-wide
# tables alive at exit) are not. The runtime frees objects by reference counting only, so every
# reference cycle a program leaves (a frame holding itself through its locals, an exception
# whose traceback reaches it) would show as a definite leak and hide the real ones: the runs set
# SHADOWPY_DEBUG_COLLECT_CYCLES_AT_EXIT=1, and the runtime frees, at exit, exactly the objects
# whose every reference comes from another such object (src/object/cycles.rs). What is left is
# a reference that nothing accounts for: a leak.
# scripts/valgrind.supp suppresses one known false positive (it says why).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
command -v valgrind >/dev/null || { echo "valgrind_conformance.sh: valgrind not found" >&2; exit 2; }

# Representative programs for CI (--short): the interpreter and JIT basics, big ints, tracebacks
# through JIT frames, f_locals write-through and deopt, held frame objects, generators, threads
# with frame walks, unraisable reports at exit. Each takes seconds under memcheck.
short_list="bigint_ops jit_deopt_observe jit_writethrough_hot jit_frame_held tb_uncaught_nested
gen_frames gen_finalize_at_exit thread_frames_blocked unraisable_default_report escaped_frame
jit_self_call_refs jit_global_cache jit_unwind_claims jit_unwind_segments jit_gen_drop_finally"

modes=${VG_MODES:-off all}
jobs=${VG_JOBS:-2}
limit=${VG_TIMEOUT:-900}
only=()
if [ "${1:-}" = "--short" ]; then
  read -r -a only <<<"$(echo $short_list)"
  shift
fi
only+=("$@")

# Without mimalloc (the default feature): memcheck tracks the system allocator only. A target
# directory of its own, so that the ordinary build keeps its allocator.
CARGO_TARGET_DIR=$here/target/valgrind cargo build --release --quiet --no-default-features || exit 2
bin=$here/target/valgrind/release/shadowpy
skip=$(sed 's/#.*//' tests/conformance/SKIP 2>/dev/null | tr -d ' \t' | sed 's/\.py$//' | grep -v '^$' || true)

# The list of runs: "folder name mode" per line.
runs=$(mktemp)
trap 'rm -f "$runs"' EXIT
for dir in "$here/tests/conformance" "$here/../shared/conformance"; do
  [ -d "$dir" ] || continue
  dir=$(cd "$dir" && pwd)
  for f in "$dir"/*.py; do
    n=$(basename "$f" .py)
    if printf '%s\n' "$skip" | grep -qx "$n"; then continue; fi
    if [ ${#only[@]} -gt 0 ] && ! printf '%s\n' "${only[@]}" | grep -qx "$n"; then continue; fi
    for m in $modes; do echo "$dir $n $m"; done >>"$runs"
  done
done
total_runs=$(wc -l <"$runs")
if [ "$total_runs" = 0 ]; then echo "valgrind_conformance.sh: no programs selected" >&2; exit 2; fi
echo "valgrind memcheck: $total_runs run(s), $jobs at a time, modes: $modes"

# One run; prints one line: STATUS name [--jit=mode] errors=E definite=B exit=C output=same|DIFF Ts
one() {
  local dir=$1 n=$2 m=$3 log out err start rc errors definite status output expect_code label
  label=$n
  case $dir in */shared/conformance) label=shared/$n ;; esac
  log=$(mktemp) out=$(mktemp) err=$(mktemp)
  start=$(date +%s)
  (cd "$dir" && SHADOWPY_DEBUG_COLLECT_CYCLES_AT_EXIT=1 timeout --kill-after=10 "$limit" \
      valgrind --tool=memcheck --smc-check=all --suppressions="$here/scripts/valgrind.supp" \
      --fair-sched=yes --leak-check=full --show-leak-kinds=definite \
      --errors-for-leak-kinds=definite --error-exitcode=99 --log-file="$log" \
      "$bin" --jit="$m" "$dir/$n.py" </dev/null >"$out" 2>"$err")
  rc=$?
  errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9,]*\) errors.*/\1/p' "$log" | tail -1 | tr -d ,)
  definite=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$log" | tail -1 | tr -d ,)
  expect_code=$(cat "$dir/$n.code" 2>/dev/null || echo "?")
  output=same
  # Status 99 is valgrind's own (--error-exitcode): the program's status is unknown then.
  if { [ "$rc" != 99 ] && [ "$rc" != "$expect_code" ]; } \
     || ! cmp -s "$out" <(sed "s|{DIR}|$dir|g" "$dir/$n.out") \
     || ! cmp -s "$err" <(sed "s|{DIR}|$dir|g" "$dir/$n.err"); then
    output=DIFF
  fi
  status=ok
  if [ -z "$errors" ]; then status=FAIL errors="?"; fi  # no summary: killed or timed out
  if [ "${errors:-0}" != 0 ] || [ "${definite:-0}" != 0 ] || [ "$rc" = 99 ] || [ "$rc" -ge 124 ]; then
    status=FAIL
  fi
  echo "$status $label [--jit=$m] errors=$errors definite=${definite:-0} exit=$rc output=$output $(( $(date +%s) - start ))s"
  if [ "$status" = FAIL ] || [ -n "${VG_KEEP:-}" ]; then
    local keep=${VG_KEEP:-$here/target/valgrind}
    mkdir -p "$keep"
    cp "$log" "$keep/${label//\//_}.$m.vglog"
    cp "$err" "$keep/${label//\//_}.$m.stderr"
  fi
  rm -f "$log" "$out" "$err"
}
export -f one
export bin limit here

started=$(date +%s)
results=$(mktemp)
xargs -P "$jobs" -L 1 bash -c 'one "$0" "$1" "$2"' <"$runs" | tee "$results"
failed=$(grep -c '^FAIL' "$results")
diffs=$(grep -c 'output=DIFF' "$results")
errs=$(awk '{for(i=1;i<=NF;i++) if($i ~ /^errors=[0-9]+$/){split($i,a,"="); s+=a[2]}} END{print s+0}' "$results")
programs=$(awk '{print $2}' "$results" | sort -u | wc -l)
echo "total: $programs program(s), $total_runs run(s) in $(( $(date +%s) - started ))s:" \
  "$failed failed, $errs valgrind error(s), $diffs with output differing from CPython's"
if [ "$failed" != 0 ]; then
  echo "failing runs (logs in ${VG_KEEP:-$here/target/valgrind}):"
  grep '^FAIL' "$results"
fi
rm -f "$results"
[ "$failed" = 0 ]
