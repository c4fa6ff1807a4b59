import torch
import torch.nn.functional as F

x = torch.tensor([[1.0, 2.0, 3.0]])
print(F.softmax(x, dim=1))
print(F.softmax(x))
