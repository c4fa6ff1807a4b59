"""`torch.utils.data` against real PyTorch: TensorDataset, and DataLoader's batches in order
or shuffled, with the random numbers each pass draws (its base seed, the sampler's own
generator, the permutation and the empty remainder's), collation and its errors."""

from __future__ import annotations

import pytest

from tests.engine.parity import assert_shows_pytorchs

torch = pytest.importorskip("torch")

SETUP = ("T.manual_seed(0); TD, DL = T.utils.data.TensorDataset, T.utils.data.DataLoader\n"
         "x = T.arange(10.).reshape(5, 2); y = T.arange(5)\n")

SHOWN = {
    "a dataset": "ds = TD(x, y); out = [len(ds), ds[1], ds[-1]]",
    "batches in order": "out = [list(DL(TD(x, y), batch_size=2))]",
    "shuffled, two passes, then the default generator": (
        "dl = DL(TD(x, y), batch_size=2, shuffle=True); out = [len(dl), list(dl), list(dl), "
        "T.rand(2)]"),
    "a generator of the loader's own": (
        "g = T.Generator().manual_seed(1); dl = DL(TD(T.arange(7.), T.arange(7)), batch_size=3, "
        "shuffle=True, generator=g); out = [list(dl), list(dl), T.rand(2), T.rand(2, "
        "generator=g)]"),
    "the last batch dropped": "dl = DL(TD(T.arange(7.)), batch_size=3, drop_last=True); "
                              "out = [len(dl), list(dl)]",
    "a list of pairs of numbers": "out = [list(DL([(1.0, 2), (3.0, 4), (5.0, 6)], batch_size=2, "
                                  "shuffle=True))]",
    "no batching": "dl = DL(TD(T.arange(4.)), batch_size=None); out = [list(dl), len(dl)]",
    "a tensor as the dataset": "out = [list(DL(T.arange(6.).reshape(3, 2), batch_size=2))]",
    "dicts": "out = [list(DL([{'a': 1.0, 'b': T.ones(2)}] * 3, batch_size=2))]",
    "epochs of a training loop": (
        "dl = DL(TD(T.arange(40.).reshape(20, 2), T.arange(20)), batch_size=8, shuffle=True)\n"
        "for epoch in range(3):\n    for xb, yb in dl:\n        pass\nout = [xb, yb, T.randn(3)]"),
    "a pass left early": (
        "dl = DL(TD(x, y), batch_size=2, shuffle=True); first = next(iter(dl)); "
        "out = [first, T.rand(2)]"),
    "rows that require grad are selected and stacked": (
        "w = T.ones(3, 2, requires_grad=True); b = next(iter(DL(TD(w), batch_size=2))); "
        "out = [b, b[0].grad_fn.name()]"),
    "a collate function": "out = [list(DL([1, 2, 3], batch_size=2, collate_fn=lambda b: sum(b)))]",
    "the classes": "out = [T.utils.data.DataLoader, type(TD(x))]",
}

ERRORS = {
    "tensors of different lengths": "TD(T.ones(3), T.ones(4))",
    "negative workers": "DL(TD(x), num_workers=-1)",
    "no batching and drop_last": "DL(TD(x), batch_size=None, drop_last=True)",
    "samples of different lengths": "list(DL([(1, 2), (3,)], batch_size=2))",
}


@pytest.mark.parametrize("code", SHOWN.values(), ids=SHOWN.keys())
def test_loading_shows_what_pytorch_shows(code: str) -> None:
    assert_shows_pytorchs(torch, SETUP + code)


@pytest.mark.parametrize("code", ERRORS.values(), ids=ERRORS.keys())
def test_loading_refuses_what_pytorch_refuses(code: str) -> None:
    assert_shows_pytorchs(torch, SETUP + code, fails=True)


def test_workers_and_samplers_say_that_gradviz_loads_in_one_process() -> None:
    import engine

    data = engine.utils.data
    with pytest.raises(NotImplementedError, match="num_workers=0"):
        data.DataLoader([1, 2], num_workers=2)
    with pytest.raises(NotImplementedError, match="shuffle="):
        data.DataLoader([1, 2], sampler=[0, 1])
