# Three steps of stochastic gradient descent fitting y = w * x + b to four points.
# Each step: forward, loss, backward, update the parameters, clear the gradients.
import torch

xs = torch.tensor([1.0, 2.0, 3.0, 4.0])
ys = torch.tensor([3.0, 5.0, 7.0, 9.0])   # the line y = 2x + 1

w = torch.tensor(0.0, requires_grad=True)
b = torch.tensor(0.0, requires_grad=True)
learning_rate = 0.05

for step in range(3):
    prediction = w * xs + b
    loss = ((prediction - ys) ** 2).mean()
    loss.backward()
    print(f"step {step}: loss {loss.item():.4f}, dloss/dw {w.grad.item():.4f}, "
          f"dloss/db {b.grad.item():.4f}")

    # The update must not be recorded in the graph: it is not part of the model.
    with torch.no_grad():
        w -= learning_rate * w.grad
        b -= learning_rate * b.grad

    # Gradients accumulate, so clear them before the next step.
    w.grad.zero_()
    b.grad.zero_()

print("w", w)
print("b", b)
