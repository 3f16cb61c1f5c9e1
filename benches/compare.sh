#!/usr/bin/env bash
# Runs each program of benches/programs/ under CPython 3.13 and under shadowpy (--jit=off, hot,
# all) in the same run, and prints a table of ratios: CPython's time / ours (above 1 = we are
# faster). Every program times its own measured section with time.perf_counter and prints
# "BENCH <seconds>" (and maybe "DETAIL ..." lines, shown under the table); each cell is the
# best of $REPEAT runs (default 3), because the machines are shared and noisy: compare the
# ratios, not the absolute times.
#
# Usage: benches/compare.sh [--readme] [--sweep] [PROGRAM-NAME ...]   (default: every program)
#   --readme  also write the table, with the machine, the command and the date, into README.md
#             between the markers <!-- bench-table:begin --> and <!-- bench-table:end -->
#   --sweep   also run benches/programs/depth_sweep.py (getframe, raise, f_back costs against
#             stack depth, 10 to 1,000,000) under CPython and each JIT mode, write
#             benches/results/depth_sweep.csv and draw it as docs/depth_sweep.svg
# Env: PYTHON313 (CPython 3.13; default pyenv's 3.13.0), SHADOWPY (default: target/dist, the
#      shipped build),
#      REPEAT (default 3).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
repeat=${REPEAT:-3}
readme=0
sweep=0
progs=()
for a in "$@"; do
  case "$a" in
    --readme) readme=1 ;;
    --sweep) sweep=1 ;;
    -*) echo "compare.sh: unknown option $a" >&2; exit 2 ;;
    *) progs+=("$a") ;;
  esac
done
py=${PYTHON313:-}
if [ -z "$py" ] && command -v pyenv >/dev/null 2>&1; then py=$(PYENV_VERSION=3.13.0 pyenv which python3 2>/dev/null || true); fi
if [ -z "$py" ] || ! "$py" -c 'import sys; assert sys.version_info[:2] == (3, 13)' 2>/dev/null; then
  echo "compare.sh: no CPython 3.13 found; set PYTHON313" >&2; exit 2
fi
sweep_table=""
sp=${SHADOWPY:-}
if [ -z "$sp" ]; then
  (cd "$root" && cargo build --profile dist --quiet --bin shadowpy)
  sp="${CARGO_TARGET_DIR:-$root/target}/dist/shadowpy"
fi

details=$(mktemp)
trap 'rm -f "$details"' EXIT

# best <label> <command...>: the smallest BENCH figure of $repeat runs ("fail" if any run
# fails); the DETAIL lines of the best run go to $details.
best() {
  local label=$1 b="" t out bd=""
  shift
  for _ in $(seq "$repeat"); do
    out=$("$@" 2>/dev/null) || true
    t=$(awk '$1 == "BENCH" { print $2 }' <<<"$out")
    if [ -z "$t" ]; then echo fail; return; fi
    if [ -z "$b" ] || awk -v a="$t" -v b="$b" 'BEGIN { exit !(a < b) }'; then
      b=$t
      bd=$(awk -v l="$label" '$1 == "DETAIL" { $1 = ""; print "  " l ":" $0 }' <<<"$out")
    fi
  done
  [ -n "$bd" ] && echo "$bd" >>"$details"
  echo "$b"
}

ratio() { if [ "$2" = fail ] || [ "$1" = fail ]; then echo "-"; else awk -v c="$1" -v o="$2" 'BEGIN { printf "%.2fx", c / o }'; fi; }

