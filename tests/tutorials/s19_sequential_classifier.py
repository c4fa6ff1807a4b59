import torch
import torch.nn as nn

torch.manual_seed(0)
X = torch.randn(20, 2)
y = (X[:, 0] + X[:, 1] > 0).long()

model = nn.Sequential(
    nn.Linear(2, 8),
    nn.ReLU(),
    nn.Linear(8, 2),
)
print(model)
loss_fn = nn.CrossEntropyLoss()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(50):
    logits = model(X)
    loss = loss_fn(logits, y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if epoch % 10 == 0:
        print(f"epoch {epoch}: loss {loss.item():.4f}")
pred = model(X).argmax(dim=1)
acc = (pred == y).float().mean()
print("accuracy", acc)
print(pred)
