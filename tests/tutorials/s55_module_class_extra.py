import torch
import torch.nn as nn

class MLP(nn.Module):
    def __init__(self, sizes):
        super().__init__()
        layers = []
        for i in range(len(sizes) - 1):
            layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        self.layers = nn.ModuleList(layers)
        self.act = nn.Tanh()

    def forward(self, x):
        for layer in self.layers[:-1]:
            x = self.act(layer(x))
        return self.layers[-1](x)

torch.manual_seed(0)
m = MLP([2, 4, 4, 1])
print(m)
out = m(torch.ones(3, 2))
print(out)
out.mean().backward()
print(m.layers[0].weight.grad)
print(len(list(m.parameters())))
