def step1():
    raise KeyError("k1")

def step2():
    try:
        step1()
    except KeyError as e:
        raise IndexError("i2") from e

def step3():
    try:
        step2()
    except IndexError:
        raise ValueError("v3")

def step4():
    try:
        step3()
    except ValueError:
        raise RuntimeError("r4") from None

def step5():
    try:
        step4()
    except RuntimeError:
        raise OSError("o5")

step5()
