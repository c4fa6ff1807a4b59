"""The table of ops: each entry is one op's forward, its gradient rule, its PyTorch grad_fn name
and its local derivative written for people.

An elementwise op gives `local(i, args, out, params)`, the derivative of its output with respect
to input i at each element; its contribution is `upstream * local`, the chain rule as written.
Where PyTorch computes the contribution in another order (which changes float32 rounding), or the
op is not elementwise, `grad(i, upstream, args, out, params)` computes it the way PyTorch does.
`saves` marks ops that keep tensors for their backward: a second backward through them, once the
graph has been freed, raises PyTorch's error.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine import (
    compiled,
    cpu_loops,
    layer_norm_kernel,
    log_sigmoid_kernel,
    matmul_order,
    reduce_kernels,
    sigmoid_kernel,
    softmax_kernels,
    vml,
)
from engine.compiled import ddot, nll_sums, sdot
from engine.shapes import sum_to

Rule = Callable[..., Any]
Formula = str | Callable[[dict], str]


@dataclass(frozen=True, slots=True)
class OpSpec:
    name: str
    grad_fn: str
    symbol: str
    forward: Callable[..., Any]
    local: Rule | None = None
    grad: Rule | None = None
    formula: tuple[Formula, ...] = ()
    saves: bool = False
    saved_inputs: str = ""
    saved_output: bool = False
    constant_locals: tuple[int, ...] | None = None
    local_args: tuple[int, ...] | None = None  # local of input i is args[local_args[i]]
    # what the backward reads per node, in one tuple: (saves, local, grad, constant_locals,
    # local_args)
    rules: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # the backward takes the first kind of rule an op has: it must have only one
        if (self.local_args is not None) + (self.constant_locals is not None) + (
                self.grad is not None) > 1:
            raise ValueError(f"{self.name}: give local_args, constant_locals or grad, not two")
        object.__setattr__(self, "rules", (self.saves, self.local, self.grad,
                                           self.constant_locals, self.local_args))

    def saves_input(self, i: int, needs: tuple[bool, ...]) -> bool:
        """Whether PyTorch keeps input i for the backward (its in-place change is then an error).

        "all": every tensor input; "cross": input i only if another input needs a gradient (mul,
        mm: each operand is needed for the other's gradient); "div": the divisor always, the
        dividend only if the divisor needs a gradient.
        """
        kind = self.saved_inputs
        if kind == "all":
            return True
        if kind == "cross":
            return any(n for j, n in enumerate(needs) if j != i)
        if kind == "div":
            return i == 1 or needs[1]
        return False

    def formula_text(self, i: int, labels: tuple[str, ...], params: dict | None) -> str:
        """The local derivative of input i, written with the inputs' names."""
        if i >= len(self.formula):
            return "∂out/∂in"
        text = self.formula[i]
        if callable(text):
            text = text(params or {})
        names = {"a": labels[0], "b": labels[1] if len(labels) > 1 else "b",
                 "c": labels[2] if len(labels) > 2 else "c"}
        return text.format(**names)


OPS: dict[str, OpSpec] = {}


def defop(name: str, grad_fn: str, symbol: str, forward: Callable[..., Any], **rules: Any
          ) -> OpSpec:
    """Register one op; one line of the table."""
    spec = OpSpec(name, grad_fn, symbol, forward, **rules)
    OPS[name] = spec
    return spec


def _rounded(function: np.ufunc) -> Callable[[Any], Any]:
    """`function` of float32 values computed in double and rounded once, so correctly rounded
    but for one in millions: PyTorch's kernels for float32 (MKL's, glibc's) come within a few
    hundredths of an ulp of that, where numpy's own float32 loops can be an ulp or two off."""

    def apply(a: Any) -> Any:
        if a.dtype == np.float32:
            return function(a, dtype=np.float64).astype(np.float32)
        return function(a)

    apply.__doc__ = f"{function.__name__}, float32 correctly rounded"
    return apply


_log1p = _rounded(np.log1p)


def _sleef_log1p(a: Any) -> Any:
    """torch.log1p: Sleef's vector log1p on every element (in its AVX-512 build)."""
    if a.dtype == np.float32:
        return compiled.sleef_log1pf(a)
    if a.dtype == np.float64:
        return compiled.sleef_log1p(a)
    return _log1p(a)


_log2, _log10 = _rounded(np.log2), _rounded(np.log10)
# torch.sin and its kin: MKL's vector kernels, emulated where MKL runs them (see `vml`)
_sin, _cos, _tan = vml.sin, vml.cos, vml.tan
_atan, _asin, _acos = vml.atan, vml.asin, vml.acos


def _expm1(a: Any) -> Any:
    """torch.expm1: Sleef's vector expm1 on every element (MKL's is switched off in vml.h)."""
    if a.dtype == np.float32:
        return compiled.sleef_expm1f(a)
    if a.dtype == np.float64:
        return compiled.sleef_expm1(a)
    return _rounded(np.expm1)(a)


def _sleef_blocks(function: np.ufunc, vector32: Any, vector64: Any, scalar: Any
                  ) -> Callable[[Any], Any]:
    """`function` as PyTorch computes float32 and float64: Sleef's (`vector32`, `vector64`) in
    the vector blocks `sigmoid_kernel.by_blocks` lays out, the C library's (`scalar`, not
    correctly rounded) in the scalar code; other dtypes in double, rounded once."""
    rounded = _rounded(function)

    def apply(a: Any) -> Any:
        if a.dtype == np.float32:
            return sigmoid_kernel.by_blocks(vector32, scalar, np.asarray(a))
        if a.dtype == np.float64:
            return sigmoid_kernel.by_blocks(vector64, scalar, np.asarray(a))
        return rounded(a)

    return apply


_sinh = _sleef_blocks(np.sinh, compiled.sleef_sinhf, compiled.sleef_sinh, compiled.libm_sinh)
_cosh = _sleef_blocks(np.cosh, compiled.sleef_coshf, compiled.sleef_cosh, compiled.libm_cosh)


def _ones_like(x: Any) -> Any:
    return np.ones_like(x)


def _pow_formula(params: dict) -> str:
    n = params["exponent"]
    if n == 2:
        return "2·{a}"
    if n == 1:
        return "1"
    if n == 0:
        return "0"
    return f"{_num(n)}·{{a}}^{_num(n - 1)}"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _one_or_array(out: np.ndarray) -> Any:
    """np.where's result, with one element kept a numpy scalar as the other ops give it."""
    return out[()] if out.ndim == 0 else out


def _larger(a: Any, b: Any, vector: Any = None) -> Any:
    """torch.maximum: `a` unless `b` is larger or NaN. A tie (0. and -0.) keeps `a` in PyTorch's
    scalar code (std::max) and takes `b` in its vector code (maxps), True in `vector`."""
    take_b = (a < b) | (b != b)
    if vector is not None:
        take_b |= (a == b) & vector
    return _one_or_array(np.where(take_b, b, a))


def _smaller(a: Any, b: Any, vector: Any = None) -> Any:
    """torch.minimum: `a` unless `b` is smaller or NaN; a tie as in `_larger`."""
    take_b = (a > b) | (b != b)
    if vector is not None:
        take_b |= (a == b) & vector
    return _one_or_array(np.where(take_b, b, a))


def _sign(a: Any) -> Any:
    """PyTorch's sign: (0 < a) − (a < 0), so 0 for NaN (numpy's np.sign gives NaN)."""
    return (a > 0).astype(a.dtype) - (a < 0).astype(a.dtype)


class _Scalars(dict):
    """One numpy scalar per dtype, made once (a numpy scalar from a Python number is slow)."""

    def __init__(self, value: int) -> None:
        super().__init__()
        self.value = value

    def __missing__(self, dtype: np.dtype) -> np.generic:
        scalar = self[dtype] = np.array(self.value, dtype)[()]
        return scalar


_ZERO_OF, _ONE_OF = _Scalars(0), _Scalars(1)


def _mask_grad(mask: Any, g: Any) -> Any:
    if type(mask) is np.bool_:  # one element: pick it without making arrays
        return g if mask else _ZERO_OF[g.dtype]
    return np.where(mask, g, np.zeros((), dtype=g.dtype))


# --- elementwise arithmetic --------------------------------------------------------------------
ADD = defop("add", "AddBackward0", "+", operator.add, constant_locals=(1, 1),
            formula=("1", "1"))
SUB = defop("sub", "SubBackward0", "−", operator.sub, constant_locals=(1, -1),
            formula=("1", "−1"))
RSUB = defop("rsub", "RsubBackward1", "−", lambda a, scalar: scalar - a,
             constant_locals=(-1,), formula=("−1",))
MUL = defop("mul", "MulBackward0", "×", operator.mul, local_args=(1, 0),
            local=lambda i, args, out, p: args[1 - i], formula=("{b}", "{a}"),
                saves=True, saved_inputs="cross")
DIV = defop(
    "div", "DivBackward0", "÷", operator.truediv,
    # PyTorch divides twice, −upstream·((a/b)/b): b·b would underflow or overflow first
    local=lambda i, args, out, p: 1 / args[1] if i == 0 else -(args[0] / args[1] / args[1]),
    grad=lambda i, g, args, out, p: (g / args[1] if i == 0
                                     else -g * (args[0] / args[1] / args[1])),
    formula=("1/{b}", "−{a}/{b}²"), saves=True, saved_inputs="div")
DIV_ROUNDED = defop(
    "div_rounded", "DivBackward2", "÷",
    lambda a, b, rounding_mode: (np.floor_divide(a, b) if rounding_mode == "floor"
                                 else _trunc_divide(a, b)),
    grad=lambda i, g, args, out, p: np.zeros_like(args[i], dtype=g.dtype),
    formula=("0", "0"))
DIV_SCALAR = defop("div_scalar", "DivBackward1", "÷", np.true_divide,
                   local=lambda i, args, out, p: 1 / args[1],
                   grad=lambda i, g, args, out, p: g / args[1], formula=("1/{b}",))
NEG = defop("neg", "NegBackward0", "−", np.negative, constant_locals=(-1,), formula=("−1",))
RECIPROCAL = defop("reciprocal", "ReciprocalBackward0", "1/x", np.reciprocal,
                   local=lambda i, args, out, p: -(out * out), formula=("−1/{a}²",),
                       saves=True, saved_output=True)
POW = defop(
    "pow", "PowBackward0", "**", lambda a, exponent: _pow_scalar(a, exponent),
    local=lambda i, args, out, p: (np.zeros_like(args[0]) if p["exponent"] == 0
                                   else p["exponent"] * _pow_scalar(args[0], p["exponent"] - 1)),
    # PyTorch's pow_backward returns zeros for an exponent of 0, whatever the upstream (so
    # neither upstream·0's NaN for an infinite upstream nor its -0. for a negative one)
    grad=lambda i, g, args, out, p: (
        np.zeros(np.shape(args[0]), np.result_type(g))[()] if p["exponent"] == 0
        else g * (p["exponent"] * _pow_scalar(args[0], p["exponent"] - 1))),
    formula=(_pow_formula,), saves=True, saved_inputs="all")
POW_TENSOR = defop(
    "pow_tensor", "PowBackward1", "**", lambda a, b: _pow_kernel(a, b),
    local=lambda i, args, out, p: _pow_tensors_local(i, args[0], args[1], out),
    # PyTorch zeroes the base's contribution itself where the exponent is 0, even a NaN one
    grad=lambda i, g, args, out, p: (
        np.where(args[1] == 0, np.zeros((), g.dtype), g * _pow_tensors_local(0, *args, out))[()]
        if i == 0 else g * _pow_tensors_local(1, *args, out)),
    formula=("{b}·{a}^({b}−1)", "{a}^{b}·ln {a}"), saves=True, saved_inputs="all",
    saved_output=True)
RPOW = defop(
    "rpow", "PowBackward2", "**",
    lambda a, base: _pow_kernel(np.asarray(base, dtype=a.dtype)[()], a),
    local=lambda i, args, out, p: _rpow_local(args[0], out, p["base"]),
    formula=(lambda p: f"{_num(p['base'])}^{{a}}·ln {_num(p['base'])}",),
        saves=True, saved_output=True)


def _pow_scalar(a: Any, exponent: Any) -> Any:
    """PyTorch's pow with a number exponent: 0.5, −0.5 and −1 are sqrt, 1/sqrt and 1/a for
    floats, 2, 3 and −2 are products (so sqrt(−0.) is −0. and √−inf NaN, as there)."""
    if exponent == 0:
        return np.ones_like(a)[()]
    if exponent == 1:
        return np.array(a, copy=True)[()]
    if a.dtype.kind == "f":
        if exponent == 0.5:
            return _sqrt(a)
        if exponent == -0.5:
            return a.dtype.type(1) / np.sqrt(a)
        if exponent == -1:
            return a.dtype.type(1) / a
    if exponent == 2:
        return a * a
    if exponent == 3:
        return a * a * a
    if exponent == -2 and a.dtype.kind == "f":
        return a.dtype.type(1) / (a * a)
    if a.dtype == np.float32 and type(exponent) is float:
        return _pow_float32(a, exponent)
    if a.dtype == np.float64 and type(exponent) is float:
        return _pow_kernel(a, np.float64(exponent))
    return _pow_tensors(a, exponent)


def _pow_float32(a: Any, exponent: float) -> Any:
    """float32 to a number as PyTorch's kernel computes it: its scalar code is C++'s
    `std::pow(float, double)`, pow in double with the double exponent (1.7, not float32's
    1.70000005); its vector blocks (AVX-512's, as `sigmoid_kernel.by_blocks` lays them out)
    take Sleef's powf of the float32 exponent (within an ulp, not correctly rounded)."""
    return sigmoid_kernel.by_blocks(
        lambda x: compiled.sleef_powf(x, np.float32(exponent)),
        lambda x: (x.astype(np.float64) ** exponent).astype(np.float32), np.asarray(a))


def _pow_kernel(a: Any, b: Any) -> Any:
    """torch.pow of two tensors (or a float64 tensor to a number): Sleef's powf or pow in the
    vector blocks, C's powf or pow in the scalar code; other dtypes as `_pow_tensors`."""
    dtype = np.result_type(a, b)
    if dtype not in (np.float32, np.float64) or np.ndim(a) + np.ndim(b) == 0:
        return _pow_tensors(a, b)
    vector = compiled.sleef_powf if dtype == np.float32 else compiled.sleef_pow
    return sigmoid_kernel.by_blocks(vector, compiled.libm_pow, np.asarray(a), np.asarray(b))


def _pow_tensors(a: Any, b: Any) -> Any:
    """C's pow, elementwise, as PyTorch's kernel calls it (numpy takes a square root for a
    broadcast exponent of 0.5, giving −0. and NaN where pow gives 0. and inf); an integer to a
    negative power is 1, ±1 or 0 as in PyTorch, not an error."""
    if np.result_type(a, b).kind in "iu":
        return _int_power(a, b)
    if type(a) is not np.ndarray and type(b) is not np.ndarray:
        return a ** b  # numpy scalars: C's pow (glibc's powf for float32, as PyTorch's)
    if np.result_type(a, b) == np.float32:  # numpy's float32 loop is not within 0.52 ulp
        out = np.power(a, b, dtype=np.float64).astype(np.float32)
    else:
        out = np.power(a, b)
    rooted = (b == 0.5) & ((a == 0) | (a == -np.inf))
    return np.where(rooted, np.abs(a), out)[()] if np.any(rooted) else out


def _int_power(a: Any, b: Any) -> Any:
    """PyTorch's powi: a negative power of 1 is 1, of −1 is ±1, of anything else 0."""
    negative = b < 0
    if not np.any(negative):
        return np.power(a, b)
    out = np.power(a, np.where(negative, 0, b))
    odd = np.where(negative & (b % 2 == 1), -1, 1)
    small = np.where(a == 1, 1, np.where(a == -1, odd, 0))
    return np.where(negative, small, out).astype(out.dtype)[()]


def _pow_tensors_local(i: int, a: Any, b: Any, out: Any) -> Any:
    """PyTorch's pow_backward_self / pow_backward_exponent: b·a^(b−1), 0 where b is 0; and
    a^b·ln a, 0 where a is 0 and b ≥ 0."""
    zero = np.zeros((), np.result_type(out))
    if i == 0:
        return np.where(b == 0, zero, b * _pow_kernel(a, b - 1))[()]
    return np.where((a == 0) & (b >= 0), zero, out * vml.log(a))[()]


def _rpow_local(a: Any, out: Any, base: Any) -> Any:
    """PowBackward2: base^a · ln(base), the log taken in double; 0 where base is 0 and a ≥ 0."""
    log_base = np.log(np.float64(base)).astype(np.result_type(out))
    if base == 0:
        return np.where(a >= 0, np.zeros((), log_base.dtype), out * log_base)[()]
    return out * log_base


MAXIMUM = defop(
    "maximum", "MaximumBackward0", "max", lambda a, b: _larger(a, b, cpu_loops.vector_mask(a, b)),
    grad=lambda i, g, args, out, p: _tie_split(g, args[i], args[1 - i], np.less),
    formula=("1 where {a} wins", "1 where {b} wins"), saves=True, saved_inputs="all")
MINIMUM = defop(
    "minimum", "MinimumBackward0", "min", lambda a, b: _smaller(a, b, cpu_loops.vector_mask(a, b)),
    grad=lambda i, g, args, out, p: _tie_split(g, args[i], args[1 - i], np.greater),
    formula=("1 where {a} wins", "1 where {b} wins"), saves=True, saved_inputs="all")


def _tie_split(g: Any, mine: Any, other: Any, loses: Callable) -> Any:
    """PyTorch's maximum/minimum backward: the whole gradient unless this operand loses, half
    of it where the two tie; beside a NaN neither loses, so both get it."""
    g = np.broadcast_to(g, np.broadcast_shapes(np.shape(mine), np.shape(other), np.shape(g)))
    return np.where(loses(mine, other), np.zeros_like(g), np.where(mine == other, g / 2, g))


# add(Tensor, Scalar), which C++ code calls with a number (`x + eps`); Python's `x + 1.0`
# is add(Tensor, Tensor) of a wrapped number, AddBackward0
ADD_SCALAR = defop("add_scalar", "AddBackward1", "+", operator.add, constant_locals=(1, 1))
ADD_ALPHA = defop("add_alpha", "AddBackward0", "+",
                  lambda a, b, alpha: _fused_add(a, b, alpha),
                  grad=lambda i, g, args, out, p: g if i == 0 else g * p["alpha"],
                  formula=("1", lambda p: _num(p["alpha"])))
SUB_ALPHA = defop("sub_alpha", "SubBackward0", "−",
                  lambda a, b, alpha: _fused_add(a, b, -alpha),
                  grad=lambda i, g, args, out, p: g if i == 0 else g * -p["alpha"],
                  formula=("1", lambda p: "−" + _num(p["alpha"])))
FLOOR_DIVIDE = defop("floor_divide", "torch::autograd::NotImplemented", "//", np.floor_divide,
                     grad=lambda i, g, args, out, p: _not_implemented("floor_divide"),
                     formula=("not differentiable", "not differentiable"))
REMAINDER = defop("remainder", "RemainderBackward0", "%", lambda a, b: _remainder(a, b),
                  constant_locals=(1,), formula=("1",))
REMAINDER_TENSOR = defop(
    "remainder_tensor", "RemainderBackward1", "%", lambda a, b: _remainder(a, b),
    grad=lambda i, g, args, out, p: g if i == 0 else -g * np.floor_divide(args[0], args[1]),
    formula=("1", "−⌊{a}/{b}⌋"), saves=True, saved_inputs="all")
RREMAINDER = defop("rremainder", "torch::autograd::NotImplemented", "%",
                   lambda a, b: _remainder(b, a),
                   grad=lambda i, g, args, out, p: _not_implemented("remainder"),
                   formula=("not differentiable",))


def _fused_add(a: Any, b: Any, alpha: Any) -> Any:
    """`a + alpha·b` for floats as PyTorch's CPU kernel computes it: alpha in the tensor's dtype,
    then one fused multiply-add (rounded once), except where `b` is a single number and the
    AVX2 build's scalar code runs in SSE groups: there alpha·b is rounded first (so 2·3e38
    overflows float32)."""
    if np.result_type(a).kind != "f":
        return a + alpha * b
    dtype = np.result_type(a)
    scale = dtype.type(alpha)
    out = _fma(scale, b, a)
    unfused = cpu_loops.sse_groups(a, b, number=1) if dtype.itemsize >= 4 else None
    if unfused is not None:
        out = np.where(unfused, a + scale * b, out)
    return out[()]


def _fma(x: Any, y: Any, z: Any) -> Any:
    """x·y + z rounded once, in the operands' float dtype (x a scalar of that dtype); float16
    rounded once in float32, then to half (PyTorch's half loops differ from this in a few
    percent of elements; not modelled)."""
    dtype = np.result_type(y, z)
    if dtype == np.float64:
        return compiled.fma64(dtype.type(x), y, z)
    fused = compiled.fma32(np.float32(x), np.asarray(y, np.float32), np.asarray(z, np.float32))
    return fused.astype(dtype, copy=False)


def _remainder(a: Any, b: Any) -> Any:
    """Python's `%` (the result takes the divisor's sign); a float zero keeps the dividend's sign
    as C's fmod gives it, where numpy would give the divisor's. PyTorch's vector blocks take
    fmod from Sleef, which gives NaN where the quotient overflows."""
    if np.result_type(a, b).kind != "f":
        return np.remainder(a, b)
    mod = np.fmod(a, b)
    vector = cpu_loops.vector_mask(a, b) if np.result_type(a, b).itemsize >= 4 else None
    if vector is not None:
        mod = np.where(vector & _sleef_fmod_overflows(a, b), np.nan, mod)
    return np.where((mod != 0) & ((b < 0) != (mod < 0)), mod + b, mod)[()]


def _sleef_fmod_overflows(a: Any, b: Any) -> Any:
    """Where Sleef's fmod gives NaN for finite a, b: it scales both by 2^25 (float32) or 2^54
    (float64) when |b| is subnormal, then estimates the quotient as |a|·(1/|b|), each rounded
    toward zero; NaN when that scaling or that estimate overflows (unless |a| < 2|b|)."""
    dtype = np.result_type(a, b)
    bits = np.dtype(f"i{dtype.itemsize}")
    nu, de = np.abs(np.asarray(a, dtype)), np.abs(np.asarray(b, dtype))
    subnormal = de < np.finfo(dtype).tiny
    scale = dtype.type(2.0 ** (25 if dtype.itemsize == 4 else 54))
    nu, de = np.where(subnormal, nu * scale, nu), np.where(subnormal, de * scale, de)
    reciprocal = _toward_zero(dtype.type(1) / de, bits)
    estimate = _toward_zero(nu, bits) * reciprocal
    near = (de + de > nu) & (nu >= de)
    finite = np.isfinite(a) & np.isfinite(de) & (de != 0)
    return finite & (np.isinf(nu) | (~near & np.isinf(estimate)))


def _toward_zero(x: Any, bits: np.dtype) -> Any:
    """The next float toward zero (zero stays)."""
    as_int = x.view(bits)
    return np.where(x != 0, as_int - 1, as_int).view(x.dtype)


def _trunc_divide(a: Any, b: Any) -> Any:
    """Division rounded toward zero: exact for integers, trunc(a / b) for floats."""
    if np.result_type(a, b).kind in "iu":
        quotient = np.floor_divide(a, b)
        return quotient + ((quotient < 0) & (quotient * b != a))
    return np.trunc(a / b)


def _not_implemented(name: str) -> Any:
    raise RuntimeError(f"derivative for aten::{name} is not implemented")


# --- elementwise functions ---------------------------------------------------------------------
ABS = defop("abs", "AbsBackward0", "abs", np.abs,
            local=lambda i, args, out, p: _sign(args[0]), formula=("sign({a})",),
                saves=True, saved_inputs="all")
EXP = defop("exp", "ExpBackward0", "exp", vml.exp,
            local=lambda i, args, out, p: out, formula=("exp({a})",), saves=True, saved_output=True)
LOG = defop("log", "LogBackward0", "log", vml.log,
            local=lambda i, args, out, p: 1 / args[0],
            grad=lambda i, g, args, out, p: g / args[0], formula=("1/{a}",),
                saves=True, saved_inputs="all")
def _sqrt(a: Any) -> Any:
    """PyTorch's root: float32 through MKL where it runs its SSE kernel (see `cpu_loops`)."""
    return cpu_loops.sqrt32(a) if a.dtype == np.float32 else np.sqrt(a)


SQRT = defop("sqrt", "SqrtBackward0", "√", _sqrt,
             local=lambda i, args, out, p: 1 / (2 * out),
             grad=lambda i, g, args, out, p: g / (2 * out), formula=("1/(2·√{a})",),
                 saves=True, saved_output=True)
SIN = defop("sin", "SinBackward0", "sin", _sin,
            local=lambda i, args, out, p: _cos(args[0]), formula=("cos({a})",),
                saves=True, saved_inputs="all")
COS = defop("cos", "CosBackward0", "cos", _cos,
            local=lambda i, args, out, p: -_sin(args[0]), formula=("−sin({a})",),
                saves=True, saved_inputs="all")
TANH = defop("tanh", "TanhBackward0", "tanh", vml.tanh,
             local=lambda i, args, out, p: _one_minus_square(out), formula=("1 − tanh²({a})",),
             saves=True, saved_output=True)
SIGMOID = defop(
    "sigmoid", "SigmoidBackward0", "σ", lambda a: _sigmoid(a),
    local=lambda i, args, out, p: (1 - out) * out,
    grad=lambda i, g, args, out, p: g * (1 - out) * out,
    formula=("σ({a})·(1 − σ({a}))",), saves=True, saved_output=True)
class _Zeros(dict):
    """The zero relu compares with, per dtype; bool has none (PyTorch refuses relu on bool)."""

    def __missing__(self, dtype: np.dtype) -> np.ndarray:
        if dtype == np.bool_:
            raise RuntimeError("Boolean inputs not supported for relu")
        zero = self[dtype] = np.zeros((), dtype)
        return zero


_RELU_ZEROS = _Zeros()


_COMPILED_RELU = frozenset(np.dtype(t) for t in (np.float32, np.float64, np.int64, np.int32))
_COMPILED_FLOATS = frozenset(np.dtype(t) for t in (np.float32, np.float64))


def _relu(a: Any) -> Any:
    """0 where `a` < 0, else `a` itself: -0. and NaN stay as they are, as in PyTorch."""
    zero = _RELU_ZEROS[a.dtype]
    if type(a) is not np.ndarray:  # one element: no arrays made
        return zero[()] if a < 0 else a
    if a.dtype in _COMPILED_RELU:
        return compiled.relu(a)
    return np.where(a < 0, zero, a)


def _relu_slope(out: Any) -> Any:
    if type(out) is not np.ndarray:  # one element
        return _ZERO_OF[out.dtype] if out <= 0 else _ONE_OF[out.dtype]
    if out.dtype in _COMPILED_FLOATS:
        return compiled.relu_slope(out)
    return (~(out <= 0)).astype(out.dtype)


def _threshold_backward(out: Any, g: Any) -> Any:
    if type(out) is not np.ndarray:  # one element
        return _ZERO_OF[g.dtype] if out <= 0 else g
    if out.dtype in _COMPILED_FLOATS and g.dtype == out.dtype:
        return compiled.threshold_backward(out, g)
    return _mask_grad(~(out <= 0), g)


RELU = defop(
    "relu", "ReluBackward0", "relu", lambda a: _relu(a),
    # PyTorch's threshold_backward zeroes where out <= 0, so a NaN passes its gradient on
    local=lambda i, args, out, p: _relu_slope(out),
    grad=lambda i, g, args, out, p: _threshold_backward(out, g),
    formula=("1 if {a} > 0 else 0",), saves=True, saved_output=True)
CLAMP = defop(
    "clamp", "ClampBackward1", "clamp", lambda a, min, max: _clamp(a, min, max),
    local=lambda i, args, out, p: _clamp_mask(args[0], p["min"], p["max"]).astype(out.dtype),
    grad=lambda i, g, args, out, p: _mask_grad(_clamp_mask(args[0], p["min"], p["max"]), g),
    formula=("1 inside [min, max] else 0",), saves=True, saved_inputs="all")


LOG2 = defop("log2", "Log2Backward0", "log₂", _log2,
             grad=lambda i, g, args, out, p: g / (args[0] * args[0].dtype.type(_LN2)),
             formula=("1/({a}·ln 2)",), saves=True, saved_inputs="all")
LOG10 = defop("log10", "Log10Backward0", "log₁₀", _log10,
              grad=lambda i, g, args, out, p: g / (args[0] * args[0].dtype.type(_LN10)),
              formula=("1/({a}·ln 10)",), saves=True, saved_inputs="all")
TAN = defop("tan", "TanBackward0", "tan", _tan,
            local=lambda i, args, out, p: 1 + out * out, formula=("1 + tan²({a})",),
            saves=True, saved_output=True)
ATAN = defop("atan", "AtanBackward0", "atan", _atan,
             local=lambda i, args, out, p: 1 / (args[0] * args[0] + 1),
             grad=lambda i, g, args, out, p: g / (args[0] * args[0] + 1),
             formula=("1/(1 + {a}²)",), saves=True, saved_inputs="all")
ASIN = defop("asin", "AsinBackward0", "asin", _asin,
             local=lambda i, args, out, p: _rsqrt(-args[0] * args[0] + 1),
             formula=("1/√(1 − {a}²)",), saves=True, saved_inputs="all")
ACOS = defop("acos", "AcosBackward0", "acos", _acos,
             local=lambda i, args, out, p: -_rsqrt(-args[0] * args[0] + 1),
             formula=("−1/√(1 − {a}²)",), saves=True, saved_inputs="all")
SINH = defop("sinh", "SinhBackward0", "sinh", _sinh,
             local=lambda i, args, out, p: _cosh(args[0]), formula=("cosh({a})",),
             saves=True, saved_inputs="all")
COSH = defop("cosh", "CoshBackward0", "cosh", _cosh,
             local=lambda i, args, out, p: _sinh(args[0]), formula=("sinh({a})",),
             saves=True, saved_inputs="all")
LOG1P = defop("log1p", "Log1PBackward0", "log1p", _sleef_log1p,
              local=lambda i, args, out, p: 1 / (args[0] + 1),
              grad=lambda i, g, args, out, p: g / (args[0] + 1),
              formula=("1/(1 + {a})",), saves=True, saved_inputs="all")
EXPM1 = defop("expm1", "Expm1Backward0", "expm1", _expm1,
              local=lambda i, args, out, p: out + 1, formula=("exp({a})",),
              saves=True, saved_output=True)
RSQRT = defop("rsqrt", "RsqrtBackward0", "1/√", lambda a: _rsqrt(a),
              # PyTorch: −0.5·upstream·out³, in that order
              local=lambda i, args, out, p: out.dtype.type(-0.5) * (out * out * out),
              grad=lambda i, g, args, out, p: g * g.dtype.type(-0.5) * (out * out * out),
              formula=("−1/(2·{a}^(3/2))",), saves=True, saved_output=True)
ERF = defop("erf", "ErfBackward0", "erf", lambda a: vml.erf(a),
            local=lambda i, args, out, p: _erf_slope(args[0]),
            grad=lambda i, g, args, out, p: _erf_slope(args[0]) * g,
            formula=("2/√π·exp(−{a}²)",), saves=True, saved_inputs="all")


def _rsqrt(a: Any) -> Any:
    """PyTorch's rsqrt kernel: 1/√a, the root and the quotient each rounded (no MKL)."""
    return a.dtype.type(1) / np.sqrt(a)


def _erf_slope(a: Any) -> Any:
    """2/√π·exp(−a²), the constant rounded to a's dtype, as PyTorch's erf backward has it."""
    return a.dtype.type(2 / math.sqrt(math.pi)) * vml.exp(-(a * a))


FLOOR = defop("floor", "FloorBackward0", "⌊⌋", np.floor,
              grad=lambda i, g, args, out, p: np.zeros_like(g), formula=("0",))
CEIL = defop("ceil", "CeilBackward0", "⌈⌉", np.ceil,
             grad=FLOOR.grad, formula=("0",))
ROUND = defop("round", "RoundBackward0", "round", np.rint, grad=FLOOR.grad, formula=("0",))
ROUND_DECIMALS = defop("round_decimals", "RoundBackward1", "round",
                       lambda a, decimals: _round_decimals(a, decimals), grad=FLOOR.grad,
                       formula=("0",))
SIGN = defop("sign", "SignBackward0", "sign",
             _sign,
             grad=FLOOR.grad, formula=("0",))
CLAMP_MIN = defop(
    "clamp_min", "ClampMinBackward0", "clamp",
    lambda a, min: _larger(a, np.asarray(min, dtype=a.dtype)),
    grad=lambda i, g, args, out, p: _mask_grad(args[0] >= p["min"], g),
    formula=("1 if {a} ≥ min else 0",), saves=True, saved_inputs="all")
LEAKY_RELU = defop(
    "leaky_relu", "LeakyReluBackward0", "leaky_relu",
    lambda a, negative_slope: np.where(a > 0, a, a * a.dtype.type(negative_slope))[()],
    grad=lambda i, g, args, out, p: np.where(
        args[0] > 0, g, g * g.dtype.type(p["negative_slope"]))[()],
    formula=(lambda p: f"1 if {{a}} > 0 else {_num(p['negative_slope'])}",),
    saves=True, saved_inputs="all")
LEAKY_RELU_ = defop(
    "leaky_relu_", "LeakyReluBackward1", "leaky_relu", LEAKY_RELU.forward,
    grad=lambda i, g, args, out, p: np.where(
        out > 0, g, g * g.dtype.type(p["negative_slope"]))[()],
    formula=LEAKY_RELU.formula, saves=True, saved_output=True)
# The piecewise-linear activations: a kernel's comparisons, in the tensor's dtype.
HARDTANH = defop(
    "hardtanh", "HardtanhBackward0", "hardtanh",
    lambda a, min_val, max_val: _clamp(a, min_val, max_val),
    grad=lambda i, g, args, out, p: _outside_grad(args[0], p["min_val"], p["max_val"], g),
    formula=("1 strictly between min and max, else 0",), saves=True, saved_inputs="all")
HARDTANH_ = defop(
    "hardtanh_", "HardtanhBackward0", "hardtanh", HARDTANH.forward,
    grad=lambda i, g, args, out, p: _outside_grad(out, p["min_val"], p["max_val"], g),
    formula=HARDTANH.formula, saves=True, saved_output=True)
THRESHOLD = defop(
    "threshold", "ThresholdBackward0", "threshold",
    lambda a, threshold, value: np.where(a <= threshold, a.dtype.type(value), a)[()],
    grad=lambda i, g, args, out, p: _mask_grad(~(args[0] <= p["threshold"]), g),
    formula=("1 above the threshold, else 0",), saves=True, saved_inputs="all")
THRESHOLD_ = defop(  # its backward reads the input as it was before the write
    "threshold_", "ThresholdBackward1", "threshold", THRESHOLD.forward, grad=THRESHOLD.grad,
    formula=THRESHOLD.formula, saves=True, saved_inputs="all")
HARDSHRINK = defop(
    "hardshrink", "HardshrinkBackward0", "hardshrink",
    lambda a, lambd: np.where(_within(a, lambd), np.zeros((), a.dtype), a)[()],
    grad=lambda i, g, args, out, p: _stopped_at_nan(~_within(args[0], p["lambd"]), args[0], g),
    formula=("1 outside [−λ, λ], else 0",), saves=True, saved_inputs="all")
SOFTSHRINK = defop(
    "softshrink", "SoftshrinkBackward0", "softshrink", lambda a, lambd: _softshrink(a, lambd),
    grad=HARDSHRINK.grad,
    formula=("1 outside [−λ, λ], else 0",), saves=True, saved_inputs="all")


CONSTANT_PAD = defop("constant_pad", "ConstantPadNdBackward0", "pad",
                     lambda a, widths, fill: _constant_pad(a, widths, fill),
                     grad=lambda i, g, args, out, p: _constant_pad(
                         g, tuple((-b, -e) for b, e in p["widths"]), 0),
                     formula=("1 inside the padding",))


def _constant_pad(a: Any, widths: tuple, fill: Any) -> Any:
    """`a` with (before, after) elements of `fill` added along each dim, or cut off where a
    count is negative."""
    a = np.asarray(a)
    if not a.ndim:
        return a.copy()[()]
    kept = tuple(slice(max(-b, 0), n - max(-e, 0)) for (b, e), n in zip(widths, a.shape,
                                                                          strict=True))
    grown = [(max(b, 0), max(e, 0)) for b, e in widths]
    with np.errstate(invalid="ignore"):
        value = np.asarray(fill).astype(a.dtype)
    return np.pad(a[kept], grown, constant_values=value)


def _outside_grad(a: Any, low: Any, high: Any, g: Any) -> Any:
    """hardtanh_backward: 0 at and beyond the bounds."""
    return _stopped_at_nan(~((a <= low) | (a >= high)), a, g)


def _stopped_at_nan(passes: Any, a: Any, g: Any) -> Any:
    """`g` where `passes`. At a NaN input the scalar code of these backward kernels passes the
    gradient on and their vector code stops it."""
    vector = cpu_loops.vector_mask(g, a)
    if vector is not None:
        passes = passes & ~(vector & np.isnan(a))
    return _mask_grad(passes, g)


def _within(a: Any, lambd: Any) -> Any:
    return (a >= -lambd) & (a <= lambd)


def _softshrink(a: Any, lambd: Any) -> Any:
    """a − λ above λ, a + λ below −λ; between, the vector code gives +0 and the scalar code
    a·0 (so −0 for a negative a), NaN staying NaN in both."""
    lambd = a.dtype.type(lambd)
    between = a * a.dtype.type(0)
    vector = cpu_loops.vector_mask(a)
    if vector is not None:
        between = np.where(vector & ~np.isnan(a), np.zeros((), a.dtype), between)
    return np.where(a > lambd, a - lambd, np.where(a < -lambd, a + lambd, between))[()]


# ELU and its kin (SELU, CELU): PyTorch's elu kernels, Sleef's expm1 and exp in the vector
# blocks, the C library's in the scalar code. params: alpha, scale, input_scale (the forward's)
# and grad_scale (the input scale the backward is given: CELU's is 1/alpha in float).
ELU = defop("elu", "EluBackward0", "elu", lambda a, **p: _elu(a, p),
            grad=lambda i, g, args, out, p: _elu_grad(g, args[0], p, result=False),
            formula=("1 if {a} > 0 else α·exp({a})",), saves=True, saved_inputs="all")
ELU_ = defop("elu_", "EluBackward1", "elu", ELU.forward,
             grad=lambda i, g, args, out, p: _elu_grad(g, out, p, result=True),
             formula=ELU.formula, saves=True, saved_output=True)
CELU = defop("celu", "CeluBackward0", "celu", ELU.forward, grad=ELU.grad,
             formula=("1 if {a} > 0 else exp({a}/α)",), saves=True, saved_inputs="all")
CELU_ = defop("celu_", "CeluBackward1", "celu", ELU.forward, grad=ELU_.grad,
              formula=CELU.formula, saves=True, saved_output=True)


def _elu_coefficients(dtype: Any, p: dict, input_scale: Any) -> tuple[Any, Any, Any]:
    kind = np.dtype(dtype).type
    return kind(p["alpha"]) * kind(p["scale"]), kind(p["scale"]), kind(input_scale)


def _elu(a: Any, p: dict) -> Any:
    """a·scale above 0, else expm1(a·input_scale)·alpha·scale."""
    a = np.asarray(a)
    negcoef, poscoef, negiptcoef = _elu_coefficients(a.dtype, p, p["input_scale"])
    vector_expm1, scalar_expm1 = ((compiled.sleef_expm1f, compiled.libm_expm1)
                                  if a.dtype == np.float32 else
                                  (compiled.sleef_expm1, compiled.libm_expm1))

    def vector(x: Any) -> Any:
        return np.where(x > 0, x * poscoef, vector_expm1(x * negiptcoef) * negcoef)

    def scalar(x: Any) -> Any:
        return np.where(x <= 0, scalar_expm1(x * negiptcoef) * negcoef, x * poscoef)

    return sigmoid_kernel.by_blocks(vector, scalar, a)


def _elu_grad(g: Any, b: Any, p: dict, result: bool) -> Any:
    """elu_backward of the input (or, in place, of the result `b`)."""
    g, b = np.asarray(g), np.asarray(b)
    negcoef, poscoef, negiptcoef = _elu_coefficients(g.dtype, p, p["grad_scale"])
    if result and p["alpha"] < 0:
        raise RuntimeError(
            "In-place elu backward calculation is triggered with a negative slope which is not "
            "supported. This is caused by calling in-place forward function with a negative "
            "slope, please call out-of-place version instead.")
    if result:
        def branch(x: Any, y: Any, exp: Any) -> Any:
            return x * negiptcoef * (y + negcoef)
    else:
        def branch(x: Any, y: Any, exp: Any) -> Any:
            return x * negiptcoef * negcoef * exp(y * negiptcoef)
    vector_exp = compiled.sleef_expf if g.dtype == np.float32 else compiled.sleef_exp

    def vector(x: Any, y: Any) -> Any:
        return np.where(y > 0, x * poscoef, branch(x, y, vector_exp))

    def scalar(x: Any, y: Any) -> Any:
        return np.where(y <= 0, branch(x, y, compiled.libm_exp), x * poscoef)

    return sigmoid_kernel.by_blocks(vector, scalar, g, b)


GELU = defop(
    "gelu", "GeluBackward0", "gelu", lambda a, approximate: compiled.gelu(a, approximate),
    grad=lambda i, g, args, out, p: compiled.gelu_backward(g, args[0], p["approximate"]),
    formula=(lambda p: "Φ({a}) + {a}·φ({a})" if p["approximate"] == "none"
             else "d/dx of the tanh approximation",), saves=True, saved_inputs="all")
SILU = defop(
    "silu", "SiluBackward0", "silu", lambda a: sigmoid_kernel.silu(a),
    grad=lambda i, g, args, out, p: sigmoid_kernel.silu_backward(g, args[0]),
    formula=("σ({a})·(1 + {a}·(1 − σ({a})))",), saves=True, saved_inputs="all")
LOG_SIGMOID = defop(
    "log_sigmoid", "LogSigmoidBackward0", "log σ", lambda a: log_sigmoid_kernel.log_sigmoid(a),
    grad=lambda i, g, args, out, p: log_sigmoid_kernel.log_sigmoid_backward(g, args[0]),
    formula=("1 − σ({a})",), saves=True, saved_inputs="all")
SOFTPLUS = defop(
    "softplus", "SoftplusBackward0", "softplus",
    lambda a, beta, threshold: sigmoid_kernel.softplus(a, beta, threshold),
    grad=lambda i, g, args, out, p: sigmoid_kernel.softplus_backward(g, args[0], p["beta"],
                                                                   p["threshold"]),
    formula=("σ(β·{a})",), saves=True, saved_inputs="all")

_LN2 = 0.6931471805599453
_LN10 = 2.3025850929940457


def _round_decimals(a: Any, decimals: int) -> Any:
    """PyTorch rounds to decimals in the tensor's own dtype: rint(a·10ᵈ)/10ᵈ (or the mirror)."""
    scale = a.dtype.type(10.0 ** abs(decimals))
    if decimals < 0:
        return np.rint(a / scale) * scale
    return np.rint(a * scale) / scale


CLAMP_TENSOR = defop(
    "clamp_tensor", "ClampBackward0", "clamp",
    lambda a, low, high: _clamp(a, low, high, cpu_loops.vector_mask(a, low, high)),
    grad=lambda i, g, args, out, p: _clamp_tensor_grad(i, g, *args),
    formula=("1 between the bounds", "1 where {a} < min", "1 where {a} > max"), saves=True,
    saved_inputs="all")


CLAMP_MAX = defop(
    "clamp_max", "ClampMaxBackward0", "clamp",
    lambda a, max: _smaller(a, np.asarray(max, dtype=a.dtype)),
    grad=lambda i, g, args, out, p: _mask_grad(args[0] <= p["max"], g),
    formula=("1 if {a} ≤ max else 0",), saves=True, saved_inputs="all")
CLAMP_MIN_TENSOR = defop(
    "clamp_min_tensor", "ClampMinBackward1", "clamp",
    lambda a, low: _clamp(a, low, None, cpu_loops.vector_mask(a, low)),
    grad=lambda i, g, args, out, p: _clamp_tensor_grad(i, g, args[0], args[1], None),
    formula=("1 where {a} ≥ min", "1 where {a} < min"), saves=True, saved_inputs="all")
CLAMP_MAX_TENSOR = defop(
    "clamp_max_tensor", "ClampMaxBackward1", "clamp",
    lambda a, high: _clamp(a, None, high, cpu_loops.vector_mask(a, high)),
    grad=lambda i, g, args, out, p: _clamp_tensor_grad(2 * i, g, args[0], None, args[1]),
    formula=("1 where {a} ≤ max", "1 where {a} > max"), saves=True, saved_inputs="all")


def _clamp_tensor_grad(i: int, g: Any, a: Any, low: Any, high: Any) -> Any:
    """PyTorch's clamp_backward and clamp_backward_min_max for tensor bounds."""
    zero = np.zeros((), np.result_type(g))
    if i == 0:
        inside = np.ones(np.shape(a), dtype=bool)
        if low is not None:
            inside = inside & (a >= low)
        if high is not None:
            inside = inside & (a <= high)
        return np.where(inside, g, zero)
    if i == 1:
        below = a < low if high is None else (a < low) & (low < high)
        return np.where(below, g, zero)
    above = a > high if low is None else (a > high) | (high < low)
    return np.where(above, g, zero)


def _one_minus_square(out: Any) -> Any:
    """1 − out², fused as PyTorch's tanh backward kernel computes it (one rounding)."""
    if out.dtype == np.float32:
        return compiled.fma32(-out, out, np.ones_like(out))[()]
    if out.dtype == np.float64:
        return compiled.fma64(-out, out, np.ones_like(out))[()]
    return 1 - out * out


def _sigmoid(a: Any) -> Any:
    """PyTorch's sigmoid kernel: Sleef's exp in its vector blocks, glibc's elsewhere."""
    return sigmoid_kernel.sigmoid(a)


def _clamp(a: Any, low: Any, high: Any, vector: Any = None) -> Any:
    """min(max(a, low), high), as PyTorch's clamp kernels nest them."""
    out = a
    if low is not None:
        out = _larger(out, np.asarray(low, dtype=a.dtype), vector)
    if high is not None:
        out = _smaller(out, np.asarray(high, dtype=a.dtype), vector)
    return out


def _clamp_mask(a: Any, low: float | None, high: float | None) -> Any:
    mask = np.ones(np.shape(a), dtype=bool)
    if low is not None:
        mask &= a >= low
    if high is not None:
        mask &= a <= high
    return mask


# --- reductions --------------------------------------------------------------------------------
def _expand_back(g: Any, shape: tuple, dims: tuple, keepdim: bool) -> Any:
    if not keepdim and dims:
        g = np.expand_dims(g, dims)
    return np.broadcast_to(g, shape)


SUM = defop("sum", "SumBackward0", "Σ", lambda a: cpu_loops.torch_sum(a)[()],
            grad=lambda i, g, args, out, p: np.broadcast_to(g, np.shape(args[0])),
            formula=("1 (copied to every element)",))
SUM_DIM = defop(
    "sum_dim", "SumBackward1", "Σ",
    lambda a, dims, keepdim: cpu_loops.torch_sum(a, dims, keepdim)[()],
    grad=lambda i, g, args, out, p: _expand_back(g, np.shape(args[0]), p["dims"], p["keepdim"]),
    formula=("1 (copied along the summed dims)",))
def _extreme_of(reduce: Callable[..., Any]) -> Callable[..., Any]:
    def forward(a: Any, dims: tuple[int, ...], keepdim: bool) -> Any:
        return reduce(a, axis=dims, keepdims=keepdim)[()]
    return forward


def _count_scaled(g: Any, a: Any, out: Any, dims: tuple[int, ...], keepdim: bool) -> Any:
    """scale_grad_by_count: the gradient shared evenly by the elements equal to the result,
    (g / count) · mask, so a negative upstream leaves -0. at the others, as in PyTorch."""
    kind = np.result_type(a).type
    if not keepdim:
        out, g = np.expand_dims(out, dims), np.expand_dims(g, dims)
    mask = out == a
    count = np.sum(mask, axis=dims, keepdims=True).astype(kind)
    return np.broadcast_to(g / count * mask.astype(kind), np.shape(a)).astype(kind)


AMAX = defop("amax", "AmaxBackward0", "amax", _extreme_of(np.max),
             grad=lambda i, g, args, out, p: _count_scaled(g, args[0], out, p["dims"],
                                                           p["keepdim"]),
             formula=("1/k at the k largest, 0 elsewhere",), saves=True, saved_inputs="all",
             saved_output=True)
AMIN = defop("amin", "AminBackward0", "amin", _extreme_of(np.min),
             grad=lambda i, g, args, out, p: _count_scaled(g, args[0], out, p["dims"],
                                                           p["keepdim"]),
             formula=("1/k at the k smallest, 0 elsewhere",), saves=True, saved_inputs="all",
             saved_output=True)
MEAN = defop("mean", "MeanBackward0", "mean", lambda a: _mean(a, None, False),
             grad=lambda i, g, args, out, p: (np.broadcast_to(g, np.shape(args[0]))
                                              / max(np.size(args[0]), 1)),
             formula=("1/n",))
MEAN_DIM = defop(
    "mean_dim", "MeanBackward1", "mean",
    lambda a, dims, keepdim: _mean(a, dims, keepdim),
    grad=lambda i, g, args, out, p: (
        _expand_back(g, np.shape(args[0]), p["dims"], p["keepdim"])
        / int(np.prod([np.shape(args[0])[d] for d in p["dims"]]))),
    formula=("1/n along the averaged dims",))


def _mean(a: Any, dims: tuple | None, keepdim: bool) -> Any:
    """PyTorch's CPU mean: the sum, divided in its dtype by the count."""
    count = np.size(a) if dims is None else int(np.prod([np.shape(a)[d] for d in dims]))
    if a.dtype not in (np.float32, np.float64) or count == 0:
        return a.mean(axis=dims, keepdims=keepdim, dtype=a.dtype)
    return (cpu_loops.torch_sum(a, dims, keepdim) / a.dtype.type(count))[()]


def _evenly(g: Any, a: Any, out: Any) -> Any:
    """PyTorch's evenly_distribute_backward: shared among the elements equal to the result, or
    among the NaNs when the result is NaN."""
    mask = np.isnan(a) if out != out else a == out
    return np.where(mask, g / g.dtype.type(mask.sum()), np.zeros((), dtype=a.dtype))


def _select_along(g: Any, a: Any, p: dict) -> Any:
    dim, keepdim, index = p["dim"], p["keepdim"], p["indices"]
    if np.ndim(a) == 0:
        return g
    if not keepdim:
        g = np.expand_dims(g, dim)
        index = np.expand_dims(index, dim)
    result = np.zeros(np.shape(a), dtype=a.dtype)
    np.put_along_axis(result, index, g, axis=dim)
    return result


MAX = defop("max", "MaxBackward1", "max", lambda a: a.max(),
            grad=lambda i, g, args, out, p: _evenly(g, args[0], out),
            formula=("1 at the maximum (shared by ties)",), saves=True, saved_inputs="all",
            saved_output=True)
MIN = defop("min", "MinBackward1", "min", lambda a: a.min(),
            grad=lambda i, g, args, out, p: _evenly(g, args[0], out),
            formula=("1 at the minimum (shared by ties)",), saves=True, saved_inputs="all",
            saved_output=True)
MAX_DIM = defop("max_dim", "MaxBackward0", "max",
                lambda a, dim, keepdim, indices: np.array(a, copy=True)[()] if np.ndim(a) == 0
                else np.take_along_axis(
                    a, np.expand_dims(indices, dim) if not keepdim else indices, dim
                ).reshape(indices.shape),
                grad=lambda i, g, args, out, p: _select_along(g, args[0], p),
                formula=("1 at each maximum",), saves=True)
MIN_DIM = defop("min_dim", "MinBackward0", "min", MAX_DIM.forward,
                grad=MAX_DIM.grad, formula=("1 at each minimum",), saves=True)

PROD = defop("prod", "ProdBackward0", "Π", lambda a: reduce_kernels.prod(a),
             grad=lambda i, g, args, out, p: _prod_grad(g, args[0], out, None),
             formula=("product of the other elements",), saves=True, saved_inputs="all",
             saved_output=True)
PROD_DIM = defop(
    "prod_dim", "ProdBackward1", "Π",
    lambda a, dim, keepdim: reduce_kernels.prod(a, dim, keepdim),
    grad=lambda i, g, args, out, p: _prod_grad(
        _unsqueeze_dims(g, (p["dim"],), p["keepdim"] or np.ndim(args[0]) == 0), args[0],
        _unsqueeze_dims(out, (p["dim"],), p["keepdim"] or np.ndim(args[0]) == 0), p["dim"]),
    formula=("product of the other elements along the dim",), saves=True, saved_inputs="all",
    saved_output=True)
VAR = defop(
    "var", "VarBackward0", "var",
    lambda a, dims, correction, keepdim: reduce_kernels.variance(a, dims, correction, keepdim),
    grad=lambda i, g, args, out, p: _var_grad(g, args[0], p),
    formula=("2·({a} − mean)/(n − correction)",), saves=True, saved_inputs="all")
STD = defop(
    "std", "StdBackward0", "std",
    lambda a, dims, correction, keepdim: reduce_kernels.variance(a, dims, correction, keepdim,
                                                                 root=True),
    grad=lambda i, g, args, out, p: _var_grad(
        np.where(out == 0, np.zeros((), out.dtype), g / (out * 2))[()], args[0], p),
    formula=("({a} − mean)/(std·(n − correction))",), saves=True, saved_inputs="all",
    saved_output=True)
NORM = defop(
    "norm", "LinalgVectorNormBackward0", "‖‖",
    lambda a, ord, dims, keepdim, size_one: reduce_kernels.vector_norm(a, ord, dims, keepdim,
                                                                       size_one),
    grad=lambda i, g, args, out, p: _norm_grad(g, args[0], out, p),
    formula=(lambda p: "{a}/‖{a}‖" if p["ord"] == 2 else "sign({a})" if p["ord"] == 1
             else "∂‖{a}‖/∂{a}",), saves=True, saved_inputs="all", saved_output=True)
# at::norm(self, p, dim), which ATen's own code calls (pairwise_distance): the vector norm
ATEN_NORM = defop("aten_norm", "NormBackward1", "‖‖", NORM.forward, grad=NORM.grad,
                  formula=NORM.formula, saves=True, saved_inputs="all", saved_output=True)
CUMSUM = defop("cumsum", "CumsumBackward0", "cumsum",
               lambda a, dim: _cumulative(np.cumsum, a, dim, start=0),
               grad=lambda i, g, args, out, p: _reversed_cumsum(g, p["dim"]),
               formula=("1 for every later position",))
CUMPROD = defop("cumprod", "CumprodBackward0", "cumprod",
                lambda a, dim: _cumulative(np.cumprod, a, dim),
                grad=lambda i, g, args, out, p: _cumprod_grad(g, args[0], out, p["dim"]),
                formula=("product of the others up to each later position",), saves=True,
                saved_inputs="all", saved_output=True)
LOGSUMEXP = defop(
    "logsumexp", "LogsumexpBackward0", "logsumexp",
    lambda a, dims, keepdim: reduce_kernels.logsumexp(a, dims, keepdim),
    grad=lambda i, g, args, out, p: (
        _unsqueeze_dims(g, p["dims"], p["keepdim"])
        * vml.exp(args[0] - _unsqueeze_dims(out, p["dims"], p["keepdim"]))),
    formula=("softmax({a})",), saves=True, saved_inputs="all", saved_output=True)


def _unsqueeze_dims(g: Any, dims: tuple, keepdim: bool) -> Any:
    return g if keepdim or not dims else np.expand_dims(g, dims)


def _prod_grad(g: Any, a: Any, out: Any, dim: int | None) -> Any:
    """PyTorch's prod_backward: result/input when no element is zero, else the product of all
    the other elements (exclusive cumulative products from both ends)."""
    if np.ndim(a) == 0:
        return g
    zeros = np.count_nonzero(a == 0)
    if not zeros:
        return g * (out / a)
    if dim is None:
        if zeros > 1:  # PyTorch's shortcut: every product of the others is 0
            return np.zeros(np.shape(a), np.result_type(a))
        flat = np.reshape(a, -1)
        return np.reshape(g * _others_product(flat, 0), np.shape(a))
    return g * _others_product(a, dim)


def _others_product(a: Any, dim: int) -> Any:
    ones = np.ones_like(np.take(a, [0], axis=dim))
    before = np.concatenate([ones, np.take(a, range(a.shape[dim] - 1), axis=dim)], axis=dim)
    after = np.concatenate([ones, np.flip(np.take(a, range(1, a.shape[dim]), axis=dim), dim)],
                           axis=dim)
    return (_cumulative(np.cumprod, before, dim)
            * np.flip(_cumulative(np.cumprod, after, dim), dim))


def _cumulative(function: Callable, a: Any, dim: int, start: Any = None) -> Any:
    """cumsum/cumprod accumulated in double for floats, as PyTorch's CPU kernels do; a `start`
    of 0 is added as PyTorch's sum starts from +0. (so a leading -0. becomes 0.)."""
    a = np.asarray(a)
    if a.ndim == 0:
        return a[()]
    wide = np.float64 if a.dtype.kind == "f" else a.dtype
    result = function(a, axis=dim, dtype=wide)
    if start is not None and a.dtype.kind == "f":
        result = result + start
    return result.astype(a.dtype)


def _cumprod_grad(g: Any, a: Any, out: Any, dim: int) -> Any:
    """PyTorch's cumprod_backward: the reversed cumulative sum of out·g over the input where no
    element is zero; else, up to the first zero of a slice the same over the elements before
    it, and at that zero the products that skip it, summed."""
    if np.size(a) <= 1 or np.shape(a)[dim] == 1:
        return g
    w = out * g
    zero = a == 0
    if not zero.any():
        return _reversed_cumsum(w, dim) / a
    zeros_so_far = np.cumsum(zero, axis=dim)
    before = zeros_so_far == 0
    nothing = np.zeros((), w.dtype)
    grad = np.where(before, _reversed_cumsum(np.where(before, w, nothing), dim) / a, nothing)
    after_first = zeros_so_far == 1
    first = np.argmax(after_first, axis=dim, keepdims=True)
    positions = np.arange(a.shape[dim]).reshape([-1 if d == dim else 1 for d in range(a.ndim)])
    at_first = (positions == first) & after_first
    between = after_first & ~at_first
    one = np.ones((), a.dtype)
    skipping = _cumulative(np.cumprod, np.where(between, a, one), dim) * np.where(
        after_first, g, nothing)
    earlier = np.take_along_axis(out, np.maximum(first - 1, 0), dim)
    value = cpu_loops.torch_sum(skipping, (dim,), True) * np.where(first == 0, one, earlier)
    return np.where(at_first, value, grad)


def _reversed_cumsum(g: Any, dim: int) -> Any:
    if np.ndim(g) == 0 or np.shape(g)[dim] == 1:  # PyTorch hands the gradient on as it is
        return g
    return np.flip(_cumulative(np.cumsum, np.flip(g, dim), dim, start=0), dim)


def _var_grad(g: Any, a: Any, p: dict) -> Any:
    """PyTorch's var_backward: (2 / (n − correction)) · upstream · (a − mean)."""
    dims, correction = p["dims"], p["correction"]
    dtype = np.result_type(a)
    if dims is None or np.ndim(a) == 0:
        count = np.size(a)
        mean = _mean(a, None, False)
        if count - correction <= 0:
            return g * np.where(a == mean, np.nan, np.inf).astype(dtype)
        return dtype.type(2.0 / (count - correction)) * g * (a - mean)
    count = int(np.prod([np.shape(a)[d] for d in dims]))
    if not p["keepdim"] and np.ndim(a) > 1:
        g = np.expand_dims(g, dims)
    mean = _mean(a, dims, True)
    scale = np.float64(2.0) / np.float64(count - correction)  # inf when no degrees of freedom
    return dtype.type(scale) * g * (a - mean)


def _norm_grad(g: Any, a: Any, norm: Any, p: dict) -> Any:
    """PyTorch's norm_backward for each order."""
    ord, dims = p["ord"], p["dims"]
    if not p["keepdim"] and np.ndim(a) and dims:
        g = np.expand_dims(g, dims)
        norm = np.expand_dims(norm, dims)
    zero = np.zeros((), np.result_type(a))
    if ord == 1:
        return _sign(a) * g
    if ord == 2:
        return g * np.where(norm == 0, zero, a / norm)
    if math.isinf(ord):
        magnitude = np.abs(a)
        mask = (magnitude == norm) | np.isnan(magnitude)
        count = mask.sum(axis=dims if dims else None, keepdims=True)
        return _sign(a) * ((g / count) * mask)
    magnitude = np.abs(a)
    scaled = (_sign(a) * _pow_scalar(magnitude, ord - 1) if ord < 2
              else a * _pow_scalar(magnitude, ord - 2))
    if ord < 1:
        scaled = np.where(a == 0, zero, scaled)
        return scaled * g * _pow_scalar(norm, 1 - ord)
    return scaled * np.where(norm == 0, zero, g / _pow_scalar(norm, ord - 1))


# --- shape ops (views: no arithmetic, the gradient is moved back into place) --------------------
VIEW = defop("view", "ViewBackward0", "view", lambda a, shape: a.reshape(shape),
             grad=lambda i, g, args, out, p: np.reshape(g, np.shape(args[0])),
             formula=("1 (reshaped back)",))
UNSAFE_VIEW = defop("unsafe_view", "UnsafeViewBackward0", "view",
                    lambda a, shape: a.reshape(shape), grad=VIEW.grad,
                    formula=("1 (reshaped back)",))
RESHAPE_ALIAS = defop("reshape_alias", "ReshapeAliasBackward0", "reshape",
                      lambda a, shape: np.reshape(a, shape), grad=VIEW.grad,
                      formula=("1 (reshaped back)",))
SQUEEZE = defop("squeeze", "SqueezeBackward0", "squeeze", lambda a, dims: np.squeeze(a, dims),
                grad=VIEW.grad, formula=("1 (reshaped back)",))
SQUEEZE_DIM = defop("squeeze_dim", "SqueezeBackward1", "squeeze",
                    lambda a, dims: np.squeeze(a, dims), grad=VIEW.grad,
                    formula=("1 (reshaped back)",))
SQUEEZE_DIMS = defop("squeeze_dims", "SqueezeBackward4", "squeeze",
                     lambda a, dims: np.squeeze(a, dims), grad=VIEW.grad,
                     formula=("1 (reshaped back)",))
UNSQUEEZE = defop("unsqueeze", "UnsqueezeBackward0", "unsqueeze",
                  lambda a, dim: np.expand_dims(a, dim), grad=VIEW.grad,
                  formula=("1 (reshaped back)",))
PERMUTE = defop("permute", "PermuteBackward0", "permute",
                lambda a, dims: np.transpose(a, dims),
                grad=lambda i, g, args, out, p: np.transpose(g, np.argsort(p["dims"])),
                formula=("1 (permuted back)",))
TRANSPOSE = defop("transpose", "TransposeBackward0", "transpose",
                  lambda a, dims: np.transpose(a, dims), grad=PERMUTE.grad,
                  formula=("1 (transposed back)",))
# `transpose_`, which nn.RNN applies to its output with batch_first
TRANSPOSE_ = defop("transpose_", "TransposeBackward1", "transpose",
                   lambda a, dims: np.transpose(a, dims), grad=PERMUTE.grad,
                   formula=("1 (transposed back)",))
T = defop("t", "TBackward0", "ᵀ", lambda a, dims: np.transpose(a, dims), grad=PERMUTE.grad,
          formula=("1 (transposed back)",))
EXPAND = defop("expand", "ExpandBackward0", "expand",
               lambda a, shape: np.broadcast_to(a, shape),
               grad=lambda i, g, args, out, p: sum_to(g, np.shape(args[0])),
               formula=("1 (summed over the copies)",))
ALIAS = defop("alias", "AliasBackward0", "alias", lambda a: a.view(),
              grad=lambda i, g, args, out, p: g, formula=("1",))
# `key + (...,)`: an element is a 0-d view of its tensor, as in PyTorch (numpy's a[i] copies)
SELECT = defop("select", "SelectBackward0", "[i]", lambda a, key: a[(*key, Ellipsis)],
               grad=lambda i, g, args, out, p: _scatter(g, args[0], p["key"]),
               formula=("1 at the selected place",))
SLICE = defop("slice", "SliceBackward0", "[:]", lambda a, key: a[key], grad=SELECT.grad,
              formula=("1 on the slice",))
INDEX = defop("index", "IndexBackward0", "[idx]", lambda a, key: a[key],
              grad=lambda i, g, args, out, p: _scatter_add(g, args[0], p["key"]),
              formula=("1 at each indexed place (repeats add up)",), saves=True)

INDEX_SELECT = defop(
    "index_select", "IndexSelectBackward0", "index_select",
    lambda a, dim, index: np.take(a, index, axis=dim) if np.ndim(a) else a.copy(),
    grad=lambda i, g, args, out, p: _index_add(g, args[0], p["dim"], p["index"]),
    formula=("1 at each selected place (repeats add up)",), saves=True)
ROLL = defop("roll", "RollBackward0", "roll",
             lambda a, shifts, dims: np.roll(a, shifts, dims or None)[()],
             grad=lambda i, g, args, out, p: np.roll(
                 g, tuple(-s for s in p["shifts"]), p["dims"] or None)[()],
             formula=("1 (rolled back)",))
DIAGONAL_VIEW = defop("diagonal_view", "DiagonalBackward0", "diagonal",
                      lambda a, offset, dims: _diagonal_of(a, offset, dims),
                      grad=lambda i, g, args, out, p: _on_diagonal_of(g, args[0], p["offset"],
                                                                      p["dims"]),
                      formula=("1 on the diagonal",))


def _index_add(g: Any, a: Any, dim: int, index: Any) -> Any:
    """Zeros of `a`'s shape with each slice of `g` added at its index, in order."""
    if not np.ndim(a):
        return g.reshape(())[()] if np.ndim(g) else g
    return _scatter_add(g, a, (slice(None),) * dim + (index,))


def _diagonal_of(a: Any, offset: int, dims: tuple[int, int]) -> Any:
    """np.diagonal as a view that can be written through (numpy's is read-only)."""
    read_only = np.diagonal(a, offset, *dims)
    if not read_only.size:
        return read_only
    first = [0] * a.ndim
    first[dims[1] if offset >= 0 else dims[0]] = abs(offset)
    start = a[tuple(slice(f, None) for f in first)]
    return np.lib.stride_tricks.as_strided(start, read_only.shape, read_only.strides)


def _on_diagonal_of(g: Any, a: Any, offset: int, dims: tuple[int, int]) -> Any:
    """Zeros of `a`'s shape with `g` along the diagonal."""
    result = np.zeros(np.shape(a), dtype=np.result_type(g))
    target = _diagonal_of(result, offset, dims)
    if target.size:
        target[...] = g
    return result


# F.batch_norm: each channel centred and scaled by its statistics over the batch (training)
# or by the running ones (eval), then times weight plus bias; inputs (input, weight, bias),
# the saved statistics and running stats kept in params, both ways PyTorch's CPU kernel
BATCH_NORM = defop("batch_norm", "NativeBatchNormBackward0", "BatchNorm",
                   lambda x, weight, bias, p: compiled.batch_norm_forward(
                       x, weight, bias, p["running_mean"], p["running_var"], p["training"],
                       p["momentum"], p["eps"], cpu_loops.SUM_THREADS, p["generic"]),
                   grad=lambda i, g, args, out, p: compiled.batch_norm_backward(
                       g, args[0], args[1], p["save_mean"], p["save_invstd"],
                       p["running_mean"], p["running_var"], p["training"], p["eps"],
                       cpu_loops.SUM_THREADS, p["generic"][0])[i],
                   formula=(lambda p: ("(δ − mean δ − x̂·mean(δ·x̂))/σ per channel"
                                       if p["training"] else "δ/σ, σ from the running variance")
                            + (", δ = {b}·upstream" if p["weighted"] else ", δ = upstream"),
                            "Σ over the batch of upstream·x̂", "Σ over the batch of upstream"),
                   saves=True, saved_inputs="all")


# F.layer_norm: each row (the input's last dims, flattened) centred and scaled by its own mean
# and 1/sqrt(var + eps), then times weight plus bias; inputs (input, weight, bias), the rows'
# means and rstds kept in params, forward and backward PyTorch's CPU kernel
LAYER_NORM = defop("layer_norm", "NativeLayerNormBackward0", "LayerNorm",
                   lambda x, weight, bias, eps: layer_norm_kernel.layer_norm(x, weight, bias,
                                                                            eps),
                   grad=lambda i, g, args, out, p: layer_norm_kernel.backward(
                       np.reshape(g, p["rows"]), args[0].reshape(p["rows"]), p["mean"],
                       p["rstd"], None if args[1] is None else args[1].reshape(-1), i,
                   ).reshape(np.shape(args[i])),
                   formula=(lambda p: "(δ − mean δ − x̂·mean(δ·x̂))/σ per row, δ = "
                            + ("{b}·upstream" if p["weighted"] else "upstream"),
                            "Σ over rows of upstream·x̂", "Σ over rows of upstream"),
                   saves=True, saved_inputs="all")


# nn.Embedding: rows of the weight picked by indices (a constant); PyTorch's backward adds
# each upstream row into its weight row in the indices' order, skipping the padding row
EMBEDDING = defop("embedding", "EmbeddingBackward0", "embed", lambda weight, key: weight[key],
                  grad=lambda i, g, args, out, p: _embedding_grad(g, args[0], p["key"],
                                                                  p["padding_idx"]),
                  formula=("1 at each picked row (repeats add up)",), saves=True)


def _embedding_grad(g: Any, weight: Any, indices: Any, padding_idx: int) -> Any:
    rows = np.asarray(indices).reshape(-1)
    upstream = np.reshape(g, (rows.size, -1))
    kept = rows != padding_idx
    result = np.zeros(np.shape(weight), dtype=np.result_type(weight))
    np.add.at(result, rows[kept], upstream[kept])
    return result


# split and chunk: one node per piece (a view), each sending its gradient to its own place
SPLIT = defop("split", "SplitBackward0", "split", lambda a, key, output_nr: a[key],
              grad=lambda i, g, args, out, p: _scatter(g, args[0], p["key"]),
              formula=("1 on the piece",))
UNBIND = defop("unbind", "UnbindBackward0", "unbind",
               lambda a, key, output_nr: a[(*key, Ellipsis)], grad=SELECT.grad,
               formula=("1 at the selected place",))
# unsafe_split and unsafe_chunk: pieces sharing the input's memory that autograd does not
# treat as views (in-place writes into them are allowed and re-link nothing), as GRU cells use
UNSAFE_SPLIT = defop("unsafe_split", "UnsafeSplitBackward0", "split", SPLIT.forward,
                     grad=SPLIT.grad, formula=("1 on the piece",))
SPLIT_WITH_SIZES = defop("split_with_sizes", "SplitWithSizesBackward0", "split",
                         SPLIT.forward, grad=SPLIT.grad, formula=("1 on the piece",))
FLIP = defop("flip", "FlipBackward0", "flip",
             lambda a, dims: np.flip(a, dims).copy() if dims else np.array(a, copy=True)[()],
             grad=lambda i, g, args, out, p: np.flip(g, p["dims"]) if p["dims"] else g,
             formula=("1 (flipped back)",))
TRIL = defop("tril", "TrilBackward0", "tril", lambda a, diagonal: np.tril(a, diagonal),
             grad=lambda i, g, args, out, p: np.tril(g, p["diagonal"]),
             formula=("1 on and below the diagonal, else 0",))
TRIU = defop("triu", "TriuBackward0", "triu", lambda a, diagonal: np.triu(a, diagonal),
             grad=lambda i, g, args, out, p: np.triu(g, p["diagonal"]),
             formula=("1 on and above the diagonal, else 0",))
DIAG_EMBED = defop("diag_embed", "DiagEmbedBackward0", "diag", lambda a, diagonal: np.diag(
                       a, diagonal),
                   grad=lambda i, g, args, out, p: np.diagonal(g, p["diagonal"]).copy(),
                   formula=("1 from the diagonal",))
DIAGONAL = defop("diagonal", "DiagonalBackward0_copy", "diag",
                 lambda a, diagonal: np.diagonal(a, diagonal).copy(),
                 grad=lambda i, g, args, out, p: _on_diagonal(g, np.shape(args[0]),
                                                              p["diagonal"]),
                 formula=("1 on the diagonal",))


def _on_diagonal(g: Any, shape: tuple, diagonal: int) -> Any:
    """A matrix of `shape`, zero but for `g` along the diagonal at offset `diagonal`."""
    result = np.zeros(shape, dtype=np.result_type(g))
    rows = np.arange(np.size(g)) + max(-diagonal, 0)
    result[rows, rows + diagonal] = g
    return result


# sort and topk pick values by indices computed first (engine.sorting); gather by given ones
SORT = defop("sort", "SortBackward0", "sort",
             lambda a, dim, indices: (np.take_along_axis(a, indices, dim) if np.ndim(a)
                                      else np.array(a, copy=True)[()]),
             grad=lambda i, g, args, out, p: (_put_along(g, args[0], p["indices"], p["dim"])
                                              if np.ndim(args[0]) else g),
             formula=("1 at the place each value came from",), saves=True)
SORT_STABLE = defop("sort_stable", "SortBackward1", "sort", SORT.forward, grad=SORT.grad,
                    formula=SORT.formula, saves=True)
TOPK = defop("topk", "TopkBackward0", "topk", SORT.forward, grad=SORT.grad,
             formula=SORT.formula, saves=True)
GATHER = defop("gather", "GatherBackward0", "gather",
               lambda a, dim, index: np.take_along_axis(_leading(a, index.shape, dim), index, dim),
               grad=lambda i, g, args, out, p: _gather_grad(g, args[0], p["index"], p["dim"]),
               formula=("1 at each gathered place (repeats add up)",), saves=True)


def _put_along(g: Any, a: Any, indices: Any, dim: int) -> Any:
    """Zeros of `a`'s shape with `g` put where its values were taken from."""
    result = np.zeros(np.shape(a), dtype=np.result_type(g))
    np.put_along_axis(result, indices, g, axis=dim)
    return result


def _leading(a: Any, shape: tuple, dim: int) -> Any:
    """The part of `a` a gather reads: the index may be smaller than `a` outside `dim`."""
    return a[tuple(slice(None) if d == dim else slice(0, size) for d, size in enumerate(shape))]


def _gather_grad(g: Any, a: Any, index: Any, dim: int) -> Any:
    """PyTorch's gather backward: the gradient scatter-added where each element came from."""
    if np.ndim(a) == 0:
        return g
    result = np.zeros(np.shape(a), dtype=np.result_type(g))
    np.add.at(result, _scatter_places(dim, index), g)
    return result


def _write(a: Any, value: Any, places: np.ndarray) -> np.ndarray:
    """A copy of `a` with `value` (broadcast) written at the flat `places`; where a place
    repeats, the last write stays."""
    out = np.array(a, copy=True)
    out[np.unravel_index(places, out.shape)] = value
    return out


def _written_grad(i: int, g: Any, args: tuple, out: Any, p: dict) -> Any:
    """Into the tensor written to: the gradient where nothing was written, 0 where it was;
    into the value: the gradient at each place it went (the backward sums it to its shape)."""
    places = np.unravel_index(p["places"], np.shape(args[0]))
    if i == 0:
        kept = np.array(g, copy=True)
        kept[places] = 0
        return kept
    return np.asarray(g)[places]


def _strided_grad(i: int, g: Any, args: tuple, out: Any, p: dict) -> Any:
    """A view re-linked after a write: its gradient goes back to the places it views."""
    total = np.zeros(np.size(args[0]), dtype=np.result_type(g))
    np.add.at(total, p["places"].reshape(-1), np.asarray(g).reshape(-1))
    return total.reshape(np.shape(args[0]))


AS_STRIDED = defop("as_strided", "AsStridedBackward0", "view",
                   lambda a, places, shape: np.asarray(a).reshape(-1)[places].reshape(shape),
                   grad=_strided_grad, formula=("1 at each place it views",))
FILL = defop("fill", "FillBackward2", "fill",
             lambda a, value: np.full(np.shape(a), value, dtype=np.result_type(a))[()],
             grad=lambda i, g, args, out, p: np.zeros_like(g), formula=("0",))
FILL_TENSOR = defop("fill_tensor", "FillBackward3", "fill",
                    lambda a, value: np.full(np.shape(a), value, dtype=np.result_type(a))[()],
                    grad=lambda i, g, args, out, p: np.zeros_like(g) if i == 0 else g,
                    formula=("0", "1 at every place (summed)"))
ZERO = defop("zero", "ZeroBackward0", "zero",
             lambda a: np.zeros_like(a)[()], grad=lambda i, g, args, out, p: np.zeros_like(g),
             formula=("0",))
_WRITE_FORMULA = ("1 where not written, 0 where written", "1 at each place written to")
COPY_SLICES = defop("copy_slices", "torch::autograd::CopySlices", "[:]=",
                    lambda a, value, places: _write(a, value, places), grad=_written_grad,
                    formula=_WRITE_FORMULA)
INDEX_PUT = defop("index_put", "IndexPutBackward0", "[idx]=",
                  lambda a, value, places: _write(a, value, places), grad=_written_grad,
                  formula=_WRITE_FORMULA)
CLONE = defop("clone", "CloneBackward0", "clone",
              lambda a, order="K": np.array(a, copy=True, order=order),
              constant_locals=(1,), formula=("1",))
COPY = defop("copy_", "torch::autograd::CopyBackwards", "copy",
             lambda a, src: np.array(np.broadcast_to(np.asarray(src).astype(
                 np.result_type(a), copy=False), np.shape(a)), copy=True)[()],
             grad=lambda i, g, args, out, p: np.zeros_like(g) if i == 0 else g,
             formula=("0 (overwritten)", "1"))
TO_COPY = defop("to_copy", "ToCopyBackward0", "to", lambda a, dtype: a.astype(dtype),
                grad=lambda i, g, args, out, p: g.astype(np.result_type(args[0])),
                formula=("1",))


REPEAT = defop("repeat", "RepeatBackward0", "repeat", lambda a, repeats: _repeat(a, repeats),
               grad=lambda i, g, args, out, p: _repeat_grad(g, np.shape(args[0]), p["repeats"]),
               formula=("1 (summed over the copies)",))
MASKED_FILL = defop(
    "masked_fill", "MaskedFillBackward0", "masked_fill",
    lambda a, mask, value: np.where(mask, np.asarray(value).astype(a.dtype), a)[()],
    grad=lambda i, g, args, out, p: np.where(p["mask"], np.zeros((), g.dtype), g)[()],
    formula=("0 where mask else 1",))
MASKED_FILL_TENSOR = defop(
    "masked_fill_tensor", "MaskedFillBackward1", "masked_fill",
    lambda a, value, mask: np.where(mask, np.asarray(value).astype(a.dtype), a)[()],
    grad=lambda i, g, args, out, p: (
        np.where(p["mask"], np.zeros((), g.dtype), g)[()] if i == 0
        else np.where(p["mask"], g, np.zeros((), g.dtype)).sum(dtype=g.dtype)),
    formula=("0 where mask else 1", "1 for each masked place"))


def _repeat(a: Any, repeats: tuple[int, ...]) -> Any:
    lead = (1,) * (len(repeats) - np.ndim(a))
    return np.tile(np.reshape(a, lead + np.shape(a)), repeats)


def _repeat_grad(g: Any, shape: tuple[int, ...], repeats: tuple[int, ...]) -> Any:
    """Each copy sends its gradient back: split every dim into (copy, size) and sum the copies."""
    padded = (1,) * (len(repeats) - len(shape)) + tuple(shape)
    split = tuple(x for r, s in zip(repeats, padded, strict=True) for x in (r, s))
    summed = np.reshape(g, split).sum(axis=tuple(range(0, 2 * len(repeats), 2)))
    return np.reshape(summed, shape)


def _scatter(g: Any, a: Any, key: Any) -> Any:
    result = np.zeros(np.shape(a), dtype=np.result_type(a))
    result[key] = g
    return result


def _scatter_add(g: Any, a: Any, key: Any) -> Any:
    result = np.zeros(np.shape(a), dtype=np.result_type(a))
    np.add.at(result, key, g)
    return result


# --- linear algebra ----------------------------------------------------------------------------
def _mm(a: Any, b: Any) -> Any:
    """`a @ b` for matrices as PyTorch's CPU mm computes it: an inner size of 1 (with at least
    two rows and two columns) is an outer product, whose zeros keep their sign (0 · -1 is -0);
    numpy's sum starts from +0 and loses it. Where `matmul_order` models the kernel PyTorch
    runs, its summation order too."""
    return _in_order(matmul_order.mm(a, b), lambda: _mm_zeros(a, b))


def _in_order(exact: Any, plain: Callable[[], Any]) -> Any:
    """`matmul_order`'s product (its order and its signed zeros) where it models the kernel;
    numpy's otherwise."""
    return plain() if exact is None else exact


def _mm_zeros(a: Any, b: Any) -> Any:
    if a.shape[1] == 1 and a.shape[0] > 1 and b.shape[1] > 1:
        return a * b
    return a @ b


def _addmm(bias: Any, a: Any, b: Any) -> Any:
    """`bias + a @ b` as PyTorch's CPU addmm computes it. Its kernels add the products onto
    the bias, so a zero is -0 where the bias is -0 and every product is -0 (rare: found, then
    checked one by one); but with a transposed `b` (`linear`'s weight.T) and every size at
    least 2, the products are summed from +0 first, and no zero is -0."""
    return _in_order(matmul_order.addmm(bias, a, b), lambda: _addmm_zeros(bias, a, b))


def _addmm_zeros(bias: Any, a: Any, b: Any) -> Any:
    result = bias + _mm_zeros(a, b)
    if min(*a.shape, b.shape[1]) > 1 and not b.flags.c_contiguous:
        return result
    if np.ndim(bias) and result.size and np.signbit(bias).any():
        suspects = np.argwhere((result == 0) & ~np.signbit(result)
                               & np.signbit(np.broadcast_to(bias, result.shape)))
        for i, j in suspects:
            products = a[i, :] * b[:, j]
            if np.all((products == 0) & np.signbit(products)):
                result[i, j] = -result.dtype.type(0)
    return result


def _mv(a: Any, v: Any) -> Any:
    exact = matmul_order.mv(a, v)
    return np.matmul(a, v) if exact is None else exact


def _bmm(a: Any, b: Any) -> Any:
    exact = matmul_order.bmm(a, b)
    return np.matmul(a, b) if exact is None else exact


def _dot(a: Any, b: Any) -> Any:
    """PyTorch's dot: MKL's sdot and ddot (`mkl_kernels`) for contiguous float32 vectors that
    lie alike about 16-byte boundaries and for contiguous float64 ones; elsewhere numpy's, from
    +0 as PyTorch's (so [0.]·[-1.] is 0., not -0)."""
    if (a.dtype == b.dtype == np.float32 and a.strides == b.strides == (4,)
            and (a.ctypes.data - b.ctypes.data) % 16 == 0):
        return np.float32(sdot(a, b))
    if a.dtype == b.dtype == np.float64 and a.strides == b.strides == (8,):
        return np.float64(ddot(a, b))
    return np.dot(a, b) + 0


def _mm_grad(i: int, g: Any, a: Any, b: Any) -> Any:
    """mm_mat1_backward and mm_mat2_backward: the gradient of an operand that is exactly a
    transposed contiguous matrix (`W.t()`) is computed transposed, (b @ gᵀ)ᵀ or (gᵀ @ a)ᵀ, so
    it comes out in that operand's layout; any other operand's as g @ bᵀ or aᵀ @ g. The two
    products add in different orders."""
    if i == 0:
        return _mm(b, g.T).T if _exactly_transposed(a) else _mm(g, b.T)
    return _mm(g.T, a).T if _exactly_transposed(b) else _mm(a.T, g)


def _exactly_transposed(x: Any) -> bool:
    return x.ndim == 2 and x.strides == (x.itemsize, x.shape[0] * x.itemsize)


MM = defop("mm", "MmBackward0", "@", _mm,
           grad=lambda i, g, args, out, p: _mm_grad(i, g, args[0], args[1]),
           formula=("upstream @ {b}ᵀ", "{a}ᵀ @ upstream"), saves=True, saved_inputs="cross")
MV = defop("mv", "MvBackward0", "@", lambda a, v: _mv(a, v),
           grad=lambda i, g, args, out, p: np.outer(g, args[1]) if i == 0 else _mv(args[0].T, g),
           formula=("upstream ⊗ {b}", "{a}ᵀ @ upstream"), saves=True, saved_inputs="cross")
DOT = defop("dot", "DotBackward0", "·", lambda a, b: _dot(a, b),
            local=lambda i, args, out, p: args[1 - i], formula=("{b}", "{a}"),
                saves=True, saved_inputs="cross")
BMM = defop("bmm", "BmmBackward0", "@", lambda a, b: _bmm(a, b),
            grad=lambda i, g, args, out, p: (_bmm(g, np.swapaxes(args[1], -1, -2)) if i == 0
                                             else _bmm(np.swapaxes(args[0], -1, -2), g)),
            formula=("upstream @ {b}ᵀ", "{a}ᵀ @ upstream"), saves=True, saved_inputs="cross")
ADDMM = defop(
    "addmm", "AddmmBackward0", "addmm",
    lambda bias, a, b, beta=1, alpha=1: (_addmm(bias, a, b) if beta == 1 and alpha == 1
                                         else _scaled(_mm(a, b), alpha) + _scaled(bias, beta)),
    grad=lambda i, g, args, out, p: (
        sum_to(_scaled(g, (p or {}).get("beta", 1)), np.shape(args[0])) if i == 0
        else _scaled(_mm_grad(i - 1, g, args[1], args[2]), (p or {}).get("alpha", 1))),
    formula=("β", "α · upstream @ {c}ᵀ", "α · {b}ᵀ @ upstream"), saves=True,
    saved_inputs="cross")


def _scaled(values: Any, factor: Any) -> Any:
    """`factor · values` in the values' dtype; a factor of 0 gives zeros (BLAS ignores them)."""
    if factor == 1:
        return values
    if factor == 0:
        return np.zeros_like(values)
    return values * np.result_type(values).type(factor)

LERP = defop("lerp", "LerpBackward0", "lerp", lambda a, b, weight: lerp(a, b, weight),
             grad=lambda i, g, args, out, p: g * g.dtype.type(
                 1 - p["weight"] if i == 0 else p["weight"]),
             formula=(lambda p: f"1 − {_num(p['weight'])}", lambda p: _num(p["weight"])))
LERP_TENSOR = defop(
    "lerp_tensor", "LerpBackward1", "lerp", lambda a, b, w: lerp(a, b, w),
    grad=lambda i, g, args, out, p: (g * (args[2].dtype.type(1) - args[2]) if i == 0
                                     else g * args[2] if i == 1 else g * (args[1] - args[0])),
    formula=("1 − w", "w", "{b} − {a}"), saves=True, saved_inputs="all")


def lerp(start: Any, end: Any, weight: Any) -> Any:
    """start + weight·(end − start) as PyTorch's CPU kernels compute it: one fused multiply-add,
    from start where |weight| < 0.5, else end + (weight − 1)·(end − start)."""
    dtype = np.result_type(start, end)
    weight = np.asarray(weight, dtype)
    diff = end - start
    fused = compiled.fma64 if dtype == np.float64 else compiled.fma32
    near = fused(weight, diff, np.asarray(start, dtype))
    far = fused(weight - dtype.type(1), diff, np.asarray(end, dtype))
    return np.where(np.abs(weight) < 0.5, near, far).astype(dtype, copy=False)[()]


# addcmul and addcdiv: PyTorch's CPU kernels (the value rounded to the dtype first);
# the value is a param, the three tensors the inputs
ADDCMUL = defop(
    "addcmul", "AddcmulBackward0", "addcmul",
    lambda a, t1, t2, value: _addcmul(a, t1, t2, value),
    grad=lambda i, g, args, out, p: (g if i == 0 else g * (args[3 - i] * _in(args[0],
                                                                              p["value"]))),
    formula=("1", "value·{c}", "value·{b}"), saves=True, saved_inputs="all")
ADDCDIV = defop(
    "addcdiv", "AddcdivBackward0", "addcdiv",
    lambda a, t1, t2, value: (a + (np.result_type(a).type(value) * t1) / t2)[()],
    grad=lambda i, g, args, out, p: _addcdiv_grad(i, g, *args, p["value"]),
    formula=("1", "value/{c}", "−value·{b}/{c}²"), saves=True, saved_inputs="all")


def _addcmul(a: Any, t1: Any, t2: Any, value: Any) -> Any:
    scaled = _in(a, value) * t1
    if np.result_type(a).kind in "biu":
        return (a + scaled * t2)[()]
    return _fma(scaled, t2, a)[()]


def _in(a: Any, value: Any) -> Any:
    """A Python number as a tensor of `a`'s dtype holds it."""
    return np.result_type(a).type(value)


def _addcdiv_grad(i: int, g: Any, a: Any, t1: Any, t2: Any, value: Any) -> Any:
    with np.errstate(all="ignore"):
        if i == 0:
            return g
        if i == 1:
            return g * (_in(a, value) / t2)
        return -g * ((_in(a, value) * t1) / (t2 * t2))


# scatter and index_add: values put (or added, in the index's order) into a copy of self
SCATTER_ADD = defop(
    "scatter_add", "ScatterAddBackward0", "scatter_add",
    lambda a, src, dim, index: _scattered(a, src, dim, index, add=True),
    grad=lambda i, g, args, out, p: g if i == 0 else _gather_back(g, p["dim"], p["index"],
                                                                  np.shape(args[1])),
    formula=("1", "1 at each scattered place"), saves=True)
SCATTER = defop(
    "scatter", "ScatterBackward0", "scatter",
    lambda a, src, dim, index: _scattered(a, src, dim, index, add=False),
    grad=lambda i, g, args, out, p: (_scattered(g, np.zeros((), g.dtype), p["dim"], p["index"],
                                                add=False) if i == 0 else
                                     _gather_back(g, p["dim"], p["index"], np.shape(args[1]))),
    formula=("1 where not overwritten", "1 at each scattered place"), saves=True)
SCATTER_VALUE = defop(
    "scatter_value", "ScatterBackward1", "scatter",
    lambda a, value, dim, index: _scattered(a, value, dim, index, add=False),
    grad=SCATTER.grad, formula=("1 where not overwritten",), saves=True)
INDEX_ADD = defop(
    "index_add", "IndexAddBackward0", "index_add",
    lambda a, source, dim, index, alpha: _index_added(a, source, dim, index, alpha),
    grad=lambda i, g, args, out, p: g if i == 0 else _index_add_source_grad(g, p),
    formula=("1", "alpha at each indexed place"), saves=True)


def _scatter_places(dim: int, index: Any) -> tuple:
    """The places in self each element of `index` names: its own position, `dim` replaced
    (where scatter writes and gather reads)."""
    places = list(np.indices(np.shape(index), sparse=True))
    places[dim] = index
    return tuple(places)


def _scattered(a: Any, src: Any, dim: int, index: Any, add: bool) -> Any:
    out = np.array(a, copy=True)
    if not np.ndim(out):
        out = out.reshape(1)
        index, dim = np.reshape(index, -1), 0
        src = np.reshape(src, -1) if np.ndim(src) else src
    places = _scatter_places(dim, index)
    values = src if not np.ndim(src) else np.asarray(src)[tuple(
        slice(0, n) for n in np.shape(index))]
    if add:
        np.add.at(out, places, values)
    else:
        out[places] = values
    return out.reshape(np.shape(a))[()]


def _gather_back(g: Any, dim: int, index: Any, shape: tuple) -> Any:
    """The gradient of scatter's source: g at each place, zeros where index does not reach."""
    result = np.zeros(shape, np.result_type(g))
    if not np.ndim(g):
        return np.reshape(g, shape) if shape else g
    taken = g[_scatter_places(dim, index)]
    result[tuple(slice(0, n) for n in np.shape(index))] = taken
    return result


def _index_added(a: Any, source: Any, dim: int, index: Any, alpha: Any) -> Any:
    """Each slice of source added (alpha times, as add_ with alpha adds) onto self's slice at
    its index, in the index's order."""
    out = np.array(a, copy=True)
    if not np.ndim(out):
        return _fused_add(out, np.reshape(source, ()), alpha)[()]
    source = np.asarray(source)
    if alpha == 1:
        np.add.at(out, (slice(None),) * dim + (index,), source)
        return out
    for i, place in enumerate(index.tolist()):
        target = (slice(None),) * dim + (place,)
        out[target] = _fused_add(out[target], source[(slice(None),) * dim + (i,)], alpha)
    return out


def _index_add_source_grad(g: Any, p: dict) -> Any:
    if not np.ndim(g):
        picked = g
    else:
        picked = np.take(g, p["index"], axis=p["dim"])
    return picked * np.result_type(g).type(p["alpha"]) if p["alpha"] != 1 else picked


NAN_TO_NUM = defop(
    "nan_to_num", "NanToNumBackward0", "nan_to_num",
    lambda a, nan, posinf, neginf: np.nan_to_num(a, nan=nan, posinf=posinf, neginf=neginf)[()],
    grad=lambda i, g, args, out, p: g * np.isfinite(args[0]).astype(np.result_type(g)),
    formula=("1 where {a} is finite, else 0",), saves=True, saved_inputs="all")
TRUNC = defop("trunc", "TruncBackward0", "trunc", lambda a: np.trunc(a)[()],
              grad=lambda i, g, args, out, p: np.zeros_like(g)[()], formula=("0",))
FRAC = defop("frac", "FracBackward0", "frac", lambda a: (a - np.trunc(a))[()],
             grad=lambda i, g, args, out, p: g, formula=("1",))
MASKED_SELECT = defop(
    "masked_select", "MaskedSelectBackward0", "masked_select",
    lambda a, mask: _selected(a, mask),
    grad=lambda i, g, args, out, p: _masked_scatter(g, p["mask"], args[0]),
    formula=("1 where the mask is true",), saves=True)


def _both_broadcast(a: Any, mask: Any) -> tuple[Any, Any]:
    shape = np.broadcast_shapes(np.shape(a), np.shape(mask))
    return np.broadcast_to(a, shape), np.broadcast_to(mask, shape)


def _selected(a: Any, mask: Any) -> Any:
    a, mask = _both_broadcast(a, mask)
    return a[mask]


def _masked_scatter(g: Any, mask: Any, a: Any) -> Any:
    """Zeros of the broadcast shape with `g` where the mask is true (summed to `a` later)."""
    a, mask = _both_broadcast(a, mask)
    result = np.zeros(a.shape, np.result_type(g))
    result[mask] = g
    return result


XLOGY = defop("xlogy", "XlogyBackward0", "xlogy", lambda a, b: _xlogy(a, b),
              grad=lambda i, g, args, out, p: _xlogy_grad(i, g, *args),
              formula=("log {b}", "{a}/{b}"), saves=True, saved_inputs="all")


def _xlogy(x: Any, y: Any) -> Any:
    """x·log(y), 0 where x is 0 and NaN where y is: PyTorch's scalar loop, glibc's log."""
    x, y = np.broadcast_arrays(x, y)
    with np.errstate(all="ignore"):
        product = x * compiled.libm_log(y)
    zero = np.zeros((), product.dtype)
    return np.where(np.isnan(y), np.nan, np.where(x == 0, zero, product)).astype(
        product.dtype)[()]


def _xlogy_grad(i: int, g: Any, x: Any, y: Any) -> Any:
    """xlogy(g, y) for x (0 where x is 0 and y ≤ 0), g·x/y for y."""
    if i == 0:
        return np.where((x == 0) & (y <= 0), np.zeros((), g.dtype), _xlogy(g, y))[()]
    with np.errstate(all="ignore"):
        return (g * x) / y


# --- several inputs ----------------------------------------------------------------------------
CAT = defop("cat", "CatBackward0", "cat", lambda *arrays, dim: np.concatenate(arrays, axis=dim),
            grad=lambda i, g, args, out, p: np.take(
                g, range(p["offsets"][i], p["offsets"][i + 1]), axis=p["dim"]),
            formula=())
STACK = defop("stack", "StackBackward0", "stack", lambda *arrays, dim: np.stack(arrays, axis=dim),
              grad=lambda i, g, args, out, p: np.take(g, i, axis=p["dim"]), formula=())
WHERE = defop(
    "where", "WhereBackward0", "where", lambda a, b, condition: np.where(condition, a, b),
    grad=lambda i, g, args, out, p: (np.where(p["condition"], g, np.zeros((), g.dtype)) if i == 0
                                     else np.where(p["condition"], np.zeros((), g.dtype), g)),
    formula=("1 where condition else 0", "0 where condition else 1"), saves=True)

# --- softmax and losses ------------------------------------------------------------------------
# float32 and float64 go through PyTorch's kernels as `softmax_kernels` reproduces them; other
# float dtypes (float16) keep numpy's formulas.
_KERNEL_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def _softmax(a: Any, dim: int) -> Any:
    if a.dtype in _KERNEL_DTYPES:
        return softmax_kernels.softmax(a, dim)
    shifted = np.exp(a - a.max(axis=dim, keepdims=True))
    total = shifted.sum(axis=dim, keepdims=True)
    if dim == np.ndim(a) - 1 or np.ndim(a) == 0:
        return shifted * (1 / total)
    return shifted / total


def _log_softmax(a: Any, dim: int) -> Any:
    if a.dtype in _KERNEL_DTYPES:
        return softmax_kernels.log_softmax(a, dim)
    shifted = a - a.max(axis=dim, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=dim, keepdims=True))


