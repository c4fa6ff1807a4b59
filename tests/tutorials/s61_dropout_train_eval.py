import torch
import torch.nn as nn
import torch.nn.functional as F

# The classic MLP with dropout: train mode drops, eval mode does not.
torch.manual_seed(0)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(6, 16)
        self.dropout = nn.Dropout(0.25)
        self.fc2 = nn.Linear(16, 3)

    def forward(self, x):
        x = F.relu(self.fc1(x))
        x = self.dropout(x)
        return self.fc2(x)


model = Net()
print(model)
x = torch.randn(8, 6)
target = torch.randint(0, 3, (8,))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
for epoch in range(5):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(x), target)
    loss.backward()
    optimizer.step()
    print(epoch, loss.item())
print(model.fc1.weight.grad[0])
model.eval()
with torch.no_grad():
    print(model(x).argmax(dim=1))
print(F.dropout(torch.ones(2, 4), p=0.5, training=True))
print(F.dropout(torch.ones(3), p=0.5, training=False))
