import torch

x = torch.tensor(3.0, requires_grad=True)
u = x ** 2 + 1
y = torch.log(u)
z = torch.sin(y)
z.backward()

dz_dy = torch.cos(y)
dy_du = 1 / u
du_dx = 2 * x
print("by hand:", (dz_dy * dy_du * du_dx).item())
print("autograd:", x.grad.item())
print(torch.allclose(x.grad, dz_dy * dy_du * du_dx))
print(x.grad)
print(z, y, u, sep="\n")
