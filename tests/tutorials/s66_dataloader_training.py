import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

# A training loop as tutorials write it: a dataset, a shuffled loader, minibatches.
torch.manual_seed(0)
X = torch.randn(50, 3)
true_w = torch.tensor([[2.0], [-1.0], [0.5]])
y = X @ true_w + 0.1 * torch.randn(50, 1)
dataset = TensorDataset(X, y)
loader = DataLoader(dataset, batch_size=16, shuffle=True)
print(len(dataset), len(loader), loader.batch_size)
model = nn.Linear(3, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.MSELoss()
for epoch in range(4):
    total = 0.0
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(xb)
    print(epoch, total / len(dataset))
print(model.weight, model.bias)
xb, yb = next(iter(DataLoader(dataset, batch_size=4)))
print(xb.shape, yb[:2])
g = torch.Generator().manual_seed(42)
print([batch[1].squeeze(1) for batch in DataLoader(dataset, batch_size=20, shuffle=True, generator=g, drop_last=True)])
