# An error on purpose: backward() on a tensor with more than one element.
# backward() needs a single number to differentiate (like a loss). For a vector,
# reduce it first (y.sum().backward()) or pass the gradient to start from.
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 2
y.sum().backward()
print("via sum():", x.grad)
y.backward()  # RuntimeError: grad can be implicitly created only for scalar outputs
print("never printed")
