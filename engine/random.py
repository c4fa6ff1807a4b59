"""PyTorch's CPU random numbers, reproduced bit for bit in numpy.

PyTorch's CPU generator is a 32-bit Mersenne Twister seeded like `std::mt19937(seed)`, which is
exactly numpy's `MT19937` with legacy seeding. On top of that raw stream this module rebuilds the
way PyTorch's CPU kernels turn words into numbers:

* 64-bit words are two consecutive 32-bit words, the first one the high half.
* Uniforms in [0, 1): float32 (and float16, via float32) keep the low 24 bits of a 32-bit word,
  float64 the low 53 bits of a 64-bit word, times 2**-mantissa_bits.
* Normals take one of two paths, chosen by the element count:
  - fewer than 16: one Box-Muller pair per two elements, from two float64 uniforms; the second
    sample of a pair is cached in the generator and returned by the next normal draw (any dtype).
    The cache survives between calls and is cleared by `manual_seed`.
  - 16 or more: all uniforms are drawn first, then transformed in blocks of 16 (the first 8 give
    the radii, the last 8 the angles). If the count is not a multiple of 16, 16 fresh uniforms are
    drawn and transformed, overwriting the last 16 results. float64 uses the C library's log, cos
    and sin (called through `math`, so the very same functions PyTorch calls); float32 (and
    float16, computed in float32) uses PyTorch's AVX2 polynomial approximations, emulated here
    operation for operation.
* Integers in [low, high): a word modulo the range, plus low; the word is 64-bit when the range
  is 2**28 or more (PyTorch's public builds accept at most ~5% modulo skew), else 32-bit.
* Permutations: Fisher-Yates, swapping element i with i + word % (n - i).

Everything matches PyTorch 2.x on x86-64 CPUs with AVX2 or AVX-512, the CPUs PyTorch ships
vectorised kernels for. One caveat: float32/float16 normals of 16 or more elements follow that
AVX2 kernel, so they differ from a PyTorch running its plain C++ kernel (ARM CPUs, or x86 without
AVX2), where PyTorch's own numbers change too.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from typing import Any

import numpy as np

from engine.compiled import fma32 as _fma32
from engine.compiled import fma64 as _fma
from engine.compiled import libm_cos as _libm_cos
from engine.compiled import libm_log as _libm_log
from engine.compiled import libm_sin as _libm_sin

DEFAULT_SEED = 67280421310721
"""The seed at import. PyTorch 2.x seeds its default generator from /dev/urandom instead, so no
fixed value can match it there; this is c10's historical default seed, kept for reproducibility."""

_UINT64 = 1 << 64
_NORMAL_BLOCK = 16
_RANDINT_WIDE_RANGE = 1 << 28  # randint ranges from here on draw 64-bit words
_RANDPERM_SMALL_N = 0xFFFFFFFF // 20  # PyTorch switches randperm algorithms at this n


