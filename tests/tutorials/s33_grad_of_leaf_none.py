import torch

x = torch.tensor(1.0, requires_grad=True)
y = torch.tensor(2.0)
z = x * y
z.backward()
print(x.grad, y.grad)
print(y.requires_grad)
print(z)
print(z.item())
print(x.grad.item())
print(type(x.grad.item()))
print(x.dtype, x.shape, x.dim(), x.ndim)