def _softmax_sum(values: Any, dim: int) -> Any:
    """The sum in PyTorch's softmax backward kernels. Along the last dim (or of a 0-d tensor)
    it starts from the first element, so a sum of -0.s is -0.; along another dim from +0."""
    if np.ndim(values) == 0 or dim == np.ndim(values) - 1:
        return values.sum(axis=dim, keepdims=True, initial=-0.0)
    return values.sum(axis=dim, keepdims=True)


def _softmax_grad(g: Any, out: Any, dim: int) -> Any:
    if out.dtype in _KERNEL_DTYPES:
        return softmax_kernels.softmax_backward(np.asarray(g, out.dtype), out, dim)
    return out * (g - _softmax_sum(g * out, dim))


def _log_softmax_grad(g: Any, out: Any, dim: int) -> Any:
    if out.dtype in _KERNEL_DTYPES:
        return softmax_kernels.log_softmax_backward(np.asarray(g, out.dtype), out, dim)
    return g - np.exp(out) * _softmax_sum(g, dim)


SOFTMAX = defop(
    "softmax", "SoftmaxBackward0", "softmax", lambda a, dim: _softmax(a, dim),
    grad=lambda i, g, args, out, p: _softmax_grad(g, out, p["dim"]),
    formula=("softmax Jacobian: s·(upstream − Σ upstream·s)",), saves=True, saved_output=True)
