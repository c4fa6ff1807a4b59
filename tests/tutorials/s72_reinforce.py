# REINFORCE, the policy-gradient method: a small policy network gives the logits of a
# Categorical distribution, actions are sampled from it, and the loss weights each action's
# log-probability by the return that followed it. One Adam step from one short episode.
import torch
import torch.nn as nn
from torch.distributions import Categorical

torch.manual_seed(0)
policy = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 2))
optimizer = torch.optim.Adam(policy.parameters(), lr=0.01)
state = torch.randn(4)
log_probs, rewards = [], []
for t in range(5):
    dist = Categorical(logits=policy(state))
    action = dist.sample()
    log_probs.append(dist.log_prob(action))
    rewards.append(1.0 if action.item() == 1 else 0.0)
    state = state + 0.1 * action
returns = torch.tensor(rewards).flip(0).cumsum(0).flip(0)
loss = -(torch.stack(log_probs) * returns).sum()
optimizer.zero_grad()
loss.backward()
optimizer.step()
print(rewards, loss.item())
print(policy[2].bias.grad)
print(dist, dist.entropy())
