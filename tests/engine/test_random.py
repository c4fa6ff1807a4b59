"""Bit-for-bit parity of engine.random with PyTorch's CPU generator.

Every comparison is exact: same dtype, same shape and the same bytes (so even the sign of a zero
must agree). Real torch is the oracle; these tests skip where it is not installed.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from engine import random as rng  # noqa: E402

TORCH_DTYPES = {np.dtype(np.float16): torch.float16, np.dtype(np.float32): torch.float32,
                np.dtype(np.float64): torch.float64}
FLOATS = list(TORCH_DTYPES)
SEEDS = [0, 1, 42, 2**32 + 7, 67280421310721]
SHAPES = [(), (0,), (1,), (2,), (15,), (16,), (17,), (31,), (32,), (33,), (100,), (3, 5),
          (4, 4), (2, 3, 5), (7, 0), (5, 20)]

# float32/float16 normals of 16+ elements follow PyTorch's AVX2 kernel; a PyTorch running its
# plain C++ kernel (no AVX2, or ATEN_CPU_CAPABILITY=default) makes other numbers there.
VECTORISED = torch.backends.cpu.get_cpu_capability() in {"AVX2", "AVX512"}
needs_vectorised_torch = pytest.mark.skipif(
    not VECTORISED, reason="torch is not running its AVX2/AVX-512 kernels")


def assert_same(ours: np.ndarray, theirs) -> None:
    """Same dtype, shape and bytes as the torch tensor."""
    theirs = theirs.numpy()
    assert ours.dtype == theirs.dtype
    assert ours.shape == theirs.shape
    assert np.array_equal(ours, theirs)
    assert ours.tobytes() == theirs.tobytes()


def seed_both(seed: int) -> None:
    torch.manual_seed(seed)
    rng.manual_seed(seed)


def numel(shape: tuple[int, ...]) -> int:
    return int(np.prod(shape, dtype=np.int64))


def normal_case_supported(shape: tuple[int, ...], dtype: np.dtype) -> bool:
    return VECTORISED or numel(shape) < 16 or dtype == np.float64


# ---------------------------------------------------------------------------------------------
# One call at a time


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_rand(shape, dtype):
    for seed in SEEDS:
        seed_both(seed)
        for _ in range(2):  # the second call starts mid-stream
            assert_same(rng.uniform(shape, dtype), torch.rand(shape, dtype=TORCH_DTYPES[dtype]))


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_randn(shape, dtype):
    if not normal_case_supported(shape, dtype):
        pytest.skip("torch is not running its AVX2/AVX-512 kernels")
    for seed in SEEDS:
        seed_both(seed)
        for _ in range(3):  # later calls see a cached normal or a mid-stream engine
            assert_same(rng.normal(shape, dtype), torch.randn(shape, dtype=TORCH_DTYPES[dtype]))


@needs_vectorised_torch
@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_large_tensors(dtype):
    seed_both(2024)
    assert_same(rng.normal((1000, 999), dtype), torch.randn(1000, 999, dtype=TORCH_DTYPES[dtype]))
    assert_same(rng.uniform((300, 1000), dtype), torch.rand(300, 1000, dtype=TORCH_DTYPES[dtype]))


RANGES = [(0, 10), (-5, 5), (0, 1), (-100, -90), (3, 2**20), (0, 2**28 - 1), (0, 2**28),
          (-(2**27), 2**27), (0, 2**31), (-(2**31), 2**31), (0, 2**32 - 1), (0, 2**32),
          (-(2**40), 2**40), (2**62, 2**63 - 1), (-(2**63), 2**63 - 1), (-(2**63), -(2**63) + 3)]


@pytest.mark.parametrize(("low", "high"), RANGES, ids=str)
def test_randint(low, high):
    for seed in SEEDS:
        seed_both(seed)
        for shape in [(5,), (), (0,), (3, 4), (17,)]:
            assert_same(rng.integers(low, high, shape), torch.randint(low, high, shape))


@pytest.mark.parametrize("n", [0, 1, 2, 3, 5, 16, 100, 1000, 30000])
def test_randperm(n):
    for seed in SEEDS:
        seed_both(seed)
        assert_same(rng.permutation(n), torch.randperm(n))
        assert_same(rng.permutation(n), torch.randperm(n))


@pytest.mark.parametrize("dtype", FLOATS, ids=str)
@pytest.mark.parametrize("shape", [(3,), (4, 5), (2, 2, 2)], ids=str)
def test_like_functions_are_plain_draws_with_the_input_shape_and_dtype(shape, dtype):
    """`torch.rand_like(x)`/`randn_like(x)` draw exactly like rand/randn(x.shape, x.dtype)."""
    x = torch.zeros(shape, dtype=TORCH_DTYPES[dtype])
    seed_both(5)
    assert_same(rng.uniform(shape, dtype), torch.rand_like(x))
    assert_same(rng.normal(shape, dtype), torch.randn_like(x))


# ---------------------------------------------------------------------------------------------
# Sequences and generator state


def run_both(op: tuple) -> None:
    """Run one call on both generators and compare."""
    kind, *args = op
    if kind == "rand":
        shape, dtype = args
        assert_same(rng.uniform(shape, dtype), torch.rand(shape, dtype=TORCH_DTYPES[dtype]))
    elif kind == "randn":
        shape, dtype = args
        assert_same(rng.normal(shape, dtype), torch.randn(shape, dtype=TORCH_DTYPES[dtype]))
    elif kind == "randint":
        low, high, shape = args
        try:
            theirs = torch.randint(low, high, shape)
        except (ValueError, RuntimeError) as error:  # e.g. a bound past int64: both refuse
            with pytest.raises(type(error)) as ours:
                rng.integers(low, high, shape)
            assert str(ours.value) == str(error)
            return
        assert_same(rng.integers(low, high, shape), theirs)
    else:
        (n,) = args
        assert_same(rng.permutation(n), torch.randperm(n))


F16, F32, F64 = FLOATS

SEQUENCES = {
    "brief_example": [("rand", (3,), F32), ("randn", (20,), F32), ("randn", (3,), F32),
                      ("randint", 0, 10, (5,))],
    "cache_crosses_dtypes": [("randn", (1,), F64), ("randn", (1,), F32), ("randn", (3,), F16),
                             ("randn", (1,), F64)],
    "blocked_path_keeps_cache": [("randn", (3,), F32), ("randn", (16,), F32),
                                 ("randn", (17,), F64), ("randn", (1,), F32)],
    "cache_survives_other_draws": [("randn", (1,), F32), ("rand", (4,), F64),
                                   ("randint", -3, 3, (2,)), ("randperm", 7), ("randn", (2,), F32)],
    "tails": [("randn", (17,), F16), ("rand", (3,), F32), ("randn", (31,), F32),
              ("rand", (2,), F32), ("randn", (33,), F64), ("rand", (2,), F64)],
    "mixed": [("randint", 0, 2**28, (3,)), ("randn", (5, 4), F32), ("randperm", 10),
              ("rand", (2, 2), F16), ("randn", (), F64), ("randint", -(2**40), 0, (4,)),
              ("randn", (15,), F32), ("rand", (1,), F64)],
}


@pytest.mark.parametrize("name", list(SEQUENCES))
def test_interleaved_sequences(name):
    if not VECTORISED and name in {"blocked_path_keeps_cache", "tails", "mixed", "brief_example"}:
        pytest.skip("torch is not running its AVX2/AVX-512 kernels")
    for seed in SEEDS:
        seed_both(seed)
        for op in SEQUENCES[name]:
            run_both(op)


def test_manual_seed_drops_the_cached_normal():
    seed_both(0)
    first = rng.normal((1,), F64)
    torch_first = torch.randn(1, dtype=torch.float64)
    # A normal is now cached; reseeding must forget it on both sides.
    seed_both(0)
    assert_same(rng.normal((1,), F64), torch.randn(1, dtype=torch.float64))
    assert first.tobytes() == torch_first.numpy().tobytes()


@pytest.mark.parametrize("seed", [0, 7, 2**32 - 1, 2**32, 2**63, 2**64 - 1, -1, -(2**63), 1.0])
def test_initial_seed(seed):
    seed_both(seed)
    assert rng.initial_seed() == torch.initial_seed()
    assert_same(rng.uniform((3,), F32), torch.rand(3))


@pytest.mark.parametrize("seed", [2**64, -(2**63) - 1])
def test_out_of_range_seeds_are_rejected(seed):
    with pytest.raises(ValueError, match="Overflow") as ours:
        rng.manual_seed(seed)
    with pytest.raises(ValueError) as theirs:
        torch.manual_seed(seed)
    assert str(ours.value) == str(theirs.value)


def test_default_seed_at_import():
    """A fresh copy of the module starts from PyTorch's historical default seed."""
    spec = importlib.util.spec_from_file_location(
        "fresh_engine_random", Path(rng.__file__))
    fresh = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fresh)
    assert fresh.initial_seed() == 67280421310721
    torch.manual_seed(67280421310721)
    assert_same(fresh.uniform((4,), F32), torch.rand(4))
    assert_same(fresh.normal((3,), F64), torch.randn(3, dtype=torch.float64))


