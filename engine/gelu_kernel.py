"""`torch.nn.functional.gelu` and its gradient as PyTorch 2.13 computes them on an AVX-512 CPU,
bit for bit for float32 and float64.

Two implementations share the work:

* float32 with approximate='none' on a contiguous tensor of two elements or more goes to
  oneDNN (Activation.cpp's `use_onednn`): its JIT eltwise kernel `gelu_erf`, the same code for
  every element. Forward: 0.5·x·(1 + erf(x/√2)) with erf from 25 minimax polynomials of
  degree 5 picked by x's exponent bits (`gelu_erf_minimax_approx`); it gives NaN for +inf.
  Backward: upstream · (0.5 + x/√(2π)·e^(−x²/2) + 0.5·erf(x/√2)), erf by Abramowitz and
  Stegun's 7.1.26 and e^ by oneDNN's own polynomial.
* everything else goes to `GeluKernelImpl` / `GeluBackwardKernelImpl`, which split elements
  between vector blocks and scalar code as `sigmoid_kernel.by_blocks` models. Vector blocks:
  float32 erf is PyTorch's own 7.1.26 polynomial around Sleef's expf, float64 erf
  Sleef_erfd8_u10, tanh Sleef's tanhf/tanh; scalar code: the C library's erff, erf, tanhf,
  tanh, expf, exp. GCC fuses x + κ·x³, 1 − t², 1 + 3κ·x² and the final sums into multiply-adds
  in both, except the erf backward's scalar x·pdf, rounded before its add. The forward passes a
  grain of n / threads above 16,384 elements, so it already splits two ways from 16,385.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from engine import compiled, cpu_loops
from engine.jit import fma, scalar, ufunc
from engine.sigmoid_kernel import by_blocks

_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))
_SQRT1_2 = 0.70710678118654752440  # C's M_SQRT1_2, M_SQRT2, M_2_SQRTPI as doubles
_SQRT2 = 1.41421356237309504880
_2_SQRTPI = 1.12837916709551257390
_BETA = _SQRT2 * _2_SQRTPI * 0.5  # √(2/π), tanh's inner factor
_KAPPA = 0.044715
_PDF_BETA = _2_SQRTPI * _SQRT1_2 * 0.5  # 1/√(2π)
_GELU_MULTITHREAD_FROM = 16384  # GeluKernelImpl's GELU_MIN_ELEMENTS_FOR_MULTI_THREADING


def gelu(a: np.ndarray, approximate: str) -> Any:
    """PyTorch's gelu of `a` (0-d in, numpy scalar out)."""
    a = np.asarray(a)
    if a.dtype not in _FLOATS:
        return _fallback(a, approximate)[()]
    if approximate == "none" and _onednn(a):
        return onednn_gelu_erf(a)[()]
    vector, scalar = _forward_code(a.dtype, approximate)
    return _split_like_gelu(vector, scalar, a)


def gelu_backward(g: np.ndarray, a: np.ndarray, approximate: str) -> Any:
    """PyTorch's gelu_backward: the gradient reaching `a` from upstream `g`."""
    a = np.asarray(a)
    g = np.asarray(g, a.dtype)
    if a.dtype not in _FLOATS:
        return _fallback_backward(g, a, approximate)[()]
    if approximate == "none" and _onednn(a):
        return onednn_gelu_erf_backward(g, a)[()]
    vector, scalar = _backward_code(a.dtype, approximate)
    return by_blocks(vector, scalar, g, a)


def _onednn(a: np.ndarray) -> bool:
    """Activation.cpp's use_onednn: a contiguous float32 tensor of two elements or more."""
    return a.dtype == np.float32 and a.size > 1 and a.flags.c_contiguous