LOG_SOFTMAX = defop(
    "log_softmax", "LogSoftmaxBackward0", "log_softmax", lambda a, dim: _log_softmax(a, dim),
    grad=lambda i, g, args, out, p: _log_softmax_grad(g, out, p["dim"]),
    formula=("upstream − softmax·Σ upstream",), saves=True, saved_output=True)


def _reduce(loss: Any, reduction: str) -> Any:
    """apply_loss_reduction: the unreduced loss's `mean()` or `sum()`, in torch.sum's order."""
    if reduction == "mean":
        return _mean(loss, None, False)
    if reduction == "sum":
        return cpu_loops.torch_sum(loss)[()]
    return loss


def _loss_scale(g: Any, shape: tuple, reduction: str) -> Any:
    if reduction == "none":
        return g
    n = int(np.prod(shape)) if reduction == "mean" else 1
    return np.broadcast_to(g, shape) / n if n != 1 else np.broadcast_to(g, shape)


MSE_LOSS = defop(
    "mse_loss", "MseLossBackward0", "mse",
    lambda a, b, reduction: _reduce((a - b) * (a - b), reduction),
    # the target's gradient is the input's with the two swapped (so a tie gives 0., not -0.)
    grad=lambda i, g, args, out, p: (
        (2 / (np.size(args[0]) if p["reduction"] == "mean" else 1))
        * (args[i] - args[1 - i]) * (g if p["reduction"] == "none" else np.broadcast_to(
            g, np.shape(args[0])))).astype(np.result_type(args[0])),
    formula=("2·({a} − {b})/n", "−2·({a} − {b})/n"), saves=True, saved_inputs="all")


