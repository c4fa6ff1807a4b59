import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Linear(1, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.01)
x = torch.tensor([[1.0], [2.0]])
y = torch.tensor([[2.0], [4.0]])
for i in range(3):
    loss = ((model(x) - y) ** 2).mean()
    loss.backward()
    print(i, model.weight.grad)
    opt.step()
opt.zero_grad()
print(model.weight.grad)
opt.zero_grad(set_to_none=False)
print(model.weight.grad)