if [ ${#progs[@]} -eq 0 ]; then
  for f in "$here"/programs/*.py; do
    n=$(basename "$f" .py)
    # depth_sweep.py is the --sweep program (many figures, no single BENCH line).
    [ "$n" = depth_sweep ] || progs+=("$n")
  done
fi
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
machine="$(uname -sm), ${cpu:-unknown CPU}, $(nproc) cores (shared); $("$py" -V); shadowpy $(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo '?')"
date=$(date -u +%Y-%m-%d)
table=$(
  printf '%-16s %10s %10s %10s %10s %9s %9s %9s\n' program "cpython(s)" "off(s)" "hot(s)" "all(s)" "off" "hot" "all"
  for p in "${progs[@]}"; do
    f="$here/programs/$p.py"
    c=$(best "$p cpython" "$py" "$f")
    o=$(best "$p off" "$sp" --jit=off "$f")
    h=$(best "$p hot" "$sp" --jit=hot "$f")
    a=$(best "$p all" "$sp" --jit=all "$f")
    printf '%-16s %10s %10s %10s %10s %9s %9s %9s\n' "$p" "${c:0:8}" "${o:0:8}" "${h:0:8}" "${a:0:8}" \
      "$(ratio "$c" "$o")" "$(ratio "$c" "$h")" "$(ratio "$c" "$a")"
  done
)
echo "machine: $machine; $date"
echo "$table"
echo "ratio = CPython 3.13 time / shadowpy time (above 1: shadowpy is faster); best of $repeat runs"
if [ -s "$details" ]; then
  echo "details (best runs):"
  cat "$details"
fi

if [ "$sweep" = 1 ]; then
  mkdir -p "$here/results" "$root/docs"
  csv="$here/results/depth_sweep.csv"
  echo "impl,kind,depth,seconds" >"$csv"
  for impl in cpython off hot all; do
    if [ "$impl" = cpython ]; then cmd=("$py"); else cmd=("$sp" "--jit=$impl"); fi
    "${cmd[@]}" "$here/programs/depth_sweep.py" | awk -v i="$impl" '$1 == "RESULT" { print i "," $2 "," $3 "," $4 }' >>"$csv"
  done
  "$py" "$here/plot.py" "$csv" "$root/docs/depth_sweep.svg" " - $date, $(nproc) cores"
  echo "depth sweep: $csv, plot: docs/depth_sweep.svg"
  sweep_table=$(awk -F, 'NR > 1 { v[$2 " " $3, $1] = $4; if (!(($2 " " $3) in seen)) { seen[$2 " " $3] = 1; order[n++] = $2 " " $3 } }
    END { printf "  %-28s %11s %11s %11s %11s %8s\n", "kind depth", "cpython", "off", "hot", "all", "ratio"
          for (i = 0; i < n; i++) { k = order[i]
            printf "  %-28s %11.3g %11.3g %11.3g %11.3g %7.2fx\n", k, v[k, "cpython"], v[k, "off"], v[k, "hot"], v[k, "all"], (v[k, "all"] > 0 ? v[k, "cpython"] / v[k, "all"] : 0) } }' "$csv")
  echo "depth sweep, seconds per operation (ratio = CPython / --jit=all):"
  echo "$sweep_table"
fi

if [ "$readme" = 1 ]; then
  cmd="benches/compare.sh $*"
  block=$(
    echo '<!-- bench-table:begin (written by benches/compare.sh --readme; do not edit by hand) -->'
    echo
    echo "Machine: $machine. Date: $date. Command: \`$cmd\` (REPEAT=$repeat)."
    echo
    echo '```text'
    echo "$table"
    echo '```'
    echo
    echo "Ratio = CPython 3.13 time / shadowpy time (above 1: shadowpy is faster); each time is the best of $repeat runs, timed inside the program with \`time.perf_counter\`."
    if [ -s "$details" ]; then
      echo
      echo '```text'
      cat "$details"
      echo '```'
    fi
    if [ -n "$sweep_table" ]; then
      echo
      echo "Depth sweep (\`benches/programs/depth_sweep.py\`, plotted in [docs/depth_sweep.svg](docs/depth_sweep.svg)): seconds per operation, best of 3; ratio = CPython / \`--jit=all\`. getframe: per call; raise and f_back: the whole operation at that depth."
      echo
      echo '```text'
      echo "$sweep_table"
      echo '```'
    fi
    echo
    echo '<!-- bench-table:end -->'
  )
  f="$root/README.md"
  if ! grep -q '<!-- bench-table:begin' "$f"; then
    echo "compare.sh: README.md has no <!-- bench-table:begin --> marker" >&2; exit 2
  fi
  BLOCK="$block" awk '
    /<!-- bench-table:begin/ { print ENVIRON["BLOCK"]; skip = 1; next }
    /<!-- bench-table:end/ { skip = 0; next }
    !skip { print }' "$f" >"$f.tmp" && mv "$f.tmp" "$f"
  echo "README.md: table written"
fi
