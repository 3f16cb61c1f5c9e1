import sys

top = 1
f = sys._getframe()
print(type(f.f_locals).__name__, f.f_locals is globals(), f.f_locals is f.f_globals)
f.f_locals["made_here"] = 5
print(made_here)

def write_module(name, value):
    sys._getframe(1).f_locals[name] = value

write_module("from_func", "ok")
print(from_func)
write_module("top", 2)
print(top)

def module_frame_of_caller():
    return sys._getframe(1).f_locals is globals()

print(module_frame_of_caller())
print([k for k in sorted(f.f_locals) if not k.startswith("__")])
print(locals() is f.f_locals)
