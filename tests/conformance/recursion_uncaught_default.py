def descend(depth, path):
    path.append(depth)
    return descend(depth + 1, path)

trail = []
try:
    descend(0, trail)
except RecursionError as e:
    print(len(trail) > 900, str(e))
descend(0, [])