def _ignored(target: Any, ignore_index: int) -> Any:
    """Where the target is ignore_index (None where no target is)."""
    ignored = np.asarray(target) == ignore_index
    return ignored if ignored.any() else None


def _nll_targets(target: Any, ignore_index: int) -> tuple[Any, Any]:
    """Where targets are ignore_index (None if nowhere), and the targets safe to index with
    (ignored ones point at class 0)."""
    ignored = _ignored(target, ignore_index)
    return ignored, (target if ignored is None else np.where(ignored, 0, target))


def _at_targets(logp: Any, safe: Any) -> Any:
    return logp[np.arange(len(safe)), safe] if logp.ndim > 1 else logp[safe]


def _nll_total_weight(weights: Any, ignored: Any, count: int, dtype: Any) -> Any:
    """The kernel's total weight: the kept rows' weights summed in its order, or their count."""
    kept = None if ignored is None else np.atleast_1d(~ignored)
    if weights is not None:
        return nll_sums(np.atleast_1d(weights), kept)
    return dtype.type(count - (0 if ignored is None else int(np.count_nonzero(ignored))))


def _nll(logp: Any, target: Any, reduction: str, weight: Any = None,
         ignore_index: int = -100) -> Any:
    """nll_loss_out_frame: −logp at each target (times its class weight, the product rounded)
    per row, or their sum in the kernel's cascade order (`nll_kernel`), divided by the total
    weight for 'mean'. Rows whose target is ignore_index count for nothing, in the sum and in
    the divisor."""
    ignored, safe = _nll_targets(target, ignore_index)
    picked = _at_targets(logp, safe)
    weights = None if weight is None else weight[safe]
    losses = -picked if weights is None else -(picked * weights)
    if reduction == "none" and logp.ndim > 1:
        return losses if ignored is None else np.where(ignored, logp.dtype.type(0), losses)
    total = nll_sums(np.atleast_1d(losses), None if ignored is None else np.atleast_1d(~ignored))
    if reduction != "mean":
        return total
    return total / _nll_total_weight(weights, ignored, np.size(target), logp.dtype)


