import torch
import torch.nn as nn

pred = torch.tensor([0.2, 0.8, 0.6], requires_grad=True)
target = torch.tensor([0.0, 1.0, 1.0])
mse = nn.MSELoss()
bce = nn.BCELoss()
l1 = nn.L1Loss()
print(mse(pred, target))
print(bce(pred, target))
print(l1(pred, target))
loss = bce(pred, target)
loss.backward()
print(pred.grad)
logits = torch.tensor([1.0, -1.0, 0.5])
print(nn.BCEWithLogitsLoss()(logits, target))
print(nn.functional.mse_loss(pred, target, reduction='none'))
