import torch
import torch.nn.functional as F

torch.manual_seed(42)
logits = torch.randn(4, 3, requires_grad=True)
targets = torch.tensor([0, 2, 1, 2])

probs = logits.exp() / logits.exp().sum(dim=1, keepdim=True)
loss_manual = -probs[torch.arange(4), targets].log().mean()
loss = F.cross_entropy(logits, targets)
print(loss_manual)
print(loss)
print(torch.allclose(loss, loss_manual))
loss.backward()
print(logits.grad)
g = F.softmax(logits, dim=1).detach()
g[torch.arange(4), targets] -= 1
print(g / 4)
print(F.log_softmax(logits, dim=-1))