class Generator:
    """`torch.Generator`: PyTorch's CPU generator, the mt19937 engine with its seed and its
    cached normal. `torch.manual_seed` seeds the default one; a script may make its own
    (`g = torch.Generator().manual_seed(2147483647)`) and draw from it with `generator=g`."""

    def __init__(self, device: Any = "cpu") -> None:
        _check_generator_device(device)
        self.engine = np.random.MT19937()
        self._seed = 0
        self.cached_normal: float | None = None
        self.reseed(DEFAULT_SEED)

    def __repr__(self) -> str:
        return f"<torch._C.Generator object at {id(self):#x}>"

    @property
    def device(self) -> Any:
        from engine.device import device

        return device("cpu")

    def manual_seed(self, seed: int) -> Generator:
        """Seed this generator (negative seeds wrap to unsigned 64-bit) and return it."""
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise RuntimeError(f"manual_seed expected a long, but got {type(seed).__name__}")
        seed = int(seed)
        if not -(1 << 63) <= seed < _UINT64:
            raise ValueError("Overflow when unpacking long long")
        self.reseed(seed % _UINT64)
        return self

    def initial_seed(self) -> int:
        return self._seed

    def seed(self) -> int:
        """Seed from the operating system's entropy, as PyTorch does; return the seed."""
        seed = int.from_bytes(os.urandom(8), "little")
        self.reseed(seed)
        return seed

    def reseed(self, seed: int) -> None:
        """Seed like `torch.manual_seed`: the engine sees the low 32 bits, the cache is dropped."""
        self._seed = seed
        self.engine._legacy_seeding(seed & 0xFFFFFFFF)
        self.cached_normal = None

    def words32(self, n: int) -> np.ndarray:
        """The next `n` 32-bit outputs, as uint64."""
        return self.engine.random_raw(n)

    def words64(self, n: int) -> np.ndarray:
        """The next `n` 64-bit words, each built from two outputs (the first is the high half)."""
        pairs = self.words32(2 * n).reshape(n, 2)
        return (pairs[:, 0] << np.uint64(32)) | pairs[:, 1]

    def uniform_f32(self, n: int) -> np.ndarray:
        """`n` float32 uniforms in [0, 1): the low 24 bits of a word, scaled."""
        return (self.words32(n) & np.uint64(0xFFFFFF)).astype(np.float32) * np.float32(2.0**-24)

    def uniform_f64(self, n: int) -> np.ndarray:
        """`n` float64 uniforms in [0, 1): the low 53 bits of a 64-bit word, scaled."""
        mantissa = self.words64(n) & np.uint64((1 << 53) - 1)
        return mantissa.astype(np.float64) * 2.0**-53

    def normal_scalar(self) -> float:
        """One standard normal as PyTorch's scalar path makes it (Box-Muller with a cache)."""
        if self.cached_normal is not None:
            value, self.cached_normal = self.cached_normal, None
            return value + 0.0  # PyTorch applies `x * std + mean`, which turns -0.0 into 0.0
        u1, u2 = self.uniform_f64(2).tolist()
        radius = math.sqrt(-2.0 * math.log1p(-u2))
        theta = 2.0 * math.pi * u1
        self.cached_normal = radius * math.sin(theta)
        return radius * math.cos(theta) + 0.0


_CUDA_GENERATOR = (
    "Cannot get CUDA generator without ATen_cuda library. PyTorch splits its backend into two "
    "shared libraries: a CPU library and a CUDA library; this error has occurred because you "
    "are trying to use some CUDA functionality, but the CUDA library has not been loaded by "
    "the dynamic linker for some reason.  The CUDA library MUST be loaded, EVEN IF you don't "
    "directly use any symbols from the CUDA library! One common culprit is a lack of "
    "-Wl,--no-as-needed in your link arguments; many dynamic linkers will delete dynamic "
    "library dependencies if you don't depend on any of their symbols.  You can check if this "
    "has occurred by using ldd on your binary to see if there is a dependency on *_cuda.so "
    "library.")


def _check_generator_device(device: Any) -> None:
    """A generator lives on the CPU; PyTorch's words for the others."""
    from engine.device import device as as_device

    kind = as_device(device).type
    if kind == "cuda":
        raise RuntimeError(_CUDA_GENERATOR)
    if kind != "cpu":
        raise RuntimeError(f"{kind.upper()} device type not an accelerator.")


_gen = Generator()
default_generator = _gen


def manual_seed(seed: int) -> Generator:
    """Seed the default generator like `torch.manual_seed` (negative seeds wrap to unsigned
    64-bit); return it, as PyTorch returns its default generator. Unlike the generator's own
    `manual_seed`, it takes anything `int()` takes."""
    return _gen.manual_seed(int(seed))


def initial_seed() -> int:
    """The seed last given to `manual_seed` (or the default), as `torch.initial_seed`."""
    return _gen.initial_seed()


def pick(generator: Generator | None) -> Generator:
    """The generator a draw uses: the one passed as `generator=`, else the default."""
    return _gen if generator is None else generator


def uniform(shape: tuple[int, ...], dtype: np.dtype, generator: Generator | None = None
            ) -> np.ndarray:
    """Uniforms in [0, 1) of this shape and float dtype, as `torch.rand`."""
    gen = pick(generator)
    dtype = np.dtype(dtype)
    n = _numel(shape)
    if dtype == np.float64:
        values = gen.uniform_f64(n)
    elif dtype == np.float32:
        values = gen.uniform_f32(n)
    elif dtype == np.float16:
        # Drawn in float32; a value that rounds up to 1 is folded back to 0, as PyTorch does.
        values = gen.uniform_f32(n).astype(np.float16)
        values[values == 1] = 0
    else:
        raise TypeError(f"uniform: unsupported dtype {dtype}")
    return values.reshape(shape)