@pytest.mark.parametrize("low,high", [(2**62, 2**63), (0, 2**63), (-(2**63) - 1, 0),
                                      (2**63 - 1, 2**63)])
def test_bounds_past_int64_fail_as_in_torch(low, high):
    """Found by hypothesis: randint(2**62, 2**63, (0,)) must fail as torch fails, not draw."""
    seed_both(0)
    run_both(("randint", low, high, (0,)))
    run_both(("randint", low, high, (3,)))
    run_both(("rand", (2,), F32))  # neither generator advanced


def test_errors_match_torch():
    with pytest.raises(RuntimeError) as ours:
        rng.integers(5, 5, (2,))
    with pytest.raises(RuntimeError) as theirs:
        torch.randint(5, 5, (2,))
    assert str(ours.value) == str(theirs.value)
    with pytest.raises(ValueError):
        rng.integers(0, 2**63, (2,))
    with pytest.raises(RuntimeError, match="negative dimension -1"):
        rng.permutation(-1)
    with pytest.raises(TypeError):
        rng.uniform((2,), np.int64)


# ---------------------------------------------------------------------------------------------
# Chosen generator outputs: edge-case uniforms that random seeds almost never produce


def untemper(outputs: np.ndarray) -> np.ndarray:
    """The mt19937 state words whose tempered outputs are `outputs`."""
    y = outputs.astype(np.uint64) & np.uint64(0xFFFFFFFF)
    y ^= y >> np.uint64(18)
    y ^= (y << np.uint64(15)) & np.uint64(0xEFC60000)
    x = y.copy()
    for _ in range(5):
        x = y ^ ((x << np.uint64(7)) & np.uint64(0x9D2C5680))
    y = x.copy()
    for _ in range(3):
        x = y ^ (x >> np.uint64(11))
    return x & np.uint64(0xFFFFFFFF)


