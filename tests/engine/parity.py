"""Run the same snippet with real PyTorch and with the engine, and capture what a user sees."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

#: A snippet's helper: the names of the grad_fn chain behind a tensor, first inputs first.
CHAIN = ("def chain(t):\n"
         "    names, f = [], t.grad_fn\n"
         "    while f is not None:\n"
         "        names.append(f.name())\n"
         "        f = next((n for n, _ in f.next_functions if n is not None and\n"
         "                  n.name() != 'torch::autograd::AccumulateGrad'), None)\n"
         "    return names\n")


def observe(torch_like: Any, code: str) -> dict[str, Any]:
    """What the snippet shows: reprs of `out`, the error it raised, the warnings it gave."""
    namespace: dict[str, Any] = {"T": torch_like, "F": torch_like.nn.functional}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            exec(code, namespace)
            error = None
        except Exception as exc:  # noqa: BLE001 - the error is what we compare
            error = f"{type(exc).__name__}: {exc}"
    return {
        "out": [repr(value) for value in namespace.get("out", [])],
        "error": error,
        "warnings": [f"{w.category.__name__}: {w.message}" for w in caught],
    }


def assert_shows_pytorchs(torch: Any, code: str, fails: bool = False) -> None:
    """The engine shows what PyTorch shows for `code`, which in PyTorch runs without an error
    (or, with `fails`, ends in one: the same one, then)."""
    import engine

    expected = observe(torch, code)
    assert (expected["error"] is not None) == fails, expected
    assert observe(engine, code) == expected


def roots_modelled(torch: Any) -> bool:
    """Whether the engine's float32 sqrt is PyTorch's on this CPU: MKL's SSE kernel where MKL
    runs it (AMD), a correctly rounded root elsewhere. Where it is not, steps through a root
    (Adam's) cannot be compared bit for bit."""
    from engine import cpu_loops

    probe = np.random.default_rng(9).uniform(0.1, 10.0, 4096).astype(np.float32)
    return np.array_equal(torch.from_numpy(probe.copy()).sqrt().numpy(), cpu_loops.sqrt32(probe))


def transcendentals_rounded(torch: Any) -> bool:
    """Whether PyTorch's float32 exp and tanh on this CPU are (but for one in a hundred)
    correctly rounded, as the engine's are: MKL's vector math here (99%), glibc's; Sleef's
    are less often."""
    probe = np.random.default_rng(5).uniform(-10.0, 10.0, 4096).astype(np.float32)
    agree = [np.mean(getattr(torch, name)(torch.from_numpy(probe.copy())).numpy()
                     == getattr(np, name)(probe.astype(np.float64)).astype(np.float32))
             for name in ("exp", "tanh")]
    return min(agree) > 0.98


def sums_modelled(torch: Any) -> bool:
    """Whether PyTorch's float32 sums on this CPU add in the order the engine models (32-byte
    vectors, cascade_sum's accumulators): a whole-tensor sum and a column sum of a probe."""
    from engine import cpu_loops

    probe = np.random.default_rng(11).standard_normal((125, 40)).astype(np.float32)
    tensor = torch.from_numpy(probe.copy())
    return (np.array_equal(tensor.sum().numpy(), cpu_loops.torch_sum(probe))
            and np.array_equal(tensor.sum(0).numpy(), cpu_loops.torch_sum(probe, (0,))))


def matmul_order_modelled(torch: Any) -> bool:
    """Whether PyTorch's float32 matrix products on this CPU add in the orders that
    engine.matmul_order models (MKL's generic code on an AMD CPU: the Zen FMA kernel, the SSE
    small-matrix kernel with its alignment peels, gemv): one probe of each."""
    from engine import matmul_order

    rng = np.random.default_rng(13)
    probes = (((8, 20, 16), False), ((7, 16, 9), False), ((9, 13, 6), True), ((30, 3, 1), False))
    for (rows, inner, cols), transposed in probes:
        a = rng.standard_normal((rows, inner)).astype(np.float32)
        b = rng.standard_normal((inner, cols)).astype(np.float32)
        bias = rng.standard_normal(cols).astype(np.float32)
        if transposed:
            b = np.ascontiguousarray(b.T).T
        theirs = torch.addmm(torch.from_numpy(bias), torch.from_numpy(a),
                             torch.from_numpy(np.ascontiguousarray(b.T)).t() if transposed
                             else torch.from_numpy(b)).numpy()
        ours = matmul_order.addmm(bias, a, b)
        if ours is None or not np.array_equal(ours, theirs):
            return False
    return True



def dgemm_order_modelled(torch: Any) -> bool:
    """Whether PyTorch's float64 matrix products on this CPU add in the orders that
    engine.matmul_order models (MKL's dgemm on an AMD CPU: the Zen FMA kernel with the SSE2
    small kernel and gemv on its edges, the two threads' split of C): one probe of each kernel
    form, thread split and gemv form, with a bias."""
    from engine import matmul_order

    rng = np.random.default_rng(29)
    probes = (((33, 200, 77), "NN"), ((40, 9, 13), "TN"), ((9, 13, 6), "TT"), ((30, 7, 1), "NN"),
              ((1, 20, 11), "TN"))
    for (rows, inner, cols), layout in probes:
        a, b = rng.standard_normal((rows, inner)), rng.standard_normal((inner, cols))
        bias = rng.standard_normal(cols)
        if layout[0] == "T":
            b = np.ascontiguousarray(b.T).T
        if layout[1] == "T":
            a = np.ascontiguousarray(a.T).T
        theirs = torch.addmm(torch.from_numpy(bias), torch.from_numpy(a), torch.from_numpy(b))
        ours = matmul_order.addmm(bias, a, b)
        if ours is None or not np.array_equal(ours, theirs.numpy()):
            return False
    return True

def reductions_modelled(torch: Any) -> bool:
    """Whether PyTorch's CPU reductions on this CPU compute in the order `reduce_kernels`
    models (its AVX2 kernels: 8-float vectors, a 2-norm's tail in a group of 4 and fused
    multiply-adds, prod's 4 vectors, Welford's updates in order): row 2-norms, row products and
    column variances of a probe whose rows end in every kind of tail."""
    from engine import reduce_kernels

    probe = np.random.default_rng(13).standard_normal((64, 63)).astype(np.float32)
    for values in (probe, probe.astype(np.float64)):
        tensor = torch.from_numpy(values.copy())
        factors = values * values.dtype.type(0.3) + values.dtype.type(1)
        pairs = [(reduce_kernels.vector_norm(values, 2, (1,), False),
                  torch.linalg.vector_norm(tensor, dim=1)),
                 (reduce_kernels.vector_norm(values[:, :5], 2, (1,), False),
                  torch.linalg.vector_norm(tensor[:, :5], dim=1)),
                 (reduce_kernels.prod(factors, 1), (tensor * 0.3 + 1).prod(1)),
                 (reduce_kernels.variance(values, (0,), 1, False), tensor.var(0))]
        if not all(np.array_equal(ours, theirs.numpy()) for ours, theirs in pairs):
            return False
    return True


def mkl_exp_log_modelled(torch: Any) -> bool:
    """Whether PyTorch's exp and log on this CPU are the MKL kernels `vml` models (MKL's SSE
    kernels, which it runs on AMD CPUs): float32 exp and log, float64 exp."""
    from engine import vml

    rng = np.random.default_rng(17)
    exponents = rng.uniform(-87.0, 87.0, 4096)
    positives = np.exp(rng.uniform(-80.0, 80.0, 4096)).astype(np.float32)
    pairs = [(vml.mkl_exp32(exponents.astype(np.float32)),
              torch.from_numpy(exponents.astype(np.float32)).exp()),
             (vml.mkl_log32(positives), torch.from_numpy(positives).log()),
             (vml.mkl_exp64(exponents * 8), torch.from_numpy(exponents * 8).exp())]
    return all(np.array_equal(ours, theirs.numpy()) for ours, theirs in pairs)


def softmax_kernels_modelled(torch: Any) -> bool:
    """Whether PyTorch's softmax kernels on this CPU compute as `softmax_kernels` models them
    (AVX-512 lanes and shuffle tree, Sleef's exp and log, the same thread count): a row
    longer than a vector along the last dim, and a column split among the threads."""
    from engine import softmax_kernels

    if (torch.backends.cpu.get_cpu_capability().lower() != softmax_kernels.CAPABILITY
            or torch.get_num_threads() != softmax_kernels.THREADS):
        return False
    rows = np.random.default_rng(13).standard_normal((3, 37)).astype(np.float32) * 3
    columns = np.random.default_rng(14).standard_normal((40, 20)).astype(np.float32) * 3
    return (np.array_equal(torch.from_numpy(rows.copy()).log_softmax(1).numpy(),
                           softmax_kernels.log_softmax(rows, 1))
            and np.array_equal(torch.from_numpy(columns.copy()).softmax(0).numpy(),
                               softmax_kernels.softmax(columns, 0)))


def vml_modelled(torch: Any) -> bool:
    """Whether PyTorch's sin, cos, tan, asin, acos, atan, tanh and erf on this CPU are the MKL
    kernels `engine.vml` models (MKL's SSE kernels, which it runs on AMD CPUs): a probe of each
    op and dtype it models."""
    from engine import vml

    probe = np.random.default_rng(19).uniform(-0.99, 0.99, 4096) * 10
    checked = False
    for name in ("sin", "cos", "tan", "asin", "acos", "atan", "tanh", "erf"):
        for dtype in (np.float32, np.float64):
            if not vml.modelled(name, dtype):
                continue
            values = (probe / 10 if name in ("asin", "acos") else probe).astype(dtype)
            theirs = getattr(torch, name)(torch.from_numpy(values)).numpy()
            if not np.array_equal(getattr(vml, name)(values), theirs):
                return False
            checked = True
    return checked


def sigmoid_modelled(torch: Any) -> bool:
    """Whether PyTorch's sigmoid on this CPU computes as `engine.sigmoid_kernel` models it
    (Sleef's AVX-512 exp in vector blocks of 128 bytes, glibc's exp elsewhere): a contiguous
    probe with a tail and a strided one, float32 and float64."""
    from engine import sigmoid_kernel

    if torch.backends.cpu.get_cpu_capability().lower() != "avx512":
        return False
    probe = np.random.default_rng(23).uniform(-12.0, 12.0, (40, 75))
    for values in (probe.astype(np.float32), probe):
        for view in (values, values[:, ::2]):
            theirs = torch.from_numpy(values).sigmoid().numpy() if view is values else (
                torch.from_numpy(values)[:, ::2].sigmoid().numpy())
            if not np.array_equal(sigmoid_kernel.sigmoid(view), theirs):
                return False
    return True
