# Two ways to stop the graph: torch.no_grad() records nothing inside its block,
# and .detach() gives a tensor with the same values that the graph does not reach.
import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)

with torch.no_grad():
    doubled = x * 2              # computed, but not recorded
print("inside no_grad:", doubled, doubled.requires_grad)

frozen = (x * 3).detach()        # the values of x * 3, cut from the graph
print("detached:", frozen, frozen.requires_grad, frozen.is_leaf)

# The gradient only flows through the recorded path: y = x * x + frozen + doubled.
y = (x * x + frozen + doubled).sum()
y.backward()
print("x.grad:", x.grad)         # 2 * x: frozen and doubled act as constants