def bernoulli(shape: tuple[int, ...], p: float, generator: Generator | None = None
              ) -> np.ndarray:
    """`Tensor.bernoulli_(p)` for a number p: True where a float64 uniform is below p, one
    64-bit word per element (PyTorch's CPU kernel; its MKL path is disabled in public builds)."""
    return pick(generator).uniform_f64(_numel(shape)).reshape(shape) < p


def exponential(shape: tuple[int, ...], dtype: np.dtype, lambd: float,
                generator: Generator | None = None) -> np.ndarray:
    """`Tensor.exponential_(lambd)`: −1/λ · log1p(−u) in double, from one float64 uniform per
    element, with the C library's log1p (PyTorch's CPU kernel), rounded to the dtype."""
    draws = pick(generator).uniform_f64(_numel(shape)).tolist()
    scale = -1.0 / lambd
    values = np.array([scale * math.log1p(-u) for u in draws], dtype=np.float64)
    if np.dtype(dtype) == np.float16:  # via float32, as c10::Half converts a double
        values = values.astype(np.float32)
    return values.astype(dtype).reshape(shape)


def drawn_like(data: np.ndarray, draw: Callable[[tuple[int, ...]], np.ndarray]) -> np.ndarray:
    """What `torch.empty_like(data)` holds once a draw fills it: the draws go into its memory in
    order, and `empty_like` keeps the strides of an input that fills its memory without gaps or
    overlaps (a transposed matrix draws column by column); any other input draws in order."""
    axes = _memory_order(data)
    return draw(tuple(data.shape[a] for a in axes)).transpose(np.argsort(axes))


def _memory_order(data: np.ndarray) -> tuple[int, ...]:
    """The dims of a dense array from outermost to innermost in memory (else in order)."""
    dims = [d for d in range(data.ndim) if data.shape[d] != 1]
    order = sorted(dims, key=lambda d: -data.strides[d])
    step = data.itemsize
    for d in reversed(order):
        if data.strides[d] != step:
            return tuple(range(data.ndim))
        step *= data.shape[d]
    return tuple([d for d in range(data.ndim) if data.shape[d] == 1] + order)


def uniform_between(shape: tuple[int, ...], dtype: np.dtype, low: float, high: float,
                    generator: Generator | None = None) -> np.ndarray:
    """Uniforms in [low, high), as `Tensor.uniform_`: PyTorch's kernel rounds `low` and `high`
    to the dtype and computes `x·(high − low) + low` with one fused multiply-add."""
    gen = pick(generator)
    dtype = np.dtype(dtype)
    n = _numel(shape)
    if dtype == np.float32:
        x = gen.uniform_f32(n).astype(np.float64)  # 24-bit products are exact in float64
        lo, hi = np.float32(low), np.float32(high)
        values = (x * np.float64(hi - lo) + np.float64(lo)).astype(np.float32)
    elif dtype == np.float64:
        values = _fma(gen.uniform_f64(n), np.float64(high) - np.float64(low), np.float64(low))
    else:
        raise TypeError(f"uniform_: unsupported dtype {dtype}")
    return values.reshape(shape)


def normal(shape: tuple[int, ...], dtype: np.dtype, generator: Generator | None = None
           ) -> np.ndarray:
    """Standard normals of this shape and float dtype, as `torch.randn`."""
    gen = pick(generator)
    dtype = np.dtype(dtype)
    if dtype not in (np.float16, np.float32, np.float64):
        raise TypeError(f"normal: unsupported dtype {dtype}")
    n = _numel(shape)
    if n < _NORMAL_BLOCK:
        values = np.array([gen.normal_scalar() for _ in range(n)], dtype=np.float64)
        # float16 goes through float32 (two roundings), like PyTorch's Half conversion.
        compute = np.float32 if dtype == np.float16 else dtype
        return values.astype(compute).astype(dtype).reshape(shape)
    if dtype == np.float64:
        values = _block_normals(n, gen.uniform_f64, _box_muller_f64, draw_partial=True)
    else:
        # float16 is computed in float32 and skips the uniforms of a trailing partial block.
        values = _block_normals(n, gen.uniform_f32, _box_muller_f32,
                                draw_partial=dtype == np.float32)
    return values.astype(dtype).reshape(shape)


