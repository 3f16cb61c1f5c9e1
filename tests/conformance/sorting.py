people = [("ann", 31), ("bob", 25), ("cid", 31), ("dee", 19), ("eve", 25)]
print(sorted(people))
print(sorted(people, key=lambda p: p[1]))
print(sorted(people, key=lambda p: p[1], reverse=True))
print(sorted(people, key=lambda p: (-p[1], p[0])))
print(sorted([3, 1, 2], reverse=True), sorted("cab"), sorted((5, -1, 0)))
print(sorted({"b": 1, "a": 2}), sorted({"b": 1, "a": 2}.items(), key=lambda kv: kv[1]))
words = ["banana", "Apple", "cherry", "apple", "Banana"]
print(sorted(words), sorted(words, key=lambda w: w.lower()))
print(sorted(words, key=lambda w: len(w)), sorted(words, key=lambda w: (len(w), w)))
nums = [5, 3, 8, 1, 9, 2]
nums.sort()
print(nums)
nums.sort(reverse=True)
print(nums)
nums.sort(key=lambda n: n % 3)
print(nums)
print(sorted([]), sorted([[2, 1], [1, 2], [1]]), sorted([(1, "b"), (1, "a")]))
print(sorted([True, False, 2, -1]), sorted([-(2 ** 70), 2 ** 70, 0]))
print(min(4, 2, 8), max(4, 2, 8), min([3, 1]), max("hello"), min((5, 4)), max([1], [0, 9]))
stable = sorted([("x", 2), ("y", 1), ("z", 2), ("w", 1)], key=lambda t: t[1])
print(stable)
print(list(reversed([1, 2, 3])), list(reversed("abc")), list(reversed((1, 2))))
data = [3, 1, 2]
result = data.sort()
print(result, data)

def by_second(item):
    return item[1]

print(sorted([(1, "c"), (2, "a"), (3, "b")], key=by_second))
try:
    sorted([1, 2], key=lambda v: None if v == 1 else v)
except TypeError as e:
    print("TypeError:", e)
