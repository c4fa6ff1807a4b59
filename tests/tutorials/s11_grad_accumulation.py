import torch

w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
for i in range(3):
    loss = (w * 2).sum()
    loss.backward()
    print(f"after backward {i}: {w.grad}")
w.grad.zero_()
print("after zero_:", w.grad)
loss = (w ** 2).sum()
loss.backward()
print(w.grad)
w.grad = None
print(w.grad)
