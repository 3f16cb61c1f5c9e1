def convert(text):
    try:
        return int(text)
    except ValueError:
        raise TypeError("expected digits, got %r" % text) from None

print(convert("7"))
convert("seven")
