# Backpropagation through time: the same two weights are used at every step of a sequence,
# h = tanh(w_x·x + w_h·h). Stepping backward, w_h.grad is built up one step at a time, from
# the last step back to the first (the first step adds 0: it saw h = 0). nn.RNN and
# nn.RNNCell build this same kind of graph, with matrices.
import torch

w_x = torch.tensor(0.5, requires_grad=True)
w_h = torch.tensor(0.8, requires_grad=True)
h = torch.tensor(0.0)
for x in [1.0, -1.0, 2.0]:
    h = torch.tanh(w_x * x + w_h * h)
h.backward()
print(h)
print(w_x.grad)
print(w_h.grad)
