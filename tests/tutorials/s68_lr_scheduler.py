import torch
import torch.nn as nn
from torch.optim.lr_scheduler import StepLR

# A training loop with a learning-rate schedule: the rate drops tenfold every 3 epochs.
torch.manual_seed(0)
model = nn.Linear(2, 1)
x = torch.tensor([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]])
y = torch.tensor([[1.0], [0.0], [2.0]])
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scheduler = StepLR(optimizer, step_size=3, gamma=0.1)
for epoch in range(7):
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()
    scheduler.step()
    print(epoch, round(loss.item(), 6), scheduler.get_last_lr())
cosine = torch.optim.lr_scheduler.CosineAnnealingLR(torch.optim.Adam(model.parameters(), lr=0.01), T_max=5)
cosine.step()
print(cosine.get_last_lr(), cosine.last_epoch, type(scheduler))
print(model.weight, model.bias)
