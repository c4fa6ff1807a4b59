# Filling a tensor in a loop writes into it in place, and PyTorch records every write
# (CopySlices), so the gradient still reaches x. The graph shows out once per version:
# each write reads the version before it, and that version gets the gradient of the places
# the write did not cover.
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
out = torch.zeros(3)
for i in range(3):
    out[i] = x[i] ** 2

loss = out.sum()
loss.backward()

print(out)
print(x.grad)  # d loss / d x = 2·x
