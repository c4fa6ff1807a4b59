# A two-layer perceptron classifying 3 samples into 3 classes, with cross-entropy loss.
# Weights are written out (no random numbers) so every run gives the same gradients.
import torch
import torch.nn.functional as F

x = torch.tensor([[0.5, -1.0],
                  [1.5, 0.5],
                  [-0.5, 2.0]])                  # 3 samples, 2 features
target = torch.tensor([0, 2, 1])                 # the true class of each sample

w1 = torch.tensor([[0.1, -0.2, 0.3, 0.4],
                   [0.5, 0.6, -0.7, 0.8]], requires_grad=True)   # 2 features -> 4 hidden
b1 = torch.tensor([0.0, 0.1, -0.1, 0.2], requires_grad=True)
w2 = torch.tensor([[0.2, -0.3, 0.1],
                   [0.4, 0.1, -0.2],
                   [-0.5, 0.3, 0.2],
                   [0.1, 0.2, 0.3]], requires_grad=True)         # 4 hidden -> 3 classes
b2 = torch.tensor([0.0, 0.0, 0.0], requires_grad=True)

hidden = F.relu(x @ w1 + b1)        # layer 1 and its non-linearity
logits = hidden @ w2 + b2           # layer 2: one score per class
loss = F.cross_entropy(logits, target)
print("loss:", loss)

loss.backward()
# Each gradient has the shape of its parameter: how the loss changes as each number moves.
print("w1.grad:", w1.grad)
print("b1.grad:", b1.grad)
print("w2.grad:", w2.grad)
print("b2.grad:", b2.grad)
