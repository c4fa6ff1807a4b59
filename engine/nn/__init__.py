"""`torch.nn`: the functional API learners meet first."""

from engine.nn import functional

__all__ = ["functional"]
