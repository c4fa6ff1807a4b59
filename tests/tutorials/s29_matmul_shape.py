import torch

torch.manual_seed(0)
a = torch.randn(3, 4)
b = torch.randn(3, 4)
print(a.shape, b.shape)
c = a @ b
