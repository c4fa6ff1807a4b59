import torch

a = torch.ones(3, 1, requires_grad=True)
b = torch.arange(4.0, requires_grad=True)
c = a * b
print(c)
print(c.shape)
c.sum().backward()
print(a.grad)
print(b.grad)
w = torch.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True)
bias = torch.tensor([0.5, -0.5, 1.0], requires_grad=True)
out = (w + bias).mean()
out.backward()
print(bias.grad)
print(w.grad)
