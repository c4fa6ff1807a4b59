import torch

x = torch.tensor([-2.0, -0.5, 0.0, 0.5, 2.0], requires_grad=True)
torch.relu(x).sum().backward()
print(x.grad)
x.grad = None
torch.sigmoid(x).sum().backward()
print(x.grad)
x.grad = None
torch.tanh(x).sum().backward()
print(x.grad)
x.grad = None
x.abs().sum().backward()
print(x.grad)
x.grad = None
torch.nn.functional.leaky_relu(x, 0.1).sum().backward()
print(x.grad)
