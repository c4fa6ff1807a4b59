"""`torch.distributions.Categorical`, as torch/distributions writes it: normalized probs or
logits, samples drawn by `multinomial`, `log_prob` gathered from the logits, `entropy`, and
the argument checks PyTorch runs by default."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine import creation, grad_mode, sampling
from engine import functions as fn
from engine.nn.functional import _broadcast_tensors, softmax
from engine.shapes import Size
from engine.tensor import Tensor

_NO_SHAPE = Size()


class _Simplex:
    def check(self, value: Tensor) -> Tensor:
        return fn.tensor_all(value >= 0, -1) & (fn.abs(fn.sum(value, -1) - 1) < 1e-6)

    def __repr__(self) -> str:
        return "Simplex()"


class _RealVector:
    def check(self, value: Tensor) -> Tensor:
        return fn.tensor_all(value == value, -1)

    def __repr__(self) -> str:
        return "IndependentConstraint(Real(), 1)"


class _IntegerInterval:
    def __init__(self, lower: int, upper: int) -> None:
        self.lower, self.upper = lower, upper

    def check(self, value: Tensor) -> Tensor:
        return (fn.remainder(value, 1) == 0) & (self.lower <= value) & (value <= self.upper)

    def __repr__(self) -> str:
        return f"IntegerInterval(lower_bound={self.lower}, upper_bound={self.upper})"


class _LazyProperty:
    """Computed on first reading, with gradients on, then kept (torch's lazy_property)."""

    def __init__(self, compute: Any) -> None:
        self.compute = compute
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        with grad_mode.enable_grad():
            value = self.compute(instance)
        instance.__dict__[self.name] = value
        return value


class Distribution:
    """What every distribution shares: its shapes and the checks of its arguments."""

    _validate_args = True
    arg_constraints: dict[str, Any] = {}

    @staticmethod
    def set_default_validate_args(value: bool) -> None:
        Distribution._validate_args = bool(value)

    def __init__(self, batch_shape: Size = _NO_SHAPE, event_shape: Size = _NO_SHAPE,
                 validate_args: bool | None = None) -> None:
        self._batch_shape, self._event_shape = batch_shape, event_shape
        if validate_args is not None:
            self._validate_args = validate_args
        if not self._validate_args:
            return
        for name, constraint in self.arg_constraints.items():
            if name not in self.__dict__ and isinstance(getattr(type(self), name),
                                                        _LazyProperty):
                continue  # a lazily made argument is not checked
            value = getattr(self, name)
            if not bool(constraint.check(value).all()):
                raise ValueError(f"Expected parameter {name} ({type(value).__name__} of shape "
                                 f"{tuple(value.shape)}) of distribution {self!r} to satisfy "
                                 f"the constraint {constraint!r}, but found invalid "
                                 f"values:\n{value}")

    @property
    def batch_shape(self) -> Size:
        return self._batch_shape

    @property
    def event_shape(self) -> Size:
        return self._event_shape

    def _extended_shape(self, sample_shape: Any = _NO_SHAPE) -> Size:
        return Size(tuple(sample_shape) + tuple(self._batch_shape) + tuple(self._event_shape))

    def _validate_sample(self, value: Any) -> None:
        if not isinstance(value, Tensor):
            raise ValueError("The value argument to log_prob must be a Tensor")
        actual, expected = tuple(value.shape), tuple(self._batch_shape)
        for i, j in zip(reversed(actual), reversed(expected), strict=False):
            if i != 1 and j != 1 and i != j:
                raise ValueError(f"Value is not broadcastable with batch_shape+event_shape: "
                                 f"{Size(actual)} vs {Size(expected)}.")
        support = self.support
        if not bool(support.check(value).all()):
            raise ValueError(f"Expected value argument ({type(value).__name__} of shape "
                             f"{tuple(value.shape)}) to be within the support ({support!r}) "
                             f"of the distribution {self!r}, but found invalid values:\n{value}")

    def __repr__(self) -> str:
        shown = []
        for name in self.arg_constraints:
            if name in self.__dict__:
                value = self.__dict__[name]
                shown.append(f"{name}: {value if value.numel() == 1 else value.size()}")
        return f"{type(self).__name__}({', '.join(shown)})"


class Categorical(Distribution):
    """A distribution over the indices 0 … K−1 of the last dim of `probs` or `logits`."""

    arg_constraints = {"probs": _Simplex(), "logits": _RealVector()}
    has_enumerate_support = True

    def __init__(self, probs: Tensor | None = None, logits: Tensor | None = None,
                 validate_args: bool | None = None) -> None:
        if (probs is None) == (logits is None):
            raise ValueError("Either `probs` or `logits` must be specified, but not both.")
        if probs is not None:
            if probs.ndim < 1:
                raise ValueError("`probs` parameter must be at least one-dimensional.")
            self.probs = probs / fn.sum(probs, -1, keepdim=True)
        else:
            if logits.ndim < 1:
                raise ValueError("`logits` parameter must be at least one-dimensional.")
            self.logits = logits - fn.logsumexp(logits, -1, keepdim=True)
        self._param = self.probs if probs is not None else self.logits
        self._num_events = self._param.shape[-1]
        batch = Size(self._param.shape[:-1]) if self._param.ndim > 1 else Size()
        super().__init__(batch, validate_args=validate_args)

    @_LazyProperty
    def logits(self) -> Tensor:
        eps = float(np.finfo(self.probs._data.dtype).eps)
        return fn.log(fn.clamp(self.probs, min=eps, max=1 - eps))

    @_LazyProperty
    def probs(self) -> Tensor:
        return softmax(self.logits, dim=-1)

    @property
    def support(self) -> _IntegerInterval:
        return _IntegerInterval(0, self._num_events - 1)

    @property
    def param_shape(self) -> Size:
        return Size(self._param.shape)

    @property
    def mode(self) -> Tensor:
        return fn.argmax(self.probs, dim=-1)

    def sample(self, sample_shape: Any = _NO_SHAPE) -> Tensor:
        sample_shape = Size(sample_shape)
        probs_2d = fn.reshape(self.probs, -1, self._num_events)
        count = int(np.prod(sample_shape)) if len(sample_shape) else 1
        samples_2d = fn.t(sampling.multinomial(probs_2d, count, True))
        return fn.reshape(samples_2d, *self._extended_shape(sample_shape))

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        value = fn.unsqueeze(value.long(), -1)
        value, log_pmf = _broadcast_tensors(value, self.logits)
        value = value[..., :1]
        return fn.squeeze(fn.gather(log_pmf, -1, value), -1)

    def entropy(self) -> Tensor:
        least = float(np.finfo(self.logits._data.dtype).min)
        logits = fn.clamp(self.logits, min=least)
        return -fn.sum(logits * self.probs, -1)

    def enumerate_support(self, expand: bool = True) -> Tensor:
        values = creation.arange(self._num_events)
        values = values.view(-1, *(1,) * len(self._batch_shape))
        return values.expand(-1, *self._batch_shape) if expand else values
