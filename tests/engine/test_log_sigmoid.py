"""`engine.log_sigmoid_kernel` gives PyTorch's logsigmoid bit for bit on this CPU, and
`engine.sleef`'s log1p is PyTorch's `Vectorized` log1p (Sleef's).

PyTorch computes min(x, 0) − log1p(e^−|x|) in vector code for every element, a masked partial
vector taking the place of a scalar tail, so small tensors, tails, strided views and any thread
split all go through Sleef's exp and log1p; the C library's would differ in about one element in
twenty. `binary_cross_entropy_with_logits` takes its log σ(x) from this kernel.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from engine import libm, sleef
from engine.log_sigmoid_kernel import log_sigmoid

torch = pytest.importorskip("torch")

needs_avx512 = pytest.mark.skipif(
    torch.backends.cpu.get_cpu_capability().lower() != "avx512",
    reason="PyTorch runs its AVX-512 kernels (Sleef's AVX-512 exp and log1p) only on a CPU "
           "with that capability")
DTYPES = pytest.mark.parametrize("dtype", [np.float32, np.float64])


def _bits(values: np.ndarray) -> bytes:
    return np.ascontiguousarray(values).tobytes()


def _theirs(values: np.ndarray, view: Callable | None = None) -> np.ndarray:
    tensor = torch.from_numpy(values)
    if view is not None:
        tensor = view(tensor)
    return torch.nn.functional.logsigmoid(tensor).numpy()


def _glibc_log_sigmoid(values: np.ndarray) -> np.ndarray:
    """The same formula with the C library's exp and log1p, as a scalar loop would compute it."""
    values = np.ascontiguousarray(values)
    zero = values.dtype.type(0)
    return np.where(values < zero, values, zero) - libm.log1p(libm.exp(-np.abs(values)))


@needs_avx512
@DTYPES
def test_log_sigmoid_is_pytorchs_in_every_size_and_layout(dtype: type) -> None:
    rng = np.random.default_rng(31)
    for size in [*range(71), 1000, 32_768, 32_769, 100_003]:
        values = rng.uniform(-30.0, 30.0, size).astype(dtype)
        assert _bits(log_sigmoid(values)) == _bits(_theirs(values))
    block = rng.uniform(-30.0, 30.0, (64, 45)).astype(dtype)
    for view in (lambda t: t.T, lambda t: t[:, ::2], lambda t: t[:, 3:], lambda t: t[::2, 1:],
                 lambda t: t.reshape(8, 8, 45).permute(2, 0, 1)):
        ours = log_sigmoid(view(torch.from_numpy(block)).numpy())  # a strided numpy view
        assert ours.flags.c_contiguous  # PyTorch's result is contiguous too
        assert _bits(ours) == _bits(_theirs(block, view))


@needs_avx512
@DTYPES
def test_tails_and_views_are_vector_code_not_the_c_librarys(dtype: type) -> None:
    """What the model rests on: where the C library's results differ from Sleef's, in the
    partial vector at the end of small tensors and in strided views, PyTorch gives Sleef's."""
    rng = np.random.default_rng(37)
    tails = [rng.uniform(-30.0, 30.0, size).astype(dtype) for size in range(1, 16)] * 20
    strided = rng.uniform(-30.0, 30.0, (200, 30)).astype(dtype)
    cases = [(values, None) for values in tails] + [(strided, lambda t: t[:, ::3])]
    differing = 0
    for values, view in cases:
        theirs = _theirs(values, view)
        shown = values if view is None else view(torch.from_numpy(values)).numpy()
        assert _bits(log_sigmoid(shown)) == _bits(theirs)
        differing += int(np.sum(_glibc_log_sigmoid(shown) != theirs))
    assert differing > 20


@needs_avx512
@DTYPES
def test_log_sigmoid_does_not_depend_on_the_thread_split(dtype: type) -> None:
    """`parallel_for` with a grain of 1 splits even small tensors among the threads; each share
    ends in its own partial vector, computed as the whole vectors are."""
    values = np.random.default_rng(41).uniform(-30.0, 30.0, 40_003).astype(dtype)
    ours = _bits(log_sigmoid(values))
    threads = torch.get_num_threads()
    try:
        for count in (1, 2, 3):
            torch.set_num_threads(count)
            assert ours == _bits(_theirs(values))
            assert _bits(log_sigmoid(values[:35])) == _bits(_theirs(values[:35]))
    finally:
        torch.set_num_threads(threads)


@needs_avx512
@DTYPES
def test_log_sigmoid_special_values_to_the_bit(dtype: type) -> None:
    """±0 give −ln 2, +inf +0., −inf −inf, large |x| 0 or x; NaN gives the NaN with every bit
    set that vec::minimum makes (min(NaN, 0) ORed with an all-ones mask)."""
    tiny = np.finfo(dtype).tiny
    special = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, -np.nan, 17.0, -17.0, 40.0, -40.0,
                        88.0, -88.0, 104.0, -104.0, 110.0, 710.0, -710.0, 746.0, -746.0, 1e30,
                        -1e30, tiny, -tiny, tiny / 4, 1e-30, -1e-30] * 3, dtype)
    ours = log_sigmoid(special)
    assert _bits(ours) == _bits(_theirs(special))
    assert np.all(ours.view(np.uint32 if dtype == np.float32 else np.uint64)[np.isnan(special)]
                  == np.iinfo(np.uint32 if dtype == np.float32 else np.uint64).max)
    for value in (0.3, -0.0, np.nan, -50.0):
        scalar = log_sigmoid(np.array(value, dtype))
        assert isinstance(scalar, np.generic) and scalar.dtype == dtype
        assert _bits(np.array(scalar)) == _bits(_theirs(np.array(value, dtype)))


