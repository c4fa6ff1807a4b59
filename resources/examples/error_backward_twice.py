# An error on purpose: calling backward() twice on the same graph.
# The first backward frees what the graph saved for it (here, x for the gradient of x ** 3).
# The second one has nothing to work with, and PyTorch stops the script with its message.
# (Pass retain_graph=True to the first backward() to keep the graph for another pass.)
#
# Like Python, the script stops at the error: what it printed before is the same in gradviz
# and in PyTorch, and gradviz reports the error at its line with PyTorch's own message:
#   error_backward_twice.py:15:1: RuntimeError: Trying to backward through the graph ...
import torch

x = torch.tensor(2.0, requires_grad=True)
y = x ** 3
y.backward()
print("first backward:", x.grad)
y.backward()  # RuntimeError: Trying to backward through the graph a second time ...
print("never printed")
