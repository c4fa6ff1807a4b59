# An error on purpose: backward() on a tensor with more than one element.
# backward() needs a single number to differentiate (like a loss). For a vector,
# reduce it first (y.sum().backward()) or pass the gradient to start from.
#
# Like Python, the script stops at the error: what it printed before is the same in gradviz
# and in PyTorch, and gradviz reports the error at its line with PyTorch's own message:
#   error_non_scalar_backward.py:15:1: RuntimeError: grad can be implicitly created only
#   for scalar outputs
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 2
y.sum().backward()
print("via sum():", x.grad)
y.backward()  # RuntimeError: grad can be implicitly created only for scalar outputs
print("never printed")
