import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
with torch.no_grad():
    y = x * 2
print(y)
print(y.requires_grad, y.grad_fn)
z = x.detach()
print(z)
print(z.requires_grad)
z[0] = 100.
print(x)
print(torch.is_grad_enabled())
with torch.no_grad():
    print(torch.is_grad_enabled())
torch.set_grad_enabled(False)
w = x + 1
print(w.requires_grad)
torch.set_grad_enabled(True)
w = x + 1
print(w)
with torch.enable_grad():
    print((x * x).grad_fn)
