# One neuron, as in micrograd: out = tanh(x1*w1 + x2*w2 + b).
# Backpropagation finds how much each weight moves the output.
import torch

x1 = torch.tensor(2.0, requires_grad=True)
x2 = torch.tensor(0.0, requires_grad=True)
w1 = torch.tensor(-3.0, requires_grad=True)
w2 = torch.tensor(1.0, requires_grad=True)
b = torch.tensor(6.8813735870195432, requires_grad=True)

x1w1 = x1 * w1
x2w2 = x2 * w2
n = x1w1 + x2w2 + b   # the pre-activation
out = n.tanh()        # the activation squashes it into (-1, 1)

print("out", round(out.item(), 4))
out.backward()

# d out/d n = 1 - tanh(n)**2 = 0.5; each input's gradient is its weight times that, and
# each weight's gradient is its input times that.
for name, value in [("x1", x1), ("w1", w1), ("x2", x2), ("w2", w2), ("b", b)]:
    print(name, "grad", round(value.grad.item(), 4))