def _nll_grad(g: Any, logp: Any, target: Any, reduction: str, weight: Any = None,
              ignore_index: int = -100) -> Any:
    """nll_loss_backward_out_frame: at each target −w·upstream row by row ('none'), else
    w·(−upstream, divided by the total weight for 'mean'); 0 wherever the target is ignored
    (also when every target is, where the forward's mean is NaN)."""
    ignored, safe = _nll_targets(target, ignore_index)
    weights = None if weight is None else weight[safe]
    result = np.zeros(np.shape(logp), dtype=logp.dtype)
    if reduction == "none" and logp.ndim > 1:
        g = np.broadcast_to(g, np.shape(safe))
        scale = -g if weights is None else -weights * g
    else:
        total = _nll_total_weight(weights, ignored, np.size(target), logp.dtype)
        scale = -(g / total) if reduction == "mean" else -g
        if weights is not None:
            scale = weights * scale
    if ignored is not None:
        scale = np.where(ignored, logp.dtype.type(0), scale)
    if logp.ndim > 1:
        result[np.arange(len(safe)), safe] = scale
    else:
        result[safe] = scale
    return result


NLL_LOSS = defop(
    "nll_loss", "NllLossBackward0", "nll",
    lambda logp, target, reduction, weight=None, ignore_index=-100: _nll(
        logp, target, reduction, weight, ignore_index),
    grad=lambda i, g, args, out, p: _nll_grad(g, args[0], p["target"], p["reduction"],
                                              p.get("weight"), p.get("ignore_index", -100)),
    formula=("−1/n at each target class",), saves=True, saved_inputs="all")


