import traceback
fs = traceback.FrameSummary("a.py", 3, "f", line="x = 1")
print(fs, fs.lineno, fs.line)
ss = traceback.StackSummary.from_list([fs, ("b.py", 4, "g", "y")])
print("".join(ss.format()))
print(type(ss).__name__, len(ss))
try:
    traceback.FrameSummary("a.py")
except TypeError as e:
    print("TypeError", e)
try:
    traceback.FrameSummary("a.py", 1, "f", True, None, "x", 1, 2, 3, 4)
except TypeError as e:
    print("TypeError", e)
try:
    traceback.StackSummary.from_list(5)
except TypeError as e:
    print("TypeError", e)
print(traceback.StackSummary.from_list([]).format())
