# A model written as PyTorch code usually writes it: a class of nn.Module.
# __init__ makes the layers, forward says how data flows through them; the graph
# names each layer by its path (model.hidden.weight) and each line of forward by its code.
import torch
import torch.nn as nn


class TinyNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(2, 3)
        self.out = nn.Linear(3, 1)

    def forward(self, x):
        h = torch.tanh(self.hidden(x))
        return self.out(h)


torch.manual_seed(0)
model = TinyNet()
print(model)

x = torch.tensor([[1.0, -1.0]])
target = torch.tensor([[0.5]])
loss = ((model(x) - target) ** 2).mean()
loss.backward()
print("loss", loss)
print("hidden layer's weight gradient", model.hidden.weight.grad)
