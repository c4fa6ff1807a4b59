"""Compare analytic gradients with central finite differences, in float64."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from engine.grad_mode import no_grad
from engine.tensor import Tensor


class GradcheckError(RuntimeError):
    """Raised when analytic and numerical Jacobians disagree."""


def _outputs(fn: Callable, inputs: Sequence[Tensor]) -> list[Tensor]:
    out = fn(*inputs)
    return list(out) if isinstance(out, (tuple, list)) else [out]


def gradcheck(fn: Callable, inputs: Tensor | Sequence[Tensor], eps: float = 1e-6,
              atol: float = 1e-5, rtol: float = 1e-3, raise_exception: bool = True) -> bool:
    """True when every Jacobian entry d output / d input agrees with finite differences."""
    inputs = [inputs] if isinstance(inputs, Tensor) else list(inputs)
    checked = [t for t in inputs if isinstance(t, Tensor) and t.requires_grad]
    outputs = _outputs(fn, inputs)
    for out_index, out in enumerate(outputs):
        if not out.requires_grad:
            continue
        flat_out = out._data.size
        analytic = [np.zeros((flat_out, t._data.size)) for t in checked]
        for j in range(flat_out):
            for t in checked:
                t._grad = None
            seed = np.zeros(out._data.shape, dtype=out._data.dtype)
            seed.reshape(-1)[j] = 1
            again = _outputs(fn, inputs)[out_index]
            again.backward(Tensor(seed) if seed.ndim else seed[()], retain_graph=False)
            for k, t in enumerate(checked):
                if t._grad is not None:
                    analytic[k][j] = np.asarray(t._grad._data, dtype=np.float64).reshape(-1)
        for k, t in enumerate(checked):
            numeric = np.zeros_like(analytic[k])
            data = t._data if isinstance(t._data, np.ndarray) else None
            for i in range(t._data.size):
                original = (data.reshape(-1)[i] if data is not None else t._data)
                values = []
                for delta in (eps, -eps):
                    if data is not None:
                        data.reshape(-1)[i] = original + delta
                    else:
                        t._data = t._data.dtype.type(original + delta)
                    with no_grad():
                        values.append(np.array(_outputs(fn, inputs)[out_index]._data,
                                                 dtype=np.float64).reshape(-1))
                if data is not None:
                    data.reshape(-1)[i] = original
                else:
                    t._data = t._data.dtype.type(original)
                numeric[:, i] = (values[0] - values[1]) / (2 * eps)
            if not np.allclose(analytic[k], numeric, atol=atol, rtol=rtol):
                for t2 in checked:
                    t2._grad = None
                if not raise_exception:
                    return False
                raise GradcheckError(
                    f"Jacobian mismatch for output {out_index} with respect to input {k},\n"
                    f"numerical:{numeric}\nanalytical:{analytic[k]}\n")
        for t in checked:
            t._grad = None
    return True
