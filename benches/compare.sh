#!/usr/bin/env bash
# Runs each program of benches/programs/ under CPython 3.13 and under shadowpy (--jit=off, hot,
# all) in the same run, and prints a table of ratios: CPython's time / ours (above 1 = we are
# faster). Every program times its own measured section with time.perf_counter and prints
# "BENCH <seconds>"; each cell is the best of $REPEAT runs (default 3), because the machines are
# shared and noisy: compare the ratios, not the absolute times.
#
# Usage: benches/compare.sh [PROGRAM-NAME ...]   (default: every program)
# Env: PYTHON313 (CPython 3.13; default pyenv's 3.13.0), SHADOWPY (default: target/release),
#      REPEAT (default 3).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
repeat=${REPEAT:-3}
py=${PYTHON313:-}
if [ -z "$py" ] && command -v pyenv >/dev/null 2>&1; then py=$(PYENV_VERSION=3.13.0 pyenv which python3 2>/dev/null || true); fi
if [ -z "$py" ] || ! "$py" -c 'import sys; assert sys.version_info[:2] == (3, 13)' 2>/dev/null; then
  echo "compare.sh: no CPython 3.13 found; set PYTHON313" >&2; exit 2
fi
sp=${SHADOWPY:-}
if [ -z "$sp" ]; then
  (cd "$root" && cargo build --release --quiet --bin shadowpy)
  sp="${CARGO_TARGET_DIR:-$root/target}/release/shadowpy"
fi

# best <command...>: the smallest BENCH figure of $repeat runs ("fail" if any run fails).
best() {
  local b="" t
  for _ in $(seq "$repeat"); do
    t=$("$@" 2>/dev/null | awk '$1 == "BENCH" { print $2 }') || true
    if [ -z "$t" ]; then echo fail; return; fi
    if [ -z "$b" ] || awk -v a="$t" -v b="$b" 'BEGIN { exit !(a < b) }'; then b=$t; fi
  done
  echo "$b"
}

ratio() { if [ "$2" = fail ] || [ "$1" = fail ]; then echo "-"; else awk -v c="$1" -v o="$2" 'BEGIN { printf "%.2fx", c / o }'; fi; }

progs=("$@")
if [ ${#progs[@]} -eq 0 ]; then
  for f in "$here"/programs/*.py; do progs+=("$(basename "$f" .py)"); done
fi
echo "machine: $(uname -m), $(nproc) cores; $("$py" -V); $(date -u +%Y-%m-%d)"
printf '%-16s %10s %10s %10s %10s %9s %9s %9s\n' program "cpython(s)" "off(s)" "hot(s)" "all(s)" "off" "hot" "all"
for p in "${progs[@]}"; do
  f="$here/programs/$p.py"
  c=$(best "$py" "$f")
  o=$(best "$sp" --jit=off "$f")
  h=$(best "$sp" --jit=hot "$f")
  a=$(best "$sp" --jit=all "$f")
  printf '%-16s %10s %10s %10s %10s %9s %9s %9s\n' "$p" "${c:0:8}" "${o:0:8}" "${h:0:8}" "${a:0:8}" \
    "$(ratio "$c" "$o")" "$(ratio "$c" "$h")" "$(ratio "$c" "$a")"
done
echo "ratio = CPython 3.13 time / shadowpy time (above 1: shadowpy is faster); best of $repeat runs"
