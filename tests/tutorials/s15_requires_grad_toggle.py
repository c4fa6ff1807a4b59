import torch
torch.manual_seed(0)

a = torch.randn(2, 2)
a = ((a * 3) / (a - 1))
print(a.requires_grad)
a.requires_grad_(True)
print(a.requires_grad)
b = (a * a).sum()
print(b.grad_fn)
a.requires_grad_(False)
c = a * 2
print(c.requires_grad)
x = torch.ones(3)
x.requires_grad = True
print(x)
