x = 42
name = "frame"
items = [1, 2]
print(f"{x}")
print(f"{x!r} {name!r} {name!s}")
print(f"[{x:>5}] [{x:<5}] [{x:^6}] [{name:>8}] [{name:<8}] [{name:^9}]")
print(f"[{x:05d}] [{x:x}] [{x:X}] [{x:o}] [{x:b}] [{x:+d}] [{-x:d}]")
print(f"{x + 1} {x * 2} {items[0] + items[1]} {len(name)}")
print(f"{items} {items!r} {None} {True} {(1, 'a')}")
print(f"{{literal}} {x}{{}}")
print(f"{name.upper()} {name[1:3]} {'%d' % x}")
d = {"k": "v"}
print(f"{d['k']} {d}")
print(f"a" f"b{x}" "c")
print(f"{'nested ' + name}")
print(f"{-5:>4}|{-5:<4}|{-5:^5}|{-5:05}")
print(f"{'':>3}|{'ab':*>5}|{'ab':-<5}|{'ab':.^6}")
