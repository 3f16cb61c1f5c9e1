# The tracing attributes of frames of compiled functions (no tracer installed): f_trace is None,
# f_trace_lines is True, f_trace_opcodes is False.
import sys

def tracing_flags():
    f = sys._getframe()
    return f.f_trace, f.f_trace_opcodes, f.f_trace_lines

res = []
for i in range(20):
    res.append(tracing_flags())
print(res[0], res.count(res[0]))
