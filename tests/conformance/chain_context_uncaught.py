def parse(text):
    return int(text)

def load(text):
    try:
        return parse(text)
    except ValueError:
        fallback = {}
        return fallback[text]

print(load("12"))
load("abc")
