import torch
import torch.nn as nn

torch.manual_seed(0)
lin = nn.Linear(3, 2)
print(lin.weight)
print(lin.bias)
print(lin)
for p in lin.parameters():
    print(p.shape, p.requires_grad)
print(sum(p.numel() for p in lin.parameters()))
x = torch.tensor([[1.0, 2.0, 3.0]])
out = lin(x)
print(out)
out.sum().backward()
print(lin.weight.grad)
print(lin.bias.grad)
print(lin.state_dict().keys())
