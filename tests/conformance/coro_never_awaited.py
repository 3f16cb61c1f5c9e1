async def job(x):
    return x

def make():
    return job(1)

make()
print("after make")
c = job(2)
c = None
print("after drop")
for i in range(3):
    job(i)
print("after loop")
c = job(3)
c.close()
print("closed ok")
