# One head of self-attention, as in Karpathy's "Let's build GPT": each of 4 tokens asks
# (query) and offers (key) a vector; their products, scaled, say how much each token attends
# to each other. A lower-triangular mask, kept in the module with register_buffer, sets the
# future to -inf, so softmax gives it weight 0: step backward and see no gradient reach
# through a masked weight, while the keys and queries of the past get theirs.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(1337)


class Head(nn.Module):
    def __init__(self, n_embd, head_size, block_size):
        super().__init__()
        self.key = nn.Linear(n_embd, head_size, bias=False)
        self.query = nn.Linear(n_embd, head_size, bias=False)
        self.value = nn.Linear(n_embd, head_size, bias=False)
        self.register_buffer("tril", torch.tril(torch.ones(block_size, block_size)))

    def forward(self, x):
        T = x.shape[0]
        k = self.key(x)
        q = self.query(x)
        wei = q @ k.T * k.shape[-1] ** -0.5  # how much each token attends to each other
        wei = wei.masked_fill(self.tril[:T, :T] == 0, float("-inf"))  # no peeking ahead
        wei = F.softmax(wei, dim=-1)
        return wei @ self.value(x)


head = Head(n_embd=3, head_size=2, block_size=4)
x = torch.randn(4, 3)  # 4 tokens, 3 features each
out = head(x)
loss = out.sum()
loss.backward()
print(out)
print(head.query.weight.grad)