# --- GeluKernelImpl and GeluBackwardKernelImpl -----------------------------------------------
def _forward_code(dtype: np.dtype, approximate: str) -> tuple[Any, Any]:
    """(vector code, scalar code) of the forward kernel for `dtype`."""
    t = dtype.type
    half, one = t(0.5), t(1)
    if approximate == "tanh":
        vector_tanh, scalar_tanh = _tanh_functions(dtype)

        def code(tanh: Any) -> Any:
            return lambda x: (x * half) * (tanh(_tanh_inner(x, x * x)) + one)

        return code(vector_tanh), code(scalar_tanh)
    alpha = t(_SQRT1_2)
    vector_erf = _vector_erf32 if dtype == np.float32 else compiled.sleef_erf

    def erf_code(erf: Any) -> Any:
        return lambda x: (x * half) * (erf(x * alpha) + one)

    return erf_code(vector_erf), erf_code(compiled.libm_erf)


def _backward_code(dtype: np.dtype, approximate: str) -> tuple[Any, Any]:
    """(vector code, scalar code) of the backward kernel for `dtype`, both f(upstream, x)."""
    t = dtype.type
    half, one = t(0.5), t(1)
    fma_ = compiled.fma32 if dtype == np.float32 else compiled.fma64
    if approximate == "tanh":
        vector_tanh, scalar_tanh = _tanh_functions(dtype)
        beta, three_kappa = t(_BETA), t(3) * t(_KAPPA)

        def code(tanh: Any) -> Any:
            def slope(upstream: np.ndarray, x: np.ndarray) -> np.ndarray:
                x_sq = x * x
                tanh_inner = tanh(_tanh_inner(x, x_sq))
                tanh_derivative = fma_(-tanh_inner, tanh_inner, one)
                inner_derivative = beta * fma_(x_sq, three_kappa, one)
                right_derivative = ((x * half) * tanh_derivative) * inner_derivative
                return fma_(tanh_inner + one, half, right_derivative) * upstream
            return slope

        return code(vector_tanh), code(scalar_tanh)
    alpha, pdf_beta, minus_half = t(_SQRT1_2), t(_PDF_BETA), t(-0.5)
    if dtype == np.float32:
        vector_erf, vector_exp, scalar_exp = _vector_erf32, compiled.sleef_expf, compiled.libm_exp
    else:
        vector_erf, vector_exp, scalar_exp = compiled.sleef_erf, compiled.sleef_exp, \
            compiled.libm_exp

    def vector(upstream: np.ndarray, x: np.ndarray) -> np.ndarray:
        cdf = (vector_erf(x * alpha) + one) * half
        pdf = vector_exp((x * x) * minus_half) * pdf_beta
        return fma_(pdf, x, cdf) * upstream

    def scalar(upstream: np.ndarray, x: np.ndarray) -> np.ndarray:
        erf = compiled.libm_erf(x * alpha)
        x_pdf = (scalar_exp((x * x) * minus_half) * pdf_beta) * x
        return fma_(erf + one, half, x_pdf) * upstream

    return vector, scalar


def _tanh_inner(x: np.ndarray, x_sq: np.ndarray) -> np.ndarray:
    """β·(x + κ·x³), the sum one multiply-add."""
    t = x.dtype.type
    fma_ = compiled.fma32 if x.dtype == np.float32 else compiled.fma64
    return fma_(x_sq * x, t(_KAPPA), x) * t(_BETA)


def _tanh_functions(dtype: np.dtype) -> tuple[Any, Any]:
    """Sleef's tanh (vector blocks) and the C library's (scalar code) for `dtype`."""
    if dtype == np.float32:
        return compiled.sleef_tanhf, compiled.libm_tanh
    return compiled.sleef_tanh, compiled.libm_tanh


def _vector_erf32(x: np.ndarray) -> np.ndarray:
    """`Vectorized<float>::erf()`: Abramowitz and Stegun 7.1.26 around Sleef's expf."""
    return pytorch_erf32(x, compiled.sleef_expf(-(x * x)))


