"""Parity of engine.printing.format_tensor with repr() of real PyTorch tensors."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

from engine.printing import format_tensor  # noqa: E402

DTYPE_NAMES = ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool"]
FLOAT_NAMES = ["float16", "float32", "float64"]

NAN, INF = float("nan"), float("inf")


class VeryLongNamedIdentityFunctionThatForcesWrapping(torch.autograd.Function):
    """A custom op whose grad_fn name is long enough to wrap onto its own line."""

    @staticmethod
    def forward(ctx, x):
        return x.clone()

    @staticmethod
    def backward(ctx, grad):
        return grad


# Ops that give their result a grad_fn; the value-preserving ones keep the test data intact.
GRAD_OPS: dict[str, Callable] = {
    "mul1": lambda t: t * 1,
    "clone": lambda t: t.clone(),
    "view": lambda t: t.view(t.shape),
    "neg": lambda t: -t,
    "pow": lambda t: t**2,
    "long_name": VeryLongNamedIdentityFunctionThatForcesWrapping.apply,
}
GRAD_MODES = [None, "requires_grad", *GRAD_OPS]


def _torch_tensor(values, dtype_name: str, grad_mode: str | None):
    """A real torch tensor with these values, optionally a grad leaf or an op result."""
    t = torch.from_numpy(np.array(values, dtype=dtype_name))
    if grad_mode is None:
        return t
    t.requires_grad_(True)
    return t if grad_mode == "requires_grad" else GRAD_OPS[grad_mode](t)


def assert_matches_torch(values, dtype_name: str, grad_mode: str | None = None) -> str:
    """Assert format_tensor reproduces repr() of the equivalent torch tensor; return it."""
    t = _torch_tensor(values, dtype_name, grad_mode)
    grad_fn_name = None if t.grad_fn is None else type(t.grad_fn).__name__
    ours = format_tensor(
        t.detach().numpy(),
        dtype_name,
        requires_grad=t.requires_grad,
        grad_fn_name=grad_fn_name,
    )
    expected = repr(t)
    assert ours == expected, f"\nours:\n{ours}\ntorch:\n{expected}"
    assert str(t) == expected
    return ours


# --------------------------------------------------------------------------------------
# Literal examples (the documented behaviour, checked against torch as well).

LITERALS = [
    (np.float32(4.0), "float32", {}, "tensor(4.)"),
    (np.float32(0.1), "float32", {}, "tensor(0.1000)"),
    (
        np.array([1.0, 2.0]),
        "float32",
        {"requires_grad": True},
        "tensor([1., 2.], requires_grad=True)",
    ),
    (
        np.float32(4.0),
        "float32",
        {"grad_fn_name": "PowBackward0"},
        "tensor(4., grad_fn=<PowBackward0>)",
    ),
    (
        np.float32(4.0),
        "float32",
        {"grad_fn_name": "PowBackward0", "requires_grad": True},
        "tensor(4., grad_fn=<PowBackward0>)",
    ),
    (np.float64(4.0), "float64", {}, "tensor(4., dtype=torch.float64)"),
    (np.array([[0.12345, -1.0]]), "float32", {}, "tensor([[ 0.1235, -1.0000]])"),
    (np.array([1e-5, 1e5]), "float32", {}, "tensor([1.0000e-05, 1.0000e+05])"),
    (np.array([NAN, INF, -INF]), "float32", {}, "tensor([nan, inf, -inf])"),
    (np.array([True, False]), "bool", {}, "tensor([ True, False])"),
    (np.array([3, -12]), "int64", {}, "tensor([  3, -12])"),
    (np.array([3, -12]), "int32", {}, "tensor([  3, -12], dtype=torch.int32)"),
    (np.array([1.0, 2.0]), "float16", {}, "tensor([1., 2.], dtype=torch.float16)"),
    (np.zeros(0), "float32", {}, "tensor([])"),
    (np.zeros((0, 3)), "float32", {}, "tensor([], size=(0, 3))"),
    (np.zeros(0), "int64", {}, "tensor([], dtype=torch.int64)"),
    (np.zeros((2, 0)), "bool", {}, "tensor([], size=(2, 0), dtype=torch.bool)"),
    (np.array([-0.0, 1.0]), "float32", {}, "tensor([-0., 1.])"),
]


@pytest.mark.parametrize(("values", "dtype_name", "kwargs", "expected"), LITERALS)
def test_literal_examples(values, dtype_name, kwargs, expected):
    assert format_tensor(values, dtype_name, **kwargs) == expected
    t = torch.from_numpy(np.array(values, dtype=dtype_name))
    if kwargs.get("requires_grad") and "grad_fn_name" not in kwargs:
        t.requires_grad_(True)
    if "grad_fn_name" not in kwargs:
        assert repr(t) == expected


def test_accepts_numpy_scalars_and_casts_to_the_named_dtype():
    assert format_tensor(np.float64(0.1), "float32") == "tensor(0.1000)"
    assert format_tensor(np.array(0.1, dtype=np.float64), "float32") == "tensor(0.1000)"
    assert format_tensor(np.int64(7), "int64") == "tensor(7)"
    assert format_tensor(np.bool_(True), "bool") == "tensor(True)"
    assert format_tensor(np.float32(2.0), "torch.float64") == "tensor(2., dtype=torch.float64)"


def test_float32_values_print_as_their_double():
    # 16777217 is not a float32: it rounds to 16777216 before printing.
    assert format_tensor(np.array([16777217.0]), "float32") == "tensor([16777216.])"
    assert format_tensor(np.array([16777217.0]), "float64") == (
        "tensor([16777217.], dtype=torch.float64)"
    )
    assert_matches_torch([16777217.0, 0.1], "float32")


def test_unsupported_dtype_is_rejected():
    with pytest.raises(ValueError, match="unsupported dtype 'complex64'"):
        format_tensor(np.zeros(2), "complex64")


def test_engine_module_does_not_import_torch():
    import engine.printing as printing

    tree = ast.parse(Path(printing.__file__).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert "torch" not in imported


# --------------------------------------------------------------------------------------
# Hand-picked parity cases.

rng = np.random.default_rng(20240613)

HAND_PICKED: dict[str, tuple[object, str]] = {
    # scalars
    "scalar_int_valued": (4.0, "float32"),
    "scalar_fraction": (0.1, "float32"),
    "scalar_neg_zero": (-0.0, "float32"),
    "scalar_nan": (NAN, "float32"),
    "scalar_neg_inf": (-INF, "float64"),
    "scalar_tiny": (1e-5, "float32"),
    "scalar_huge": (1e10, "float32"),
    "scalar_big_fraction": (123456.789, "float64"),
    "scalar_int": (-42, "int64"),
    "scalar_bool": (False, "bool"),
    "scalar_1e-4_float32": (1e-4, "float32"),  # float32(1e-4) < 1e-4: scientific
    "scalar_1e-4_float64": (1e-4, "float64"),
    "scalar_1e8": (1e8, "float64"),
    "scalar_above_1e8": (100000001.0, "float64"),
    # vectors
    "mixed_sign_fraction": ([0.12345, -1.0, 3.5], "float32"),
    "mixed_magnitudes_fixed": ([1e-3, 1.0, 0.999], "float32"),
    "ratio_exactly_1000": ([1.0, 1000.0], "float64"),
    "ratio_above_1000": ([1.0, 1000.5], "float64"),
    "ratio_above_1000_int": ([1.0, 1001.0], "float32"),
    "mixed_magnitudes_sci": ([1e-8, 1.0, 123456.0], "float32"),
    "all_zero": ([0.0, 0.0], "float32"),
    "zeros_and_neg_zeros": ([0.0, -0.0, 0.0], "float64"),
    "neg_zero_with_fraction": ([-0.0, 0.5], "float32"),
    "neg_zero_with_sci": ([-0.0, 1e-9], "float32"),
    "only_nonfinite": ([NAN, INF, -INF], "float32"),
    "nan_with_ints": ([NAN, 1.0, -INF, 100.0], "float32"),
    "nan_with_fraction": ([NAN, 1.25, -INF], "float32"),
    "nan_with_sci": ([NAN, 1e-7, INF], "float64"),
    "float32_max": ([3.4028235e38, -1.0], "float32"),
    "float32_subnormal": ([1e-45, 1.0], "float32"),
    "float64_huge": ([1e300, -1e-300], "float64"),
    "float64_subnormal": ([5e-324], "float64"),
    "float16_values": ([0.1, 65504.0, -2.5, 6e-8], "float16"),
    "big_int_valued_floats": ([1e7, 2.0], "float32"),
    "rounding_half": ([0.00005, 0.12345, 2.5], "float64"),
    "int64_extremes": ([2**63 - 1, -(2**63), 0], "int64"),
    "int32_mixed": ([-7, 123456, 0], "int32"),
    "bool_vector": ([True, False, True], "bool"),
    "bool_all_true": ([True, True], "bool"),
    # multi-dimensional
    "matrix_2x3": (np.arange(6.0).reshape(2, 3) / 3, "float32"),
    "matrix_column": ([[1.0], [-2.0]], "float32"),
    "three_d": (np.arange(24.0).reshape(2, 3, 4) - 5.5, "float32"),
    "three_d_int": (np.arange(24).reshape(2, 3, 4) * 37 - 300, "int64"),
    "four_d": (np.arange(36.0).reshape(2, 3, 2, 3) / 7, "float64"),
    "four_d_bool": (np.arange(16).reshape(2, 2, 2, 2) % 3 == 0, "bool"),
    "singleton_dims": (np.ones((1, 1, 1, 1)), "float32"),
    # wrapping of wide rows
    "wide_vector_fraction": (rng.standard_normal(50), "float32"),
    "wide_vector_int": (np.arange(-40, 40) * 1001, "int64"),
    "wide_matrix": (rng.standard_normal((3, 20)), "float64"),
    "wide_3d_sci": (rng.standard_normal((2, 2, 17)) * 1e5, "float32"),
    "wide_bool": (rng.random(60) < 0.5, "bool"),
    # summarisation around the 1000-element threshold
    "arange_1000": (np.arange(1000.0), "float32"),
    "arange_1001": (np.arange(1001.0), "float32"),
    "arange_1001_int": (np.arange(1001), "int64"),
    "random_1001": (rng.standard_normal(1001), "float32"),
    "cube_1001": (rng.standard_normal((7, 11, 13)), "float32"),
    "matrix_1001_bool": (rng.random((7, 143)) < 0.3, "bool"),
    "matrix_1000": (rng.standard_normal((25, 40)), "float32"),
    "matrix_summarised_wide": (rng.standard_normal((40, 30)) * 100, "float64"),
    "summary_hides_small_values": (
        np.concatenate([[1.0, 2.0, 3.0], np.full(1000, 1e-9), [4.0, 5.0, 6.0]]),
        "float32",
    ),
    "summary_short_inner_dim": (rng.standard_normal((300, 4)), "float32"),
    "summary_four_d": (rng.integers(-999, 999, (8, 2, 9, 10)), "int64"),
    "summary_four_d_float": (rng.standard_normal((3, 8, 9, 7)), "float32"),
    "big_million": (np.arange(10**6, dtype=np.float64).reshape(1000, 1000), "float32"),
    # empty tensors
    "empty_1d": ([], "float32"),
    "empty_2d": (np.zeros((0, 3)), "float64"),
    "empty_3d": (np.zeros((3, 0, 2)), "int64"),
    "empty_bool": (np.zeros((0,)), "bool"),
    "empty_int32": (np.zeros((1, 0)), "int32"),
}


@pytest.mark.parametrize("name", list(HAND_PICKED))
def test_hand_picked_matches_torch(name):
    values, dtype_name = HAND_PICKED[name]
    assert_matches_torch(values, dtype_name)


@pytest.mark.parametrize("grad_mode", GRAD_MODES[1:])
@pytest.mark.parametrize(
    "name",
    [
        "scalar_fraction",
        "scalar_neg_zero",
        "nan_with_sci",
        "matrix_2x3",
        "wide_matrix",
        "random_1001",
        "float64_huge",
        "empty_1d",
        "empty_2d",
        "float16_values",
    ],
)
def test_grad_suffixes_match_torch(name, grad_mode):
    values, dtype_name = HAND_PICKED[name]
    assert_matches_torch(values, dtype_name, grad_mode)


def test_suffix_wraps_onto_new_line_when_line_is_full():
    # Eight 7-character elements fill the line; the dtype suffix goes on the next one.
    values = np.arange(1, 9) * -1.2345
    text = assert_matches_torch(values, "float64")
    assert "],\n       dtype=torch.float64)" in text
    text = assert_matches_torch(values, "float64", "clone")
    assert "\n       dtype=torch.float64, grad_fn=<CloneBackward0>)" in text


def test_long_grad_fn_name_wraps():
    text = assert_matches_torch([1.5, 2.0, 3.0], "float32", "long_name")
    suffix = "grad_fn=<VeryLongNamedIdentityFunctionThatForcesWrappingBackward>"
    assert text.endswith(f"],\n       {suffix})")


def test_summarised_output_shape():
    text = assert_matches_torch(np.arange(1001.0), "float32")
    assert text == "tensor([   0.,    1.,    2.,  ...,  998.,  999., 1000.])"


def test_nested_blocks_are_separated_by_blank_lines():
    text = assert_matches_torch(np.arange(16.0).reshape(2, 2, 2, 2), "float32")
    assert text == (
        "tensor([[[[ 0.,  1.],\n"
        "          [ 2.,  3.]],\n"
        "\n"
        "         [[ 4.,  5.],\n"
        "          [ 6.,  7.]]],\n"
        "\n"
        "\n"
        "        [[[ 8.,  9.],\n"
        "          [10., 11.]],\n"
        "\n"
        "         [[12., 13.],\n"
        "          [14., 15.]]]])"
    )


# --------------------------------------------------------------------------------------
# Property tests.


@st.composite
def shapes(draw) -> tuple[int, ...]:
    """Shapes up to 4-D, zeros included, often past the 1000-element threshold."""
    if draw(st.booleans()):
        return (draw(st.integers(0, 2500)),)
    ndim = draw(st.integers(0, 4))
    return tuple(draw(st.lists(st.integers(0, 13), min_size=ndim, max_size=ndim)))


@st.composite
def random_arrays(draw) -> tuple[np.ndarray, str]:
    """Arrays of any shape, filled by numpy from drawn distribution parameters."""
    dtype_name = draw(st.sampled_from(DTYPE_NAMES))
    shape = draw(shapes())
    gen = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    size = int(np.prod(shape))

    if dtype_name == "bool":
        return gen.random(size).reshape(shape) < draw(st.floats(0, 1)), dtype_name
    if dtype_name.startswith("int"):
        info = np.iinfo(dtype_name)
        bits = draw(st.integers(1, info.bits - 1))
        low = 0 if draw(st.booleans()) else -(2**bits)
        values = gen.integers(max(low, info.min), min(2**bits, info.max), size, endpoint=True)
        return values.astype(dtype_name).reshape(shape), dtype_name

    lo_exp = draw(st.integers(-40, 40))
    hi_exp = lo_exp + draw(st.integers(0, 12))
    values = 10.0 ** gen.uniform(lo_exp, hi_exp, size)
    values *= np.where(gen.random(size) < draw(st.floats(0, 1)), -1.0, 1.0)
    if draw(st.booleans()):
        values = np.round(values)
    specials = np.array([0.0, -0.0, NAN, INF, -INF])
    special_rate = draw(st.sampled_from([0.0, 0.0, 0.05, 0.5, 1.0]))
    mask = gen.random(size) < special_rate
    values[mask] = gen.choice(specials, int(mask.sum()))
    with np.errstate(all="ignore"):
        return values.astype(dtype_name).reshape(shape), dtype_name


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_arrays(), st.sampled_from(GRAD_MODES))
def test_random_arrays_match_torch(array_and_dtype, grad_mode):
    array, dtype_name = array_and_dtype
    if dtype_name not in FLOAT_NAMES:
        grad_mode = None  # only floating tensors can require grad
    assert_matches_torch(array, dtype_name, grad_mode)


@st.composite
def edge_value_arrays(draw) -> tuple[np.ndarray, str]:
    """Small arrays of hypothesis-chosen values: subnormals, extremes, -0.0, nan, inf."""
    dtype_name = draw(st.sampled_from(DTYPE_NAMES))
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4))
    if dtype_name in FLOAT_NAMES:
        width = np.dtype(dtype_name).itemsize * 8
        elements = st.floats(width=width, allow_nan=True, allow_infinity=True)
    elif dtype_name == "bool":
        elements = st.booleans()
    else:
        info = np.iinfo(dtype_name)
        elements = st.integers(int(info.min), int(info.max))
    array = draw(hnp.arrays(np.dtype(dtype_name), shape, elements=elements))
    return array, dtype_name


@settings(max_examples=400, deadline=None)
@given(edge_value_arrays(), st.sampled_from(GRAD_MODES))
def test_edge_values_match_torch(array_and_dtype, grad_mode):
    array, dtype_name = array_and_dtype
    if dtype_name not in FLOAT_NAMES:
        grad_mode = None
    assert_matches_torch(array, dtype_name, grad_mode)
