import torch

torch.manual_seed(0)
x = torch.tensor([[1, 2], [3, 4]])
w = torch.randn(2, 2)
print(x.dtype, w.dtype)
print(x.float() @ w)
y = x @ w
