import torch

xs = [1.0, 2.0, 3.0]
x = torch.tensor(xs, requires_grad=True)
y = x.pow(3).mean()
y.backward()
print(x.grad)
print(x.grad.tolist())
print(y.item())
print(x.tolist())
print(x[1])
print(float(x[1]), int(x[2]))
print(x > 1.5)
print(x.detach().numpy().tolist() if False else x.detach().tolist())
