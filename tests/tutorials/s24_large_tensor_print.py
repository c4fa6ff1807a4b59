import torch

torch.manual_seed(0)
print(torch.arange(2000))
print(torch.randn(3, 4, 5))
print(torch.randn(20, 20))
print(torch.arange(12).reshape(3, 4).float())
print(torch.linspace(0, 1, 11))
