# An RNN learns to predict the next value of a sine wave: nn.RNN reads the sequence, a linear
# layer reads each hidden state, and Adam trains both for a few steps, the gradients clipped
# to a norm of 1 as RNN training usually does.
import math

import torch
import torch.nn as nn

torch.manual_seed(0)
wave = torch.tensor([math.sin(0.4 * t) for t in range(21)])
inputs = wave[:-1].view(1, 20, 1)
targets = wave[1:].view(1, 20, 1)


class Predictor(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(input_size=1, hidden_size=8, batch_first=True)
        self.head = nn.Linear(8, 1)

    def forward(self, x):
        states, last = self.rnn(x)
        return self.head(states), last


model = Predictor()
optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
for step in range(5):
    prediction, last = model(inputs)
    loss = ((prediction - targets) ** 2).mean()
    optimizer.zero_grad()
    loss.backward()
    norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    optimizer.step()
    print(step, round(loss.item(), 6), norm.item())
print(model.rnn)
print(last.shape, prediction.grad_fn)
print(model.rnn.weight_hh_l0.grad[0])
