#!/usr/bin/env bash
# Runs the thread stress tests under valgrind memcheck (--smc-check=all: the JIT writes code)
# and fails on any error. Sizes are small: valgrind runs one thread at a time.
#
#   scripts/valgrind_stress.sh            # the stress program in every JIT mode + thread programs
#
# Prints one line per run with valgrind's error summary.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
command -v valgrind >/dev/null || { echo "valgrind_stress.sh: valgrind not found" >&2; exit 2; }
# Without mimalloc (the default global allocator): memcheck sees only malloc's heap. A separate
# target directory keeps the normal build's artefacts.
CARGO_TARGET_DIR=target/valgrind cargo build --release --quiet --no-default-features
bin=target/valgrind/release/shadowpy
vg=(valgrind --tool=memcheck --smc-check=all --fair-sched=yes --error-exitcode=99
    --suppressions="$here/scripts/valgrind.supp"
    --errors-for-leak-kinds=definite --leak-check=no)
status=0
run() {
  local log
  log=$(mktemp)
  if "${vg[@]}" --log-file="$log" "$@" >/dev/null 2>"$log.err"; then rc=0; else rc=$?; fi
  local summary
  summary=$(grep -E "ERROR SUMMARY" "$log" | tail -1 | sed 's/^==[0-9]*== //')
  echo "$* -> exit $rc; $summary"
  if [ "$rc" != 0 ] || ! grep -q "ERROR SUMMARY: 0 errors" "$log"; then
    status=1
    cat "$log" "$log.err" | head -60
  fi
  rm -f "$log" "$log.err"
}
for mode in off hot all; do
  run "$bin" --jit=$mode tests/stress/current_frames_stress.py 100 3 20 5
done
for p in tests/conformance/thread_frames_blocked.py tests/conformance/thread_frames_busy.py \
         ../shared/conformance/current_frames.py; do
  [ -f "$p" ] || continue
  for mode in off all; do
    run "$bin" --jit=$mode "$p"
  done
done
exit $status