def _split_like_gelu(vector: Any, scalar: Any, a: np.ndarray) -> Any:
    """`by_blocks` under GeluKernelImpl's grain: above 16,384 elements n // threads, so its
    threads each take a share (and start their own blocks) from there, where other kernels
    split from 32,768. A tensor laid out densely in another order is computed in that order."""
    threads = cpu_loops.SUM_THREADS
    size = a.size
    if size <= _GELU_MULTITHREAD_FROM or threads == 1:
        return by_blocks(vector, scalar, a)
    if not a.flags.c_contiguous:
        order = _dense_order(a)
        if order is None:  # several runs: shares that split a run are not modelled
            return by_blocks(vector, scalar, a)
        inverse = np.argsort(order)
        return _split_like_gelu(vector, scalar, a.transpose(order)).transpose(inverse)
    grain = size // threads
    used = min(threads, -(-size // grain))
    if used == min(threads, -(-size // cpu_loops.GRAIN_SIZE)):
        return by_blocks(vector, scalar, a)
    flat = a.reshape(-1)
    share = -(-size // used)  # each share below GRAIN_SIZE: by_blocks runs it as one thread
    pieces = [by_blocks(vector, scalar, flat[begin:begin + share])
              for begin in range(0, size, share)]
    return np.concatenate(pieces).reshape(a.shape)


def _dense_order(a: np.ndarray) -> list[int] | None:
    """The axes order that makes `a` C-contiguous, where one exists (a transposed tensor)."""
    order = sorted(range(a.ndim), key=lambda axis: -a.strides[axis])
    candidate = a.transpose(order)
    return order if candidate.flags.c_contiguous else None


# --- other dtypes ----------------------------------------------------------------------------
def _fallback(a: np.ndarray, approximate: str) -> np.ndarray:
    """Half precision and the rest: the formula in float32, PyTorch's opmath type for them."""
    x = a.astype(np.float32)
    if approximate == "tanh":
        inner = np.float32(_BETA) * (x + np.float32(_KAPPA) * (x * x * x))
        out = np.float32(0.5) * x * (np.float32(1) + np.tanh(inner))
    else:
        out = x * np.float32(0.5) * (np.float32(1) + compiled.libm_erf(x * np.float32(_SQRT1_2)))
    return out.astype(a.dtype)


def _fallback_backward(g: np.ndarray, a: np.ndarray, approximate: str) -> np.ndarray:
    """The gradient's formula in float32 for dtypes other than float32 and float64."""
    x, dy = a.astype(np.float32), g.astype(np.float32)
    f = np.float32
    if approximate == "tanh":
        tanh_inner = np.tanh(f(_BETA) * (x + f(_KAPPA) * (x * x * x)))
        right = f(0.5) * x * (f(1) - tanh_inner * tanh_inner) * f(_BETA) * (
            f(1) + f(3) * f(_KAPPA) * x * x)
        out = dy * (f(0.5) * (f(1) + tanh_inner) + right)
    else:
        cdf = f(0.5) * (f(1) + compiled.libm_erf(x * f(_SQRT1_2)))
        out = dy * (cdf + x * f(_PDF_BETA) * np.exp(x * x * f(-0.5)))
    return out.astype(a.dtype)


# --- compiled kernels: PyTorch's float32 erf and oneDNN's gelu_erf ---------------------------
_F32 = np.float32
_AS_P = _F32(0.3275911)  # Abramowitz and Stegun 7.1.26
_AS_COEFFICIENTS = tuple(_F32(c) for c in (1.061405429, -1.453152027, 1.421413741,
                                           -0.284496736, 0.254829592))
_ONE, _HALF = _F32(1), _F32(0.5)


@ufunc("float32(float32, float32)")
def pytorch_erf32(x: float, exp_minus_square: float) -> float:
    """vec512_float.h's erf() given e**(−x²): sign(x)·(1 − r(t)·t·e**(−x²)),
    t = 1/(1 + p·|x|), every step a single rounding or one fused multiply-add."""
    t = _ONE / fma(_AS_P, abs(x), _ONE)
    c = _AS_COEFFICIENTS
    r = fma(fma(fma(fma(c[0], t, c[1]), t, c[2]), t, c[3]), t, c[4])
    erf = fma(-exp_minus_square * t, r, _ONE)
    return -erf if math.copysign(1.0, x) < 0 else erf  # an xor of x's sign bit


def _bits32(*values: int) -> np.ndarray:
    return np.array(values, np.uint32).view(np.float32)


# oneDNN's gelu_erf_minimax_pol: coefficients of degree 0 to 5 of 25 polynomials, padded to
# 32; number 23 is the constant 1 (|x| above 5.54), number 24 the identity (NaN lands there).
_MINIMAX = np.stack([np.concatenate([_bits32(*row), np.zeros(7, np.float32)]) for row in (
    (0xa6f2cb94, 0x32827792, 0x3381cc0c, 0x34523d4a, 0x351ac44d, 0x35f36d88, 0x36ee8229,
     0x37b8a3bb, 0x3867a213, 0x3940033b, 0x3a2a5a1d, 0x3ae35863, 0x3b7828f2, 0x3c08b14b,
     0x3c515ed3, 0xbb503236, 0xbd8d8e5e, 0xbe8abcd9, 0xbf0c19a2, 0xbeccb328, 0x3e176ced,
     0x3f470d99, 0x3f7abb28, 0x3f800000, 0x00000000),
    (0x3f4c422a, 0x3f4c421f, 0x3f4c4207, 0x3f4c41cb, 0x3f4c413b, 0x3f4c3fad, 0x3f4c3a2f,
     0x3f4c2d40, 0x3f4c146a, 0x3f4bc341, 0x3f4ad08c, 0x3f48f8cf, 0x3f45fac7, 0x3f404e07,
     0x3f3b980f, 0x3f48dff3, 0x3f78b21b, 0x3fbb0704, 0x40019c32, 0x3fe536d6, 0x3f81331e,
     0x3e6c8684, 0x3c98f936, 0x00000000, 0x3f800000),
    (0xb62173f4, 0x3735e4cf, 0x37f2ff89, 0x388c23be, 0x3917535c, 0x39ab2ab0, 0x3a60fadb,
     0x3af9b960, 0x3b6e5491, 0x3c0a4ec5, 0x3ca5aa8c, 0x3d2138d9, 0x3d8737d4, 0x3ddfb660,
     0x3e0f27ab, 0x3d94004b, 0xbe0efdeb, 0xbf1d96c3, 0xbf89db58, 0xbf6d9897, 0xbef69fb8,
     0xbdc4f8a8, 0xbbde6422, 0x00000000, 0x00000000),
    (0xbe081a19, 0xbe084570, 0xbe08639b, 0xbe089837, 0xbe08f409, 0xbe09ab95, 0xbe0b66d0,
     0xbe0e400a, 0xbe124df8, 0xbe1bde02, 0xbe2f19c9, 0xbe4931bf, 0xbe685fbc, 0xbe89c95f,
     0xbe96cbca, 0xbe8044aa, 0xbe0550f2, 0x3dcfd6a1, 0x3e94c826, 0x3e79345f, 0x3decec91,
     0x3ca46568, 0x3aa1e00a, 0x00000000, 0x00000000),
    (0xba3d61db, 0x39f097a3, 0x3a5845dc, 0x3ab1fa35, 0x3b0cefb8, 0x3b653ab6, 0x3bcae527,
     0x3c221712, 0x3c6c5840, 0x3cc0a703, 0x3d1dcc19, 0x3d63656d, 0x3d955907, 0x3dbf9910,
     0x3dd53f69, 0x3db7dcef, 0x3d639ebe, 0xba6ede48, 0xbd22be69, 0xbd041cf1, 0xbc64f5ab,
     0xbb097a32, 0xb8ebf380, 0x00000000, 0x00000000),
    (0x3cb7d80c, 0x3c9b6050, 0x3c978d11, 0x3c92e850, 0x3c8d058b, 0x3c848454, 0x3c6cd623,
     0x3c4c824b, 0x3c2a7935, 0x3be0b390, 0x3b0651ac, 0xbb232f53, 0xbbd42fa0, 0xbc2c5366,
     0xbc492c9e, 0xbc2a7aa6, 0xbbd55d04, 0xba823a76, 0x3b102aa8, 0x3ae25a7e, 0x3a31f792,
     0x38b84375, 0x3689bb5a, 0x00000000, 0x00000000))])
_MINIMAX_INDEX_BIAS = 0xC21FFFFF - 2**32  # the table's bias, read as an int32
_MINIMAX_BOUND = _bits32(0x40b15cee)[0]  # above it the index is 23 (erf = 1)


@scalar
def _bits_of_positive(v: float) -> int:
    """The bits of a float32 v >= 0 (finite or inf) as an integer."""
    if v == math.inf:
        return 0x7F800000
    if v < _F32(2.0**-126):  # subnormal: a zero exponent field
        return int(np.float64(v) * 2.0**149)
    mantissa, exponent = math.frexp(np.float64(v))
    return ((exponent + 126) << 23) + int((mantissa * 2 - 1) * 2.0**23)


@ufunc("float32(float32)")
def onednn_gelu_erf(x: float) -> float:
    """oneDNN's gelu_erf forward (avx512_core), one element: x·(1 + ±p(|x|))·0.5, the
    polynomial's index from |x|'s bits plus a bias, shifted right by 21 and clamped to [1, 24]."""
    if x != x:
        return x + x
    magnitude = abs(x)
    index = max(1, min(24, (_bits_of_positive(magnitude) + _MINIMAX_INDEX_BIAS) >> 21))
    if _MINIMAX_BOUND < magnitude:
        index = 23
    c = _MINIMAX
    polynomial = c[5, index]
    for degree in range(4, -1, -1):
        polynomial = fma(polynomial, magnitude, c[degree, index])
    if math.copysign(1.0, x) < 0:
        polynomial = -polynomial
    return (x * (polynomial + _ONE)) * _HALF


_LN_FLT_MIN, _LN_FLT_MAX = _bits32(0xc2aeac50)[0], _bits32(0x42b17218)[0]
_LOG2E, _LN2 = _bits32(0x3fb8aa3b)[0], _bits32(0x3f317218)[0]
_EXP_COEFFICIENTS = tuple(_bits32(0x3c07cfce, 0x3d2b9d0d, 0x3e2aad40, 0x3efffee3, 0x3f7ffffb))
_ONE_OVER_SQRT_TWO, _ONE_OVER_SQRT_PI = _bits32(0x3f3504f3)[0], _bits32(0x3f106eba)[0]


@scalar
def _onednn_exp(x: float) -> float:
    """oneDNN's exp (jit_uni_eltwise_injector): 2·2**(n−1)·p(r), n = ⌊x·log2(e) + 0.5⌋ and
    r = x − n·ln 2, zero below ln(FLT_MIN)."""
    underflow = x < _LN_FLT_MIN
    x = x if x < _LN_FLT_MAX else _LN_FLT_MAX  # vminps/vmaxps: a NaN takes the bound
    x = x if x > _LN_FLT_MIN else _LN_FLT_MIN
    n = np.floor(x * _LOG2E + _HALF)
    r = fma(-n, _LN2, x)
    field = int(n) - 1 + 127  # 2**(n−1) built from its exponent field: 0 gives +0.
    scale = _F32(0) if underflow or field <= 0 else _F32(math.ldexp(1.0, field - 127))
    c = _EXP_COEFFICIENTS
    p = fma(fma(fma(fma(fma(c[0], r, c[1]), r, c[2]), r, c[3]), r, c[4]), r, _ONE)
    return (p * scale) * _F32(2)


@ufunc("float32(float32, float32)")
def onednn_gelu_erf_backward(upstream: float, x: float) -> float:
    """oneDNN's gelu_erf backward, one element: upstream·(0.5 + R/√π·e**(−R²) + 0.5·erf(R)),
    R = x/√2, erf by Abramowitz and Stegun 7.1.26 around oneDNN's exp."""
    r = x * _ONE_OVER_SQRT_TWO
    q = _onednn_exp(-(r * r))
    t = (r * _ONE_OVER_SQRT_PI) * q
    w = _ONE / fma(_AS_P, abs(r), _ONE)
    c = _AS_COEFFICIENTS
    polynomial = fma(fma(fma(fma(c[0], w, c[1]), w, c[2]), w, c[3]), w, c[4])
    erf = fma(-q * w, polynomial, _ONE)
    if math.copysign(1.0, r) < 0:
        erf = -erf
    return fma(erf, _HALF, t + _HALF) * upstream
