"""`engine.gelu_kernel` gives PyTorch's gelu and gelu_backward bit for bit on this CPU: oneDNN's
gelu_erf for contiguous float32 tensors with approximate='none', elsewhere PyTorch's kernels,
their vector blocks (PyTorch's float32 erf around Sleef's expf, Sleef's erf and tanh) and their
scalar code (the C library's) split as `sigmoid_kernel.by_blocks` models, the forward's thread
split from 16,385 elements. The correctly rounded stand-ins these replace left 1-35 % of values
and 14-69 % of gradients a bit apart."""

from __future__ import annotations

import ctypes
import ctypes.util

import numpy as np
import pytest

from engine import cpu_loops, gelu_kernel, libm, sleef
from tests.engine.parity import sigmoid_modelled

torch = pytest.importorskip("torch")

needs_avx512 = pytest.mark.skipif(
    not sigmoid_modelled(torch) or torch.get_num_threads() != cpu_loops.SUM_THREADS
    or not torch.backends.mkldnn.is_available(),
    reason="PyTorch on this CPU does not run the AVX-512 kernels, oneDNN and thread count "
           "gradviz models")

DTYPES = [np.float32, np.float64]
APPROXIMATIONS = ["none", "tanh"]
SIZES = [*range(1, 71), 1000, 16_384, 16_385, 20_000, 32_768, 32_769, 40_001]
VIEWS = {"transposed": lambda t: t.T, "every other column": lambda t: t[:, ::2],
         "columns from 3": lambda t: t[:, 3:], "every other row": lambda t: t[::2],
         "transposed rows": lambda t: t.T[::2]}


def _bits(values: object) -> bytes:
    return np.ascontiguousarray(values).tobytes()


def _special(dtype: type) -> np.ndarray:
    big = 3e38 if dtype == np.float32 else 1e308
    return np.array([0.0, -0.0, np.inf, -np.inf, np.nan, -np.nan, big, -big, 1e-40, -1e-40,
                     1e-9, -1e-9, 2.5, -2.5, 5.6, -5.6, 9.0, -9.0, 13.0, -13.0, 20.0, -20.0,
                     40.0, -40.0, 88.0, -88.0, 1e5, -1e5], dtype)


def _theirs(values: np.ndarray, approximate: str, view: object = None) -> np.ndarray:
    tensor = torch.from_numpy(values.copy())
    if view is not None:
        tensor = view(tensor)
    return torch.nn.functional.gelu(tensor, approximate=approximate).numpy()


