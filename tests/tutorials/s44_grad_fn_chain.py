import torch

x = torch.tensor(2.0, requires_grad=True)
y = x * 3
z = y.exp()
w = z.sum()
print(w.grad_fn)
print(w.grad_fn.next_functions)
print(w.grad_fn.next_functions[0][0].next_functions)
print(y)
print(z)
print(x.grad_fn)
print(type(y.grad_fn).__name__ if False else y.grad_fn.name())
