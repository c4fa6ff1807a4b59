"""`torch.distributions`: the Categorical distribution a policy samples actions from."""

from engine.distributions.categorical import Categorical, Distribution

__all__ = ["Categorical", "Distribution"]
