# Gradients accumulate: each backward() ADDS into .grad instead of replacing it.
# That is why training loops clear the gradients before every step ("zero_grad").
import torch

w = torch.tensor(3.0, requires_grad=True)

# d(w * 2)/dw = 2, so one backward pass leaves w.grad at 2.
loss = w * 2
loss.backward()
print("after one backward:", w.grad)

# A second, fresh graph: its gradient 2 is added to the 2 already there.
loss = w * 2
loss.backward()
print("after two backwards:", w.grad)

# Clear the gradient in place (what optimizer.zero_grad() does for every parameter)...
w.grad.zero_()
print("after zero_():", w.grad)

# ...so the next backward starts from zero again: d(w ** 2)/dw = 2 * w = 6.
loss = w ** 2
loss.backward()
print("after zero_() and one more backward:", w.grad)

# Setting .grad to None also clears it; the next backward creates a new tensor.
w.grad = None
loss = 5 * w
loss.backward()
print("after grad = None and a backward:", w.grad)