def _bce(x: Any, t: Any, reduction: str, weight: Any = None) -> Any:
    """PyTorch's kernel: (t − 1)·max(log1p(−x), −100) − t·max(log x, −100), then × weight."""
    floor = x.dtype.type(-100)
    log, log1p = (compiled.libm_log, compiled.libm_log1p) if x.dtype in _COMPILED_FLOATS else (
        np.log, np.log1p)  # the C library's, as PyTorch's scalar loop calls them
    loss = (t - 1) * np.maximum(log1p(-x), floor) - t * np.maximum(log(x), floor)
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


def _bce_grad(i: int, g: Any, x: Any, t: Any, p: dict) -> Any:
    """PyTorch's binary_cross_entropy backward for the input and (−logit x) for the target."""
    g = np.broadcast_to(g, np.shape(x))
    if i == 0:
        result = g * (x - t) / np.maximum((1 - x) * x, x.dtype.type(_BCE_EPSILON))
    else:
        result = -vml.log(x / (1 - x)) * g  # torch.logit: MKL's log of x / (1 − x)
    if p.get("weight") is not None:
        result = result * p["weight"]
    if p["reduction"] == "mean":
        result = result / x.dtype.type(np.size(x))
    return result


_BCE_EPSILON = np.float32(1e-12)  # a float constant in PyTorch, for double tensors too

