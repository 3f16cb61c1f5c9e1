# ok
x = 1
y = "é"
