# Broadcasting stretches a smaller tensor across a larger one in the forward pass.
# In the backward pass the gradient is summed back down to the smaller shape:
# every copy the forward made sends its gradient home.
import torch

rows = torch.tensor([[1.0, 2.0, 3.0],
                     [4.0, 5.0, 6.0]], requires_grad=True)   # shape (2, 3)
bias = torch.tensor([10.0, 20.0, 30.0], requires_grad=True)  # shape (3,), used by both rows
scale = torch.tensor(2.0, requires_grad=True)                # a scalar, used by all six

out = (rows + bias) * scale
print(out)
out.sum().backward()

print(rows.grad)   # each element used once, times scale: all 2
print(bias.grad)   # each element used by 2 rows: 2 * scale = 4
print(scale.grad)  # sum of everything it multiplied: sum(rows + bias)
