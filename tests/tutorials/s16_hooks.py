import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 2
def print_grad(grad):
    print("grad of y:", grad)
h = y.register_hook(print_grad)
z = (y ** 2).sum()
z.backward()
print(x.grad)
h.remove()
x.grad = None
z = (x * 2).pow(2).sum()
x.register_hook(lambda g: g * 10)
z.backward()
print(x.grad)