def normal_between(shape: tuple[int, ...], dtype: np.dtype, mean: float, std: float,
                   generator: Generator | None = None) -> np.ndarray:
    """Normals with this mean and std, as `Tensor.normal_(mean, std)`: each is z·std + mean
    with one rounding (a fused multiply-add), in double on PyTorch's scalar path (fewer than
    16 elements) and in the dtype on its blocked path."""
    gen = pick(generator)
    dtype = np.dtype(dtype)
    n = _numel(shape)
    if n < _NORMAL_BLOCK:
        z = np.array([gen.normal_scalar() for _ in range(n)], dtype=np.float64)
        values = _fma(z, np.float64(std), np.float64(mean))
        compute = np.float32 if dtype == np.float16 else dtype
        return values.astype(compute).astype(dtype).reshape(shape)
    z = normal(shape, dtype, gen).reshape(-1)
    if dtype == np.float64:
        values = _fma(z, np.float64(std), np.float64(mean))
    else:  # float32 products are exact in float64; the add then rounds once to nearly all
        compute = np.float32
        values = (z.astype(np.float64) * np.float64(compute(std))
                  + np.float64(compute(mean))).astype(compute)
    return values.astype(dtype).reshape(shape)


def integers(low: int, high: int, shape: tuple[int, ...], generator: Generator | None = None
             ) -> np.ndarray:
    """int64 integers in [low, high) of this shape, as `torch.randint(low, high, shape)`."""
    low, high = int(low), int(high)
    if not (-(1 << 63) <= low < 1 << 63 and -(1 << 63) <= high < 1 << 63):
        raise ValueError("Overflow when unpacking long long")
    if low >= high:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    n = _numel(shape)
    span = high - low
    gen = pick(generator)
    words = gen.words64(n) if span >= _RANDINT_WIDE_RANGE else gen.words32(n)
    # Unsigned 64-bit arithmetic that wraps, then reinterpreted as signed, like the C++ kernel.
    values = words % np.uint64(span) + np.uint64(low % _UINT64)
    return values.view(np.int64).reshape(shape)


def permutation(n: int, generator: Generator | None = None) -> np.ndarray:
    """A random permutation of 0..n-1 as int64, as `torch.randperm(n)`."""
    n = int(n)
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    if n >= _RANDPERM_SMALL_N:  # PyTorch's 64-bit "inside-out" shuffle; far too slow here
        raise NotImplementedError(
            f"randperm({n}): sizes of {_RANDPERM_SMALL_N} or more are not supported")
    perm = list(range(n))
    if n > 1:
        offsets = pick(generator).words32(n - 1) % np.arange(n, 1, -1, dtype=np.uint64)
        for i, offset in enumerate(offsets.tolist()):
            j = i + offset
            perm[i], perm[j] = perm[j], perm[i]
    return np.array(perm, dtype=np.int64)


# ---------------------------------------------------------------------------------------------
# Normals in blocks of 16


def _numel(shape: tuple[int, ...]) -> int:
    return math.prod(int(d) for d in shape)


def _block_normals(n: int, draw: Callable[[int], np.ndarray],
                   transform: Callable[[np.ndarray], np.ndarray], draw_partial: bool
                   ) -> np.ndarray:
    """PyTorch's blocked Box-Muller fill for `n >= 16` elements.

    `draw(k)` gives k uniforms; `transform` maps rows of 16 uniforms to rows of 16 normals.
    With `draw_partial` (float32, float64) uniforms are drawn for all n elements up front, so a
    trailing partial block consumes words it never uses; without it (float16) only whole blocks
    are drawn. Either way a partial tail is then redrawn as 16 fresh uniforms whose normals
    overwrite the last 16 elements.
    """
    whole = n // _NORMAL_BLOCK * _NORMAL_BLOCK
    uniforms = draw(n if draw_partial else whole)
    out = np.empty(n, dtype=uniforms.dtype)
    out[:whole] = transform(uniforms[:whole].reshape(-1, _NORMAL_BLOCK)).ravel()
    if whole != n:
        out[n - _NORMAL_BLOCK:] = transform(draw(_NORMAL_BLOCK).reshape(1, -1)).ravel()
    return out


def _box_muller_f64(block: np.ndarray) -> np.ndarray:
    """float64 rows of 16 uniforms to 16 normals, with the C library's log, cos and sin."""
    u1 = 1.0 - block[:, :8]  # (0, 1], safe for log
    radius = np.sqrt(-2.0 * _libm_log(u1))  # the C library's, as PyTorch's kernel calls them
    theta = 2.0 * math.pi * block[:, 8:]
    return np.concatenate([radius * _libm_cos(theta), radius * _libm_sin(theta)],
                          axis=1) + 0.0


