import torch

torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)
data = [torch.randn(3) for _ in range(4)]
total = 0
for xi in data:
    total = total + (w * xi).sum() ** 2
print(total)
total.backward()
print(w.grad)
print(len(data), data[0])
