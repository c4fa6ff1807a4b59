import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
logits = torch.randn(3, 5, requires_grad=True)
target = torch.tensor([1, 0, 4])
log_probs = F.log_softmax(logits, dim=1)
print(F.nll_loss(log_probs, target))
print(F.cross_entropy(logits, target))
print(nn.NLLLoss()(log_probs, target))
print(F.cross_entropy(logits, target, reduction='none'))
one_hot = F.one_hot(target, num_classes=5)
print(one_hot)
print(-(one_hot * log_probs).sum(dim=1).mean())
