# Loads of locals compiled without their unbound check where every path binds them first:
# every other load must still raise UnboundLocalError exactly where CPython does.
import sys


def branches(c):
    if c:
        x = 1
    else:
        y = 2
    try:
        return x
    except UnboundLocalError as e:
        return "unbound: %s" % e


def loop_var(n):
    for i in range(n):
        pass
    return i


def deleted(a):
    total = a
    del a
    total += 1
    try:
        return a
    except UnboundLocalError as e:
        return "%s (total %d)" % (e, total)


def in_handler(k):
    try:
        if k:
            raise KeyError(k)
        v = 10
    except KeyError:
        try:
            return v
        except UnboundLocalError as e:
            return str(e)
    return v


def while_loop(n):
    count = 0
    while n:
        count += 1
        last = n
        n -= 1
    try:
        return count, last
    except UnboundLocalError as e:
        return count, str(e)


def via_f_locals():
    x = 1
    sys._getframe().f_locals["y"] = 5
    try:
        return y
    except NameError as e:
        return type(e).__name__


def rebound_in_loop(n):
    acc = []
    for i in range(n):
        if i % 2:
            del_me = i
            acc.append(del_me)
            del del_me
        try:
            acc.append(del_me)
        except UnboundLocalError:
            acc.append(-1)
    return acc


for _ in range(3):
    print(branches(True), branches(False))
    print(loop_var(3))
    try:
        print(loop_var(0))
    except UnboundLocalError as e:
        print("UnboundLocalError:", e)
    print(deleted(5))
    print(in_handler(0), in_handler(1))
    print(while_loop(3), while_loop(0))
    print(via_f_locals())
    print(rebound_in_loop(5))
