import torch

a = torch.tensor(2.0, requires_grad=True)
b = a * 5
c = b ** 2
c.backward()
print(a.grad)
print(b.grad)
print(c.grad_fn.next_functions)
