import torch
import torch.nn as nn

torch.manual_seed(0)
layer = nn.Linear(4, 2)
print(layer.weight.shape, layer.bias.shape)
x = torch.randn(3, 5)
out = layer(x)
