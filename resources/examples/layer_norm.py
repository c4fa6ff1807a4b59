# LayerNorm, as each block of a transformer uses it: every row of x is centred on its own mean
# and divided by its own standard deviation, then scaled by a weight and shifted by a bias.
# One op, NativeLayerNormBackward0, sends the gradient three ways: to x (every element of a
# row moves its mean and variance, so each gradient mixes the whole row), to the weight and
# to the bias (each summed over the rows).
import torch

norm = torch.nn.LayerNorm(4)
x = torch.tensor([[1.0, 2.0, 3.0, 6.0],
                  [0.5, -0.5, 1.5, 2.5]], requires_grad=True)
target = torch.tensor([[0.0, 0.0, 1.0, 2.0],
                       [1.0, -1.0, 0.0, 1.0]])
y = norm(x)
loss = ((y - target) ** 2).mean()
loss.backward()
print(y)
print(x.grad)
print(norm.weight.grad)
print(norm.bias.grad)
