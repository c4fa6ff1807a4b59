# Only leaf tensors (made by you, requires_grad=True) keep their .grad after backward().
# Intermediate ("non-leaf") tensors pass the gradient on and drop it, unless you ask
# them to keep it with retain_grad().
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
h = x * 3          # non-leaf: made by an op, so it has a grad_fn
h.retain_grad()    # keep h.grad after backward()
y = (h ** 2).sum()

print("x is a leaf:", x.is_leaf, "| h is a leaf:", h.is_leaf)
print("h.grad_fn:", h.grad_fn.name())
print("h retains grad:", h.retains_grad)

y.backward()

# dy/dh = 2 * h, and dh/dx = 3, so dy/dx = 3 * 2 * h = 18 * x.
print("h.grad:", h.grad)
print("x.grad:", x.grad)
