import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = (x ** 2).sum()
(g,) = torch.autograd.grad(y, x)
print(g)
print(x.grad)
a = torch.tensor(3.0, requires_grad=True)
b = torch.tensor(4.0, requires_grad=True)
f = a * b + a ** 2
da, db = torch.autograd.grad(f, [a, b])
print(da, db)
