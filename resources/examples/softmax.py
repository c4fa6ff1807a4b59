# Softmax turns scores into probabilities that sum to 1. Pushing one probability up
# must push the others down: the gradient of softmax couples every output with every input.
import torch

scores = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
probs = torch.softmax(scores, dim=0)
print("probabilities:", probs)
print("sum:", probs.sum().item())

# Backward from the probability of class 0 alone: d p0 / d s_j = p0 * (δ0j - p_j),
# positive for its own score and negative for the others.
probs[0].backward()
print("gradient of p0:", scores.grad)

# The gradients of one probability always sum to zero: probabilities stay normalized.
print("sum of gradient:", round(scores.grad.sum().item(), 6))