# float32 arithmetic of PyTorch's AVX2 kernel (a Cephes-derived log and sincos on 8 lanes).
# PyTorch's build lets GCC fuse a multiply whose only use is an add into one FMA instruction, so
# each `_fma32` below marks a multiply-add that the compiled kernel rounds once; every other step
# is a separately rounded float32 operation. Checked against torch 2.13 for all 2**24 float32
# uniforms on both the radius and the angle side: every result is bit-identical.

_F32 = np.float32
_LOG_POLY = tuple(_F32(c) for c in (
    7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
    -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1))
_LN2_LO, _LN2_HI = _F32(-2.12194440e-4), _F32(0.693359375)  # ln 2 split in two parts
_SQRT_HALF = _F32(0.707106781186547524)
_FOUR_OVER_PI = _F32(1.27323954473516)
_PI_OVER_4_PARTS = tuple(_F32(c) for c in (  # pi/4 split in three parts, negated
    -0.78515625, -2.4187564849853515625e-4, -3.77489497744594108e-8))
_SIN_POLY = tuple(_F32(c) for c in (-1.9515295891e-4, 8.3321608736e-3, -1.6666654611e-1))
_COS_POLY = tuple(_F32(c) for c in (2.443315711809948e-5, -1.388731625493765e-3,
                                     4.166664568298827e-2))
_TWO_PI = _F32(2.0 * math.pi)
_HALF, _ONE = _F32(0.5), _F32(1.0)


def _log_f32(x: np.ndarray) -> np.ndarray:
    """Natural log of float32 values in [2**-24, 1], as the AVX2 kernel computes it."""
    bits = x.view(np.int32)
    exponent = ((bits >> 23) - 126).astype(np.float32)
    mantissa = ((bits & 0x007FFFFF) | 0x3F000000).view(np.float32)  # in [0.5, 1)
    small = mantissa < _SQRT_HALF
    exponent = np.where(small, exponent - _ONE, exponent)
    m = mantissa - _ONE
    m = np.where(small, m + mantissa, m)  # 2 * mantissa - 1 below sqrt(1/2), exactly
    m2 = m * m
    y = np.full_like(m, _LOG_POLY[0])
    for coefficient in _LOG_POLY[1:]:
        y = _fma32(y, m, coefficient)
    y = y * m
    y = _fma32(y, m2, exponent * _LN2_LO)
    y = _fma32(-m2, _HALF, y)
    return _fma32(exponent, _LN2_HI, m + y)


def _sincos_f32(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sin, cos) of float32 values in [0, 2*pi), as the AVX2 kernel computes them."""
    octant = (x * _FOUR_OVER_PI).astype(np.int32)  # truncates, like cvttps2dq
    octant = (octant + 1) & ~1
    k = octant.astype(np.float32)
    for part in _PI_OVER_4_PARTS:
        x = _fma32(k, part, x)  # x - k * pi/4, in three steps
    z = x * x
    cos_poly = _fma32(_COS_POLY[0], z, _COS_POLY[1])
    cos_poly = _fma32(cos_poly, z, _COS_POLY[2])
    cos_poly = cos_poly * z
    cos_poly = _fma32(cos_poly, z, -(z * _HALF)) + _ONE
    sin_poly = _fma32(_SIN_POLY[0], z, _SIN_POLY[1])
    sin_poly = _fma32(sin_poly, z, _SIN_POLY[2])
    sin_poly = sin_poly * z
    sin_poly = _fma32(sin_poly, x, x)
    use_sin_poly = (octant & 2) == 0
    sin = np.where(use_sin_poly, sin_poly, cos_poly)
    cos = np.where(use_sin_poly, cos_poly, sin_poly)
    sin = np.where((octant & 4) != 0, -sin, sin)
    cos = np.where(((octant - 2) & 4) == 0, -cos, cos)
    return sin, cos


def _box_muller_f32(block: np.ndarray) -> np.ndarray:
    """float32 rows of 16 uniforms to 16 normals, as PyTorch's AVX2 kernel does."""
    radius = np.sqrt(_F32(-2.0) * _log_f32(_ONE - block[:, :8]))
    sin, cos = _sincos_f32(_TWO_PI * block[:, 8:])
    return np.concatenate([radius * cos, radius * sin], axis=1) + _F32(0.0)
