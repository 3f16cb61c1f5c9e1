# str.expandtabs with tab sizes at and past the ends of a C int, negative and zero sizes.
for size in [8, 0, -3, 1, 2**31 - 1, 2**31, -(2**31), -(2**31) - 1, 2**62, 2**100]:
    # (A tab at the largest size would build gigabytes.)
    for s in ["a", "a\tb", "\t\tx\ny\tz"] if size < 2**31 - 1 else ["a", "ab\nc"]:
        try:
            r = s.expandtabs(size)
            print(size, repr(r) if len(r) < 40 else len(r))
        except (OverflowError, MemoryError) as e:
            print(size, type(e).__name__, e)
print("x\ty".expandtabs(tabsize=4), "x\ty".expandtabs())