def load_outputs(outputs: np.ndarray) -> None:
    """Make the next outputs of both engines exactly `outputs` (at most 623 words)."""
    assert len(outputs) <= 623
    seed_both(0)  # also clears both cached normals
    key = np.zeros(624, np.uint64)
    key[: len(outputs)] = untemper(np.asarray(outputs, np.uint64))
    state = torch.get_rng_state().numpy().copy()
    if state.size != 5056:
        pytest.skip("unfamiliar torch RNG state layout")
    # CPUGeneratorImplState on x86-64: seed u64 | left i32 | seeded i32 | next u64 | state[624]
    state[8:12] = np.frombuffer(np.int32(624).tobytes(), np.uint8)  # 623 draws before a twist
    state[16:24] = 0
    state[24 : 24 + 624 * 8] = np.frombuffer(key.tobytes(), np.uint8)
    torch.set_rng_state(torch.from_numpy(state))
    rng._gen.engine.state = {"bit_generator": "MT19937",
                             "state": {"key": key.astype(np.uint32), "pos": 0}}


def edge_words_f32() -> np.ndarray:
    """Rows of 16 words: radius halves with extreme uniforms, angle halves near octant edges."""
    radius = [0, 1, 2, 3, 0xFFFFFF, 0xFFFFFE, 0xFFFFFD, 0x800000, 0x7FFFFF, 0x4AFB0D, 0x4AFB0C,
              0xC00000, 0xFF000000, 0xFFFFFFFF, 0x12345678, 0xB504F3]
    octant_edges = [k * (1 << 21) + d for k in range(9) for d in (-2, -1, 0, 1, 2)]
    angle = [w % (1 << 24) for w in octant_edges] + [0xFFFFFF, 0x1, 0xABFFFFFF]
    rows = []
    for i in range(max(len(radius), len(angle)) // 8 + 1):
        r = [radius[(8 * i + j) % len(radius)] for j in range(8)]
        a = [angle[(8 * i + j) % len(angle)] for j in range(8)]
        rows.append(r + a)
    return np.array(rows, dtype=np.uint64).ravel()


@needs_vectorised_torch
@pytest.mark.parametrize("dtype", [F32, F16], ids=str)
def test_blocked_normals_at_edge_uniforms(dtype):
    words = edge_words_f32()
    load_outputs(words)
    n = len(words)
    assert_same(rng.normal((n,), dtype), torch.randn(n, dtype=TORCH_DTYPES[dtype]))


def test_float32_uniforms_of_chosen_words():
    words = np.array([0, 1, 0xFFFFFF, 0x1000000, 0xFFFFFFFF, 0x80000000, 0x7FFFFFFF], np.uint64)
    load_outputs(words)
    assert_same(rng.uniform((7,), F32), torch.rand(7))
    load_outputs(words)
    assert_same(rng.uniform((7,), F16), torch.rand(7, dtype=torch.float16))


@pytest.mark.parametrize("n", [16, 3])
def test_float64_normals_at_edge_uniforms(n):
    """Zero and largest 53-bit uniforms, on both the blocked and the per-element path."""
    hi = [0, 0, 0x1FFFFF, 0x1FFFFF, 0xFFE00000, 0, 0x100000, 0xFFFFFFFF]
    lo = [0, 1, 0xFFFFFFFF, 0xFFFFFFFE, 0, 0x80000000, 0, 0xFFFFFFFF]
    pairs = [(hi[i % 8], lo[(i * 3) % 8]) for i in range(32)]
    load_outputs(np.array(pairs, np.uint64).ravel())
    assert_same(rng.normal((n,), F64), torch.randn(n, dtype=torch.float64))


def test_float64_normals_of_a_zero_radius():
    """u2 = 0 gives radius 0: a -0.0 in cos or in the cached sin must come out as +0.0."""
    u1 = round(0.6 * 2**53)  # an angle whose sin and cos are both negative
    words = [(u1 >> 32) & 0x1FFFFF, u1 & 0xFFFFFFFF, 0, 0, 0, 5, 0x1FFFFF, 0xFFFFFFFF]
    load_outputs(np.array(words, np.uint64))
    assert_same(rng.normal((3,), F64), torch.randn(3, dtype=torch.float64))


def test_randint_at_extreme_words():
    words = np.array([0, 0xFFFFFFFF, 0x80000000, 0x7FFFFFFF, 0xFFFFFFFE, 1] * 10, np.uint64)
    for low, high in [(0, 7), (-(2**31), 2**31), (-(2**63), 2**63 - 1), (0, 2**28 - 1)]:
        load_outputs(words)
        assert_same(rng.integers(low, high, (20,)), torch.randint(low, high, (20,)))


def test_fma32_rounds_once():
    """The float32 fused multiply-add helper agrees with exact rational arithmetic."""
    from fractions import Fraction

    f32 = np.float32
    # a * b = 2**-24 - 2**-60: the float64 sum lands on a float32 midpoint that the true sum
    # is just below, so rounding through float64 alone would round the wrong way.
    a = [f32(2.0**-24 * (1 + 2.0**-18)), f32(-(2.0**-24) * (1 + 2.0**-18))]
    b = [f32(1 - 2.0**-18)] * 2
    c = [f32(1 + 2.0**-23), f32(-1 - 3 * 2.0**-23)]
    generator = np.random.default_rng(1)
    a += list(generator.standard_normal(2000).astype(f32))
    b += list(generator.standard_normal(2000).astype(f32))
    c += list((generator.standard_normal(2000) * 2.0 ** generator.integers(-30, 5, 2000))
              .astype(f32))
    got = rng._fma32(np.array(a, f32), np.array(b, f32), np.array(c, f32))
    for x, y, z, result in zip(a, b, c, got, strict=True):
        exact = Fraction(float(x)) * Fraction(float(y)) + Fraction(float(z))
        below = f32(float(exact))  # float32 neighbours of the exact sum
        candidates = {below, np.nextafter(below, f32(np.inf)), np.nextafter(below, f32(-np.inf))}
        best = min(candidates, key=lambda v: (abs(Fraction(float(v)) - exact),
                                               int(np.array(v, f32).view(np.int32)) & 1))
        assert result == best, (x, y, z)


# ---------------------------------------------------------------------------------------------
# Random seeds and call sequences

shapes = st.one_of(
    st.integers(0, 40).map(lambda n: (n,)),
    st.lists(st.integers(0, 6), max_size=3).map(tuple),
)
float_dtypes = st.sampled_from(FLOATS)
ranges = st.tuples(
    st.integers(-(2**62), 2**62),
    st.one_of(st.integers(1, 100), st.integers(1, 2**62),
              st.sampled_from([2**28 - 1, 2**28, 2**32 - 1, 2**32])),
).map(lambda lo_span: (lo_span[0], lo_span[0] + lo_span[1]))
operations = st.one_of(
    st.tuples(st.just("rand"), shapes, float_dtypes),
    st.tuples(st.just("randn"), shapes, float_dtypes).filter(
        lambda op: normal_case_supported(op[1], op[2])),
    st.tuples(st.just("randint"), ranges, shapes).map(lambda op: ("randint", *op[1], op[2])),
    st.tuples(st.just("randperm"), st.integers(0, 60)),
)


@settings(max_examples=300, deadline=None)
@given(seed=st.integers(-(2**63), 2**64 - 1), ops=st.lists(operations, max_size=8))
def test_random_call_sequences(seed, ops):
    seed_both(seed)
    assert rng.initial_seed() == torch.initial_seed()
    for op in ops:
        run_both(op)


NORMAL_SNIPPETS = {
    "normal_ small and blocked": "T.manual_seed(0); out=[T.empty(3).normal_(), "
                                 "T.empty(20).normal_(1.5, 0.3), "
                                 "T.empty(2,3,dtype=T.float64).normal_(-1, 2)]",
    "torch.normal": "T.manual_seed(1); out=[T.normal(0., 1., size=(2,3)), "
                    "T.normal(2., 0.5, (20,))]",
    "init.normal_": "T.manual_seed(0); w=T.empty(3,5); T.nn.init.normal_(w, 0., 0.02); out=[w]",
    "kaiming_normal_": "T.manual_seed(0); w=T.empty(4,3); "
                       "T.nn.init.kaiming_normal_(w, mode='fan_out', nonlinearity='relu'); "
                       "out=[w]",
    "xavier_normal_": "T.manual_seed(0); w=T.empty(5,30); T.nn.init.xavier_normal_(w); out=[w]",
    "negative std": "x=T.empty(2).normal_(0, -1)",
    "integer normal_": "x=T.empty(2, dtype=T.int64).normal_()",
    "normal_ on a leaf": "x=T.ones(2, requires_grad=True); x.normal_()",
}


@pytest.mark.parametrize("code", NORMAL_SNIPPETS.values(), ids=NORMAL_SNIPPETS.keys())
def test_normals_with_a_mean_and_std_are_pytorchs(code: str) -> None:
    import engine
    from tests.engine.parity import observe

    assert observe(engine, code) == observe(torch, code)


def test_normal_between_is_pytorchs_bit_for_bit_on_both_paths() -> None:
    """Fewer than 16 elements: z·std + mean fused in double; from 16: fused in the dtype."""
    from engine import random

    for dtype, torch_dtype in ((np.float32, torch.float32), (np.float64, torch.float64)):
        for n in (1, 7, 15, 16, 17, 40, 1000):
            for mean, std in ((1.5, 2.3), (-0.3, 0.7), (10.0, 0.001)):
                torch.manual_seed(n)
                theirs = torch.empty(n, dtype=torch_dtype).normal_(mean, std).numpy()
                random.manual_seed(n)
                ours = random.normal_between((n,), dtype, mean, std)
                assert ours.tobytes() == theirs.tobytes(), (dtype, n, mean, std)
