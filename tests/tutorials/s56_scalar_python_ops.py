import torch
import math

x = torch.tensor(0.5, requires_grad=True)
y = 2 * x + math.pi
z = y / 3 - 1
w = torch.sqrt(z ** 2 + 1)
w.backward()
print(x.grad)
print(w)
print(1 / x)
print(x ** -1)
print(torch.exp(torch.tensor(1.0)), math.e)
print(torch.tensor(math.pi))
print(round(w.item(), 3))
