"""`torch.optim`: optimizers that update parameters in place from their `.grad`."""

from engine.optim.optimizer import Optimizer
from engine.optim.sgd import SGD

__all__ = ["SGD", "Optimizer"]
