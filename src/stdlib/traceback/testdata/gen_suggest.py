"""Generates suggest_cases.rs: CPython 3.13's `_suggestions._generate_suggestions` answers.

Usage: PYENV_VERSION=3.13.0 python3 gen_suggest.py > suggest_cases.rs
"""
import random, sys, builtins, _suggestions

random.seed(13)
ALPHA = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789"

def mutate(w):
    w = list(w)
    for _ in range(random.randint(0, 3)):
        op = random.randint(0, 4)
        i = random.randrange(len(w) + 1)
        if op == 0 and w:
            del w[min(i, len(w) - 1)]
        elif op == 1:
            w.insert(i, random.choice(ALPHA))
        elif op == 2 and w:
            j = min(i, len(w) - 1)
            w[j] = w[j].swapcase()
        elif op == 3 and len(w) > 1:
            j = min(i, len(w) - 2)
            w[j], w[j + 1] = w[j + 1], w[j]
        elif w:
            w[min(i, len(w) - 1)] = random.choice(ALPHA)
    return "".join(w) or "x"

def rust_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

base = list(builtins.__dict__) + ["value", "values", "counter", "count", "Count", "item", "items",
        "résumé", "naïve", "日本", "a" * 45, "a" * 44 + "b", "x", "y", "xy", "self_", "_private"]
cases = []
for _ in range(250):
    cands = random.sample(base, random.randint(0, 16))
    if cands and random.random() < 0.8:
        wrong = mutate(random.choice(cands))
    else:
        wrong = mutate(random.choice(base))
    cases.append((cands, wrong, _suggestions._generate_suggestions(cands, wrong)))
# the size cutoff: 749 candidates still answer, 750 do not
many = ["name%d" % i for i in range(749)] + ["prnt"]
cases.append((many[:749] + ["print"], "prnt", _suggestions._generate_suggestions(many[:749] + ["print"], "prnt")))
cases.append((many[:748] + ["print"], "prnt", _suggestions._generate_suggestions(many[:748] + ["print"], "prnt")))
out = ["// Generated from CPython 3.13 by `testdata/gen_suggest.py`: do not edit.\n\n",
       "/// (candidates, wrong name, suggestion)\n",
       "pub(super) const CASES: &[(&[&str], &str, Option<&str>)] = &[\n"]
for cands, wrong, sugg in cases:
    out.append("    (&[%s], %s, %s),\n" % (", ".join(rust_str(c) for c in cands), rust_str(wrong),
               "None" if sugg is None else "Some(%s)" % rust_str(sugg)))
out.append("];\n")
sys.stdout.write("".join(out))