def test_log_sigmoid_of_other_dtypes_is_numpys() -> None:
    values = np.array([-3.0, -0.5, 0.0, 0.5, 3.0], np.float16)
    ours = log_sigmoid(values)
    assert ours.dtype == np.float16
    np.testing.assert_allclose(ours, _theirs(values), rtol=2e-3)


# --- Sleef's log1p ---------------------------------------------------------------------------
def _log1p(dtype: type) -> Callable[[np.ndarray], np.ndarray]:
    return sleef.log1pf if dtype == np.float32 else sleef.log1p


@needs_avx512
@DTYPES
def test_log1p_is_pytorchs_vectorized_log1p(dtype: type) -> None:
    """torch.log1p runs `Vectorized<T>::log1p` on every element on this CPU (its tails and
    strided views too): random arguments over the whole range, the bounds beyond which Sleef
    takes the log instead, −1 and below (NaN with every bit set for float32), NaN payloads."""
    uint = np.uint32 if dtype == np.float32 else np.uint64
    rng = np.random.default_rng(43)
    info = np.finfo(dtype)
    values = np.concatenate([rng.uniform(-1.0, 5.0, 100_000),
                             np.exp(rng.uniform(-100.0, np.log(info.max), 50_000)),
                             -np.exp(rng.uniform(-100.0, 0.5, 10_000))]).astype(dtype)
    bound = dtype(1e38 if dtype == np.float32 else 1e307)
    one = dtype(1)
    edges = np.array([0.0, -0.0, 1.0, -1.0, -1.5, np.inf, -np.inf, 0.5, -0.5, info.tiny,
                      -info.tiny, info.eps, -1e-8, info.max, bound, np.nextafter(bound, info.max),
                      np.nextafter(-one, one)], dtype)
    nans = np.array([0x7FC00001, 0xFFC00000, 0x7F800001] if dtype == np.float32 else
                    [0x7FF8000000000001, 0xFFF8000000000000], uint).view(dtype)
    values = np.concatenate([values, edges, nans])
    with np.errstate(all="ignore"):
        ours = _log1p(dtype)(values)
    assert _bits(ours) == _bits(torch.log1p(torch.from_numpy(values)).numpy())
    for size in range(1, 20):
        assert _bits(_log1p(dtype)(values[:size])) == _bits(
            torch.log1p(torch.from_numpy(values[:size])).numpy())
    assert np.mean(libm.log1p(values[:100_000]) != ours[:100_000]) > 0.01  # not glibc's


@needs_avx512
def test_log1pf_is_pytorchs_on_whole_binades() -> None:
    for first, last in ((0x3F000000, 0x3F800000), (0xBF000000, 0xBF800000)):  # [.5, 1), (-1, -.5]
        every = np.arange(first, last, dtype=np.uint32).view(np.float32)
        assert _bits(sleef.log1pf(every)) == _bits(torch.log1p(torch.from_numpy(every)).numpy())


@needs_avx512
@DTYPES
def test_log1p_through_log_sigmoid(dtype: type) -> None:
    """An oracle that does not rest on torch.log1p's dispatch: for x > 0 PyTorch's logsigmoid
    is 0 − log1p(b) with b Sleef's e^−x (`engine.sleef`'s exp, checked in test_sleef), so its
    negation is Sleef's log1p of b, all of (0, 1) reached."""
    rng = np.random.default_rng(47)
    x = np.concatenate([rng.uniform(1e-6, 1.0, 100_000), rng.uniform(1.0, 80.0, 100_000),
                        np.exp(rng.uniform(-40, 0, 20_000))]).astype(dtype)
    b = (sleef.expf if dtype == np.float32 else sleef.exp)(-x)
    assert np.all(b > 0)
    assert _bits(_log1p(dtype)(b)) == _bits(-_theirs(x))


@needs_avx512
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_logsigmoid_gradients_are_pytorchs(dtype: type) -> None:
    """F.logsigmoid's LogSigmoidBackward0: (m − s·b/(1 + b))·g from the buffer b = e^−|x|."""
    import engine

    rng = np.random.default_rng(41)
    for size in (1, 7, 33, 100, 5000):
        values = (rng.standard_normal(size) * 8).astype(dtype)
        values[:2] = [0.0, -0.0][:size]
        weights = rng.uniform(-2, 2, size).astype(dtype)
        grads = []
        for lib in (engine, torch):
            x = lib.tensor(values, requires_grad=True)
            (lib.nn.functional.logsigmoid(x) * lib.tensor(weights)).sum().backward()
            grads.append(x.grad.numpy())
        assert grads[0].tobytes() == grads[1].tobytes(), size