BINARY_CROSS_ENTROPY = defop(
    "binary_cross_entropy", "BinaryCrossEntropyBackward0", "bce",
    lambda x, t, reduction, weight=None: _bce(x, t, reduction, weight),
    grad=lambda i, g, args, out, p: _bce_grad(i, g, args[0], args[1], p),
    formula=("({a} − {b}) / ({a}·(1 − {a})·n)", "−logit({a})/n"), saves=True,
    saved_inputs="all")


def _log_sigmoid(x: Any) -> Any:
    """PyTorch's log_sigmoid kernel: min(x, 0) − log1p(e^−|x|) with Sleef's exp and log1p."""
    return log_sigmoid_kernel.log_sigmoid(x)


def _bce_logits(x: Any, t: Any, weight: Any, pos_weight: Any, reduction: str) -> Any:
    log_sigmoid = _log_sigmoid(x)
    if pos_weight is not None:
        log_sigmoid = log_sigmoid * ((pos_weight - 1) * t + 1)
    loss = (1 - t) * x - log_sigmoid
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


def _bce_logits_grad(i: int, g: Any, x: Any, t: Any, p: dict) -> Any:
    """PyTorch's binary_cross_entropy_with_logits backward, for the input and the target."""
    weight, pos_weight = p["weight"], p["pos_weight"]
    if i == 0:
        if pos_weight is not None:
            scaled = pos_weight * t
            result = (scaled + 1 - t) * _sigmoid(x) - scaled
        else:
            result = _sigmoid(x) - t
        result = result * g
    elif pos_weight is not None:
        result = (_log_sigmoid(-x) - _log_sigmoid(x) * pos_weight) * g
    else:
        result = -x * g
    if weight is not None:
        result = result * weight
    if p["reduction"] == "mean":
        result = result / result.dtype.type(np.size(x))
    return result


BCE_WITH_LOGITS = defop(
    "binary_cross_entropy_with_logits", "BinaryCrossEntropyWithLogitsBackward0", "bce",
    lambda x, t, weight, pos_weight, reduction: _bce_logits(x, t, weight, pos_weight, reduction),
    grad=lambda i, g, args, out, p: _bce_logits_grad(i, g, args[0], args[1], p),
    formula=("(σ({a}) − {b})/n", "−{a}/n"), saves=True, saved_inputs="all")
