import torch
import torch.nn as nn

torch.manual_seed(0)
lin = nn.Linear(4, 3)
nn.init.zeros_(lin.bias)
nn.init.ones_(lin.weight)
print(lin.weight, lin.bias)
nn.init.xavier_uniform_(lin.weight)
print(lin.weight)
nn.init.kaiming_normal_(lin.weight)
print(lin.weight)
nn.init.normal_(lin.weight, mean=0.0, std=0.01)
print(lin.weight)
nn.init.constant_(lin.bias, 0.1)
print(lin.bias)
