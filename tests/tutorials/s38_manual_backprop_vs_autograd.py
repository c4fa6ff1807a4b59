import torch

torch.manual_seed(0)
x = torch.randn(5, 3)
y = torch.randn(5, 2)
W = torch.randn(3, 2, requires_grad=True)
b = torch.randn(2, requires_grad=True)
h = x @ W + b
loss = ((h - y) ** 2).mean()
loss.backward()
dh = 2 * (h - y) / h.numel()
dW = x.t() @ dh
db = dh.sum(0)
print(torch.allclose(dW, W.grad), torch.allclose(db, b.grad))
print((dW - W.grad).abs().max())
print(W.grad)
print(b.grad)
