def area(width, height):
    return width * height

def describe(shape):
    return "area %d" % area(shape[0])

print(area(2, 3))
print(describe((4, 5)))
