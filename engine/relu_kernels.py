"""relu's forward and backward as one compiled pass each (`engine.jit`): numpy needs a compare,
a negation and a select for each, and relu sits in every hidden layer."""

from __future__ import annotations

from engine.jit import ufunc

_FLOATS = ("float32(float32)", "float64(float64)")


# narrowest first: numpy takes the first loop it can cast the input to (int64 to float64, say)
@ufunc("int32(int32)", "int64(int64)", *_FLOATS)
def relu(a: float) -> float:
    """0 where a < 0, else a itself: -0. and NaN stay as they are, as in PyTorch."""
    return 0 if a < 0 else a


@ufunc(*_FLOATS)
def relu_slope(out: float) -> float:
    """relu's local derivative from its output: 0 where out <= 0, else 1 (NaN passes)."""
    return 0 if out <= 0 else 1


@ufunc("float32(float32, float32)", "float64(float64, float64)")
def threshold_backward(out: float, upstream: float) -> float:
    """PyTorch's threshold_backward for relu: 0 where out <= 0, else the upstream gradient."""
    return 0 if out <= 0 else upstream
