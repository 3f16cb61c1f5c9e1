import sys
import traceback

def inner(v):
    total = v + 1
    return total // 0

def outer(v):
    return inner(v) + 1

try:
    outer(5)
except ZeroDivisionError as e:
    tb = e.__traceback__

summary = traceback.extract_tb(tb)
print(type(summary).__name__, len(summary))
for fs in summary:
    print(fs.name, fs.lineno, repr(fs.line), fs.end_lineno, fs.colno, fs.end_colno)
    print(fs.filename)
print([fs.name for fs in traceback.extract_tb(tb, limit=2)])
print([fs.name for fs in traceback.extract_tb(tb, limit=-1)])
fs = summary[2]
print(fs[0] == fs.filename, fs[1], fs[2], fs[3])
print(len(fs), list(fs)[1:])

def stack_here():
    return traceback.extract_stack()

def stack_caller():
    return stack_here()

st = stack_caller()
print(len(st))
for fs in st:
    print(fs.name, fs.lineno, fs.line, fs.end_lineno, fs.colno, fs.end_colno)

def limited():
    return traceback.extract_stack(limit=1), traceback.extract_stack(sys._getframe(1))

one, fromframe = limited()
print([(fs.name, fs.lineno) for fs in one])
print([(fs.name, fs.lineno) for fs in fromframe])

def fmt():
    return traceback.format_stack()

def fmt_caller():
    return fmt()

for entry in fmt_caller():
    print(entry, end="")
print("".join(traceback.format_stack(limit=1)), end="")

def multi():
    return traceback.extract_stack(
        limit=1)

fs = multi()[0]
print(fs.lineno, fs.end_lineno, fs.colno, fs.end_colno, repr(fs.line))
