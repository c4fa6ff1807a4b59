import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Linear(2, 1)
opt = torch.optim.Adam(model.parameters(), lr=0.01)
X = torch.tensor([[1.0, 2.0], [2.0, 1.0], [3.0, 3.0]])
Y = torch.tensor([[3.0], [3.0], [6.0]])
for i in range(100):
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(X), Y)
    loss.backward()
    opt.step()
    if i % 25 == 0:
        print(i, loss.item())
print(model.weight.data, model.bias.data)
