# traceback module output for exceptions from compiled functions and for stacks of compiled frames.
import sys
import traceback

EMPTY = dict()

def fail(n, kind):
    if n == 0:
        if kind == 0:
            raise ValueError("v")
        if kind == 1:
            return EMPTY["missing"]
        if kind == 2:
            return 1 // 0
        return [1, 2][5]
    return fail(n - 1, kind) + 1

def run(kind):
    return fail(3, kind)

texts = []
for i in range(24):
    try:
        run(i % 4)
    except Exception:
        texts.append(traceback.format_exc())
for i in range(4):
    print(texts[i], end="")
print(len(set(texts)), [texts[i] == texts[i + 4] for i in range(20)].count(True))

# print_exc goes to stderr.
for i in range(20):
    try:
        run(2)
    except ZeroDivisionError:
        if i in (0, 17):
            traceback.print_exc()

# extract_tb: names, lines and source text.
summaries = []
for i in range(20):
    try:
        run(1)
    except KeyError as e:
        summaries.append([(fs.name, fs.lineno, fs.line) for fs in traceback.extract_tb(e.__traceback__)])
print(summaries[0])
print(summaries.count(summaries[0]))

# extract_stack / format_stack / print_stack from inside compiled recursion.
def observe(how):
    if how == 0:
        return [(fs.name, fs.lineno, fs.line) for fs in traceback.extract_stack()]
    if how == 1:
        return traceback.format_stack()
    if how == 2:
        return [(fs.name, fs.lineno) for fs in traceback.extract_stack(sys._getframe(1), 3)]
    traceback.print_stack()
    return None

def stack_at(n, how):
    if n > 0:
        return stack_at(n - 1, how)
    return observe(how)

for how in range(4):
    res = []
    for i in range(20):
        res.append(stack_at(3, how))
    if how == 1:
        print("".join(res[0]), end="")
    else:
        print(res[0])
    print(res.count(res[0]))

# The same from a compiled function directly (no helper frame in between).
def raw_stack(n, how):
    if n > 0:
        return raw_stack(n - 1, how)
    if how == 0:
        return traceback.extract_stack()
    if how == 1:
        return traceback.format_stack(sys._getframe(), 2)
    traceback.print_stack(sys._getframe(1))
    return None

for how in range(3):
    res = []
    for i in range(20):
        r = raw_stack(4, how)
        if how == 0:
            r = [(fs.name, fs.lineno, fs.line) for fs in r]
        res.append(r)
    print(res[0])
    print(res.count(res[0]))

# format_exception / format_exception_only on a caught exception with chaining.
def wrapper(k):
    try:
        fail(2, k)
    except Exception as e:
        raise RuntimeError("wrapped %d" % k) from e

outs = []
for i in range(20):
    try:
        wrapper(i % 2)
    except RuntimeError as e:
        outs.append("".join(traceback.format_exception(e)))
print(outs[0], end="")
print(outs[1], end="")
print(outs.count(outs[0]), outs.count(outs[1]))
print(traceback.format_exception_only(ValueError("x")))
