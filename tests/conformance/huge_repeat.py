# Repetitions too large to build: the error CPython gives for each (OverflowError past what a
# C ssize_t holds for a str, MemoryError for what cannot be allocated), and the empty cases.
cases = [
    lambda: "ab" * (2**62),
    lambda: "ab" * (2**61),
    lambda: "\u00e9" * (2**62),
    lambda: "a" * (2**63),
    lambda: [1, 2] * (2**62),
    lambda: (1,) * (2**62),
    lambda: "" * (2**62),
    lambda: [] * (2**62),
    lambda: "ab" * -(2**70),
    lambda: (2**62) * "xy",
]
for i, case in enumerate(cases):
    try:
        r = case()
        print(i, "ok", len(r))
    except (OverflowError, MemoryError) as e:
        print(i, type(e).__name__, e)
x = [0]
try:
    x *= 2**62
except MemoryError as e:
    print("inplace", type(e).__name__, len(x))
y = []
y *= 2**62
z = [[]] * 3
z[0] *= 2**62
print(y, z, "" * (2**62 - 1), () * (2**62))
