import torch

# Older tutorials (PyTorch 0.4 era) zero gradients through .data
torch.manual_seed(0)
x = torch.tensor([[1.0], [2.0], [3.0]])
y = torch.tensor([[2.0], [4.0], [6.0]])
w = torch.tensor([[0.5]], requires_grad=True)
for epoch in range(3):
    loss = ((x @ w - y) ** 2).mean()
    loss.backward()
    print(epoch, loss.item(), w.grad)
    w.data -= 0.05 * w.grad.data
    w.grad.data.zero_()
print(w)
