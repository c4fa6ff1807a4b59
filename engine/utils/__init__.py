"""`torch.utils`: the data loading learners use (`torch.utils.data`)."""

from engine.utils import data

__all__ = ["data"]
