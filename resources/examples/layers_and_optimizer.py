# A two-layer network from torch.nn, trained for one step by torch.optim.SGD.
# Step through backward to see each layer's weight and bias receive its gradient;
# their cards keep the values this pass used, though optimizer.step() then changes them.
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.MSELoss()

x = torch.tensor([[1.0, 2.0], [0.5, -1.0]])
target = torch.tensor([[1.0], [0.0]])

optimizer.zero_grad()
prediction = model(x)
loss = loss_fn(prediction, target)
loss.backward()
print("loss", loss)
print("first layer's weight gradient", model[0].weight.grad)

optimizer.step()   # w -= lr * w.grad for every parameter, under no_grad
print("first layer's bias after the step", model[0].bias)
