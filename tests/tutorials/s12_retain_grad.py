import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 3
y.retain_grad()
z = y.pow(2).sum()
z.backward()
print(x.grad)
print(y.grad)
print(y.is_leaf, x.is_leaf, z.is_leaf)
print(y.requires_grad)
print(y.retains_grad, x.retains_grad)
