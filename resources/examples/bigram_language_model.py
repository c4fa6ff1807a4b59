# Karpathy's makemore, part 1: a bigram model of names as one layer of weights. Each
# character, one-hot, picks a row of W; softmax by hand turns the row into probabilities of
# the next character; the loss is their average negative log. Step backward through the log,
# the picked probabilities, the division, exp and the product to W.grad.
import torch
import torch.nn.functional as F

words = ["emma", "olivia", "ava"]
chars = sorted(set("".join(words)))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi["."] = 0
itos = {i: s for s, i in stoi.items()}
xs, ys = [], []
for w in words:
    chs = ["."] + list(w) + ["."]
    for ch1, ch2 in zip(chs[:-1], chs[1:], strict=True):  # each character and the next
        xs.append(stoi[ch1])
        ys.append(stoi[ch2])
xs = torch.tensor(xs)
ys = torch.tensor(ys)
V = len(stoi)

g = torch.Generator().manual_seed(2147483647)
W = torch.randn((V, V), generator=g, requires_grad=True)

xenc = F.one_hot(xs, num_classes=V).float()  # one row per character
logits = xenc @ W  # log-counts: the rows of W the characters pick
counts = logits.exp()
probs = counts / counts.sum(1, keepdim=True)  # softmax, written out
loss = -probs[torch.arange(len(ys)), ys].log().mean()
loss.backward()
print("loss", loss.item())
print("W.grad's row for '.', which starts every name:", W.grad[0])

# One step of gradient descent, then sample a name with the same generator (no graph needed).
with torch.no_grad():
    W -= 50 * W.grad
    ix, name = 0, ""
    while True:
        p = F.softmax(W[ix], dim=0)
        ix = torch.multinomial(p, num_samples=1, replacement=True, generator=g).item()
        if ix == 0:
            break
        name += itos[ix]
print("a sampled name:", name)