def _gradients(values: np.ndarray, approximate: str, view: object, upstream: str
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """PyTorch's gradient reaching `values` through gelu of a view, the upstream gradient it
    received (its layout too: sum's and mean's are broadcast) and the view's values."""
    x = torch.from_numpy(values.copy()).requires_grad_()
    y = torch.nn.functional.gelu(view(x), approximate=approximate)
    received = []
    y.register_hook(received.append)
    if upstream == "random":
        weights = np.random.default_rng(3).uniform(-2, 2, tuple(y.shape)).astype(values.dtype)
        (y * torch.from_numpy(weights)).sum().backward()
    else:
        getattr(y, upstream)().backward()
    return x.grad.numpy(), received[0].numpy(), view(values)


def _ours_through(view: object, values: np.ndarray, gradient: np.ndarray) -> np.ndarray:
    """The gradient of the view scattered back into a tensor of `values`' shape."""
    whole = np.zeros_like(values)
    view(whole)[...] = gradient
    return whole


@needs_avx512
@pytest.mark.parametrize("approximate", APPROXIMATIONS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_gelu_is_pytorchs_for_every_size_across_the_thread_split(dtype: type,
                                                                approximate: str) -> None:
    """Vector blocks of 32 floats (16 doubles) and scalar tails, one share per thread from
    16,385 elements (the forward's own grain) or from 32,769 (the backward's)."""
    rng = np.random.default_rng(41)
    for size in SIZES:
        values = (rng.standard_normal(size) * 4).astype(dtype)
        assert _bits(gelu_kernel.gelu(values, approximate)) == _bits(
            _theirs(values, approximate)), size
        upstream = rng.uniform(-2, 2, size).astype(dtype)
        x = torch.from_numpy(values.copy()).requires_grad_()
        torch.nn.functional.gelu(x, approximate=approximate).backward(torch.from_numpy(upstream))
        assert _bits(gelu_kernel.gelu_backward(upstream, values, approximate)) == _bits(
            x.grad.numpy()), size


@needs_avx512
@pytest.mark.parametrize("approximate", APPROXIMATIONS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_gelu_is_pytorchs_on_views(dtype: type, approximate: str) -> None:
    """Transposed views run as contiguous ones (float32 'none' in PyTorch's kernel, not
    oneDNN's), strided ones in scalar code, sliced rows in blocks per row."""
    rng = np.random.default_rng(42)
    for shape in [(64, 45), (130, 160), (300, 250)]:
        block = (rng.standard_normal(shape) * 4).astype(dtype)
        for name, view in VIEWS.items():
            assert _bits(gelu_kernel.gelu(view(block), approximate)) == _bits(
                _theirs(block, approximate, view)), (shape, name)


@needs_avx512
@pytest.mark.parametrize("approximate", APPROXIMATIONS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_gelu_special_values_in_every_path(dtype: type, approximate: str) -> None:
    """±0, ±inf, NaN, subnormals and large |x| alone (scalar code), contiguous (oneDNN for
    float32 'none', whose gelu(+inf) is NaN), strided (scalar) and in rows of vector blocks."""
    special = _special(dtype)
    rows = np.resize(special, (4, 70))
    rows[1:] = np.random.default_rng(43).standard_normal((3, 70)) * 20
    layouts = [(special, None), (np.repeat(special, 2), lambda t: t[::2]),
               (rows, lambda t: t[:, 1:])]
    layouts += [(special[i:i + 1], None) for i in range(special.size)]
    for values, view in layouts:
        chosen = values if view is None else view(values)
        ours = gelu_kernel.gelu(chosen, approximate)
        assert _bits(ours) == _bits(_theirs(values, approximate, view)), values
        for upstream in ("sum", "random"):
            theirs, received, _ = _gradients(values, approximate, view or (lambda t: t),
                                             upstream)
            ours = gelu_kernel.gelu_backward(received, chosen, approximate)
            assert _bits(_ours_through(view or (lambda t: t), values, ours)) == _bits(theirs)


@needs_avx512
@pytest.mark.parametrize("approximate", APPROXIMATIONS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_gelu_of_a_number(dtype: type, approximate: str) -> None:
    value = np.array(-0.7, dtype)
    ours = gelu_kernel.gelu(value, approximate)
    assert isinstance(ours, np.generic)
    assert _bits(ours) == _bits(_theirs(value, approximate))
    theirs, received, _ = _gradients(value, approximate, lambda t: t, "sum")
    assert _bits(gelu_kernel.gelu_backward(received, value, approximate)) == _bits(theirs)


@needs_avx512
@pytest.mark.parametrize("upstream", ["sum", "mean", "random"])
@pytest.mark.parametrize("approximate", APPROXIMATIONS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_gelu_gradients_are_pytorchs(dtype: type, approximate: str, upstream: str) -> None:
    """gelu_backward with the upstream gradients of sum() and mean() (broadcast numbers) and
    of random weights, through whole tensors (oneDNN's backward for float32 'none') and views
    (PyTorch's kernels, the erf backward's scalar x·pdf rounded before its add)."""
    rng = np.random.default_rng(44)
    whole, transposed = (lambda t: t), (lambda t: t.T[::2])
    cases = [((size,), whole) for size in (1, 7, 31, 33, 40, 100, 5000, 40_001)]
    cases += [((33, 17), whole), ((40, 30), transposed), ((64, 45), VIEWS["columns from 3"]),
              ((200, 180), VIEWS["transposed"])]
    for shape, view in cases:
        values = (rng.standard_normal(shape) * 5).astype(dtype)
        theirs, received, chosen = _gradients(values, approximate, view, upstream)
        ours = gelu_kernel.gelu_backward(received, chosen, approximate)
        assert _bits(_ours_through(view, values, ours)) == _bits(theirs), (shape, upstream)


@needs_avx512
@pytest.mark.parametrize("approximate", APPROXIMATIONS)
def test_float32_sweep_through_onednn_and_pytorchs_kernels(approximate: str) -> None:
    """Every 9973rd float32 bit pattern (all binades, subnormals, infinities), contiguous
    (oneDNN for 'none') and as rows of 63 of 64 (PyTorch's vector blocks and tails)."""
    values = np.arange(0, 2**32, 9973, dtype=np.uint64).astype(np.uint32).view(np.float32)
    values = values[~np.isnan(values)]
    rows = values[: values.size // 64 * 64].reshape(-1, 64)
    for chosen, view in ((values, None), (rows[:, :63], lambda t: t[:, :63])):
        source = values if view is None else rows
        assert _bits(gelu_kernel.gelu(chosen, approximate)) == _bits(
            _theirs(source, approximate, view))
        ones = np.ones(chosen.shape, np.float32)
        x = torch.from_numpy(source.copy()).requires_grad_()
        y = torch.nn.functional.gelu(x if view is None else view(x), approximate=approximate)
        y.backward(torch.from_numpy(ones))
        theirs = x.grad.numpy() if view is None else view(x.grad.numpy())
        assert _bits(gelu_kernel.gelu_backward(ones, chosen, approximate)) == _bits(theirs)


@needs_avx512
def test_other_dtypes_compute_in_float32() -> None:
    """float16 (not modelled bit for bit): the formula in float32 rounded to half, within a
    rounding of PyTorch's, which also computes in float32."""
    values = np.random.default_rng(45).standard_normal(300).astype(np.float16) * 3
    for approximate in APPROXIMATIONS:
        theirs = _theirs(values, approximate)
        np.testing.assert_allclose(gelu_kernel.gelu(values, approximate).astype(np.float32),
                                   theirs.astype(np.float32), rtol=2e-3, atol=1e-3)
        x = torch.from_numpy(values.copy()).requires_grad_()
        torch.nn.functional.gelu(x, approximate=approximate).sum().backward()
        ours = gelu_kernel.gelu_backward(np.ones_like(values), values, approximate)
        np.testing.assert_allclose(ours.astype(np.float32), x.grad.numpy().astype(np.float32),
                                   rtol=2e-3, atol=1e-3)


LIBRARY = ctypes.util.find_library("m")


@pytest.mark.skipif(LIBRARY is None, reason="no C maths library to compare with")
@pytest.mark.parametrize("name", ["erf", "tanh"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_libm_erf_and_tanh_are_the_c_librarys(name: str, dtype: type) -> None:
    """`engine.libm`'s erf and tanh (gelu's scalar code) call the C library's erff/erf and
    tanhf/tanh, special values included."""
    rng = np.random.default_rng(46)
    values = np.concatenate([rng.uniform(-10, 10, 3000), rng.uniform(-1, 1, 1000),
                             _special(dtype).astype(np.float64)]).astype(dtype)
    c_name, ctype = (name + "f", ctypes.c_float) if dtype == np.float32 else (name, ctypes.c_double)
    function = getattr(ctypes.CDLL(LIBRARY), c_name)
    function.restype, function.argtypes = ctype, [ctype]
    want = np.array([function(v) for v in values.tolist()], dtype)
    assert np.array_equal(getattr(libm, name)(values), want, equal_nan=True)


@needs_avx512
def test_sleef_tanh_and_erf_saturate_as_sleef_does() -> None:
    """Sleef's tanh is ±1 beyond 8.66 (float32) and 18.7 (float64), its erf ±1 from 6, and
    both give NaN for NaN: the bounds the ports check before any arithmetic."""
    assert sleef.tanhf(np.float32([8.7, -8.7, 0.0, -0.0])).tolist() == [1.0, -1.0, 0.0, -0.0]
    assert np.signbit(sleef.tanhf(np.float32(-0.0)))
    assert sleef.tanh(np.array([18.8, -18.8])).tolist() == [1.0, -1.0]
    assert sleef.erf(np.array([6.0, -6.0, np.inf, -np.inf])).tolist() == [1, -1, 1, -1]
    assert np.isnan(sleef.erf(np.array([np.nan]))).all()
    assert np.isnan(sleef.tanhf(np.float32([np.nan]))).all()
