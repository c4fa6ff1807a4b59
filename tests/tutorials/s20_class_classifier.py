import torch
import torch.nn as nn
import torch.nn.functional as F

class Net(nn.Module):
    def __init__(self, n_in, n_hidden, n_out):
        super().__init__()
        self.fc1 = nn.Linear(n_in, n_hidden)
        self.fc2 = nn.Linear(n_hidden, n_out)

    def forward(self, x):
        x = F.relu(self.fc1(x))
        return self.fc2(x)

torch.manual_seed(0)
net = Net(4, 5, 3)
print(net)
x = torch.randn(6, 4)
target = torch.tensor([0, 1, 2, 0, 1, 2])
optimizer = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
for step in range(5):
    optimizer.zero_grad()
    out = net(x)
    loss = F.cross_entropy(out, target)
    loss.backward()
    optimizer.step()
    print(step, round(loss.item(), 4))
for name, p in net.named_parameters():
    print(name, p.shape)
print(net.fc2.bias)
