name = "shadow"
n = 42
print("%s has %d frames" % (name, n))
print("%r and %s" % (name, name))
print("[%5d] [%-5d] [%05d] [%+d] [% d]" % (n, n, n, n, n))
print("[%x] [%X] [%o] [%#x] [%#o]" % (255, 255, 8, 255, 8))
print("[%10s] [%-10s] [%.3s]" % (name, name, name))
print("%c%c%c" % (72, "i", 33))
print("100%% sure, %d%%" % 50)
print("%s" % None, "%s" % True, "%d" % True, "%s" % [1, "a"], "%r" % [1, "a"])
print("%s and %s" % (1, 2))
print("%s" % ((1, 2),))
print("%(a)s-%(b)d" % {"a": "x", "b": 7})
print("%d" % -17, "%5d|" % -17, "%-6d|" % -17, "%03d" % -7)
print("%s" % "single")
print("%i" % 12)
print("%6d|" % 3)
for fmt, args in [("%d", "x"), ("%d %d", (1,)), ("%d", (1, 2)), ("%z", 1), ("%(k)s", {"j": 1}), ("%c", 1114112), ("%c", "ab")]:
    try:
        print(fmt % args)
    except Exception as e:
        print(type(e).__name__ + ":", e)
print("%s" % {"k": 1}, "%r" % "it's", "%r" % 'say "hi"', repr("tab\there\n"))
print("%-3s|%3s|" % ("abcd", "abcd"))
