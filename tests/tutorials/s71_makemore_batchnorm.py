# Karpathy's makemore part 3, "PyTorch-ified": an MLP over character embeddings with
# nn.BatchNorm1d after each hidden layer, trained with SGD, then evaluated with the running
# statistics the training collected.
import torch
import torch.nn as nn
import torch.nn.functional as F

g = torch.Generator().manual_seed(2147483647)
vocab, block, n_embd, n_hidden = 27, 3, 10, 64
X = torch.randint(0, vocab, (64, block), generator=g)
Y = torch.randint(0, vocab, (64,), generator=g)

torch.manual_seed(42)
C = nn.Embedding(vocab, n_embd)
model = nn.Sequential(
    nn.Linear(block * n_embd, n_hidden, bias=False), nn.BatchNorm1d(n_hidden), nn.Tanh(),
    nn.Linear(n_hidden, n_hidden, bias=False), nn.BatchNorm1d(n_hidden), nn.Tanh(),
    nn.Linear(n_hidden, vocab),
)
parameters = list(C.parameters()) + list(model.parameters())
print(sum(p.nelement() for p in parameters))
for step in range(4):
    ix = torch.randint(0, X.shape[0], (32,), generator=g)
    emb = C(X[ix]).view(32, -1)
    loss = F.cross_entropy(model(emb), Y[ix])
    for p in parameters:
        p.grad = None
    loss.backward()
    for p in parameters:
        p.data += -0.1 * p.grad
    print(step, loss.item())
bn = model[1]
print(bn)
print(bn.running_mean[:4], bn.running_var[:4], bn.num_batches_tracked)
model.eval()
with torch.no_grad():
    print(F.cross_entropy(model(C(X).view(64, -1)), Y).item())
