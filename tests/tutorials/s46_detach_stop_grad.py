import torch

x = torch.tensor(3.0, requires_grad=True)
y = x ** 2
z = y.detach() * x
z.backward()
print(x.grad)
x.grad.zero_()
y = x ** 2
z = y * x
z.backward()
print(x.grad)
print(y.data, y.detach().clone())
