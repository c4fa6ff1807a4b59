"""In-place ops on views of tensors in a graph: PyTorch rewrites the base's history
(CopySlices, and AsStridedBackward0 for the views), and so does gradviz."""

from __future__ import annotations

import pytest

import engine


@pytest.mark.parametrize("change", [lambda v: v.mul_(2), lambda v: v.exp_(),
                                    lambda v: v.__iadd__(1), lambda v: v.clamp_(0, 1)])
def test_in_place_on_a_view_of_a_non_leaf_rewrites_the_base_as_pytorch_does(change) -> None:
    torch = pytest.importorskip("torch")
    seen = []
    for lib in (engine, torch):
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x * 2
        view = y[0:2]
        change(view)
        (y * lib.tensor([1.0, 10.0, 100.0])).sum().backward()
        seen.append((str(y), str(view), y.grad_fn.name(), view.grad_fn.name(), str(x.grad)))
    assert seen[0] == seen[1]
    assert seen[0][2:4] == ("torch::autograd::CopySlices", "AsStridedBackward0")


def test_in_place_on_a_view_without_grad_still_writes_through() -> None:
    x = engine.tensor([1.0, 2.0, 3.0], requires_grad=True)
    with engine.no_grad():
        y = x * 2
    y[0:2].mul_(10)
    assert y.tolist() == [20.0, 40.0, 6.0]


GRAD_ALIASES = {
    "data zero_": "x.grad.data.zero_()",
    "detach zero_": "x.grad.detach().zero_()",
    "data mul_ seen by a view": "v = x.grad[0:1]; x.grad.data.mul_(3); out.append(v)",
    "view of data fill_": "x.grad[0:1].data.fill_(7)",
    "data item set": "x.grad.data[1] = 5",
    "transposed data add_": "x.grad.t().data.add_(1)",
    "0-d data zero_": "x.grad.data.zero_() if x.ndim == 0 else None",
}


@pytest.mark.parametrize("write", GRAD_ALIASES.values(), ids=GRAD_ALIASES.keys())
def test_a_write_through_an_alias_of_grad_lands_in_grad(write: str) -> None:
    """`p.grad.data.zero_()`, the old way to clear a gradient, must clear it: PyTorch's
    aliases share the gradient's memory. (gradviz freezes a gradient so the steps that
    recorded it keep their values; the write must still reach `x.grad`.)"""
    from tests.engine.parity import observe

    torch = pytest.importorskip("torch")
    shape = "3." if "ndim" in write else "[[1., 2.], [3., 4.]]"
    code = (f"x=T.tensor({shape}, requires_grad=True); (x*x).sum().backward(); out=[]; "
            f"g=x.grad; {write}; out += [x.grad, g]")
    assert observe(engine, code) == observe(torch, code)


ELEMENT_VIEWS = {
    "element sees a write into its tensor": "x=T.zeros(2); v=x[0]; x.add_(1); out=[v]",
    "a write into an element lands in its tensor": "x=T.zeros(2); v=x[0]; v.add_(1); out=[x]",
    "element sees a write through .data": "x=T.zeros(2); v=x[0]; x.data.add_(1); out=[v]",
    "element of a non-leaf written in place": "x=T.tensor([1.,2.,3.],requires_grad=True); "
                                              "y=x*2; v=y[1]; v.mul_(10); y.sum().backward(); "
                                              "out=[y, x.grad, v]",
    "element of a row written in place": "x=T.tensor([[1.,2.],[3.,4.]],requires_grad=True); "
                                         "y=x*2; y[1][0].add_(5); (y*y).sum().backward(); "
                                         "out=[y, x.grad]",
    "contiguous copies a transposed tensor": "t=T.arange(6).reshape(2,3).t(); "
                                             "out=[t.contiguous().view(6), "
                                             "t.contiguous().is_contiguous(), "
                                             "t.clone().is_contiguous()]",
}


@pytest.mark.parametrize("code", ELEMENT_VIEWS.values(), ids=ELEMENT_VIEWS.keys())
def test_an_element_is_a_view_of_its_tensor(code: str) -> None:
    """`x[0]` shares x's memory in PyTorch (numpy's `a[0]` is a copy)."""
    from tests.engine.parity import observe

    torch = pytest.importorskip("torch")
    assert observe(engine, code) == observe(torch, code)


MULTI_OUTPUT_WRITES = {
    "split piece mul_": lambda x, y: y.split(2)[0].mul_(2),
    "split piece of a leaf": lambda x, y: x.split(2)[0].mul_(2),
    "chunk piece +=": lambda x, y: y.chunk(2)[1].__iadd__(1),
    "split_with_sizes piece": lambda x, y: y.split([1, 2])[1].zero_(),
    "split along dim 1": lambda x, y: y.split(2, 1)[1].fill_(3),
    "view of a piece": lambda x, y: y.split(2)[0].t().clamp_(0, 1),
    "piece[0] = 5": lambda x, y: y.split(2)[0].__setitem__(0, 5.0),
    "piece[:, 0] = 5": lambda x, y: y.split(2)[0].__setitem__((slice(None), 0), 5.0),
    "piece[0, 1:] = 5": lambda x, y: y.split(2)[0].__setitem__((0, slice(1, None)), 5.0),
    "piece[:] = 5": lambda x, y: y.split(2)[0].__setitem__(slice(None), 5.0),
    "piece[None] = 5": lambda x, y: y.split(2)[0].__setitem__(None, 5.0),
    "piece[[0]] = 5": lambda x, y: y.split(2)[0].__setitem__([0], 5.0),
}


@pytest.mark.parametrize("write", MULTI_OUTPUT_WRITES.values(), ids=MULTI_OUTPUT_WRITES.keys())
def test_writing_into_a_piece_of_split_is_refused_as_pytorch_does(write) -> None:
    """split and chunk return several views of one tensor; PyTorch refuses in-place writes
    into them (and into views of them) in grad mode, naming the view written into."""
    torch = pytest.importorskip("torch")
    messages = []
    for lib in (engine, torch):
        x = lib.arange(12.0).reshape(3, 4).requires_grad_()
        with pytest.raises(RuntimeError) as error:
            write(x, x * 1)
        messages.append(str(error.value))
    assert messages[0] == messages[1]
    assert "returns multiple views" in messages[0]


def test_pieces_of_split_can_be_written_without_grad() -> None:
    x = engine.arange(6.0, requires_grad=True)
    y = x * 1
    with engine.no_grad():
        y.split(2)[1].mul_(10)
    piece = engine.arange(6.0).split(2)[0]
    piece.mul_(2)
    assert y.tolist() == [0.0, 1.0, 20.0, 30.0, 4.0, 5.0]
    assert piece.tolist() == [0.0, 2.0]


KERNEL_OUTPUT_WRITES = {
    "softmax, then an indexed subtraction (backprop ninja's dlogits)": (
        "T.manual_seed(0); l=T.randn(4,5,requires_grad=True); d=F.softmax(l,1); "
        "d[range(4), T.tensor([0,3,1,1])] -= 1; d /= 4; "
        "out=[d, d.grad_fn.name(), d.grad_fn.next_functions[0][0].name()]"),
    "a sum, then an element written": (
        "T.manual_seed(1); a=T.randn(3,4,requires_grad=True); s=a.sum(0, keepdim=True); "
        "s[0, 1] = 0.5; (s*s).sum().backward(); out=[s, s.grad_fn.name(), a.grad]"),
    "a repeat, then a masked write": (
        "T.manual_seed(2); a=T.randn(2,3,requires_grad=True); r=a.repeat(2,1); r[r < 0] = 0.0; "
        "(r*r).sum().backward(); out=[r, r.grad_fn.name(), a.grad]"),
    "a mean, then a row added to": (
        "T.manual_seed(3); a=T.randn(3,4,requires_grad=True); m=a.mean(1, keepdim=True); "
        "m[1] += 1; (m*m).sum().backward(); out=[m, a.grad]"),
}


@pytest.mark.parametrize("code", KERNEL_OUTPUT_WRITES.values(), ids=KERNEL_OUTPUT_WRITES.keys())
def test_writing_into_a_kernels_output_is_recorded_as_pytorch_does(code: str) -> None:
    """An op's result whose array numpy made as a view of a buffer is still no view of any
    tensor: a write into it is recorded (IndexPutBackward0, CopySlices)."""
    from tests.engine.parity import assert_shows_pytorchs

    assert_shows_pytorchs(pytest.importorskip("torch"), code)


def test_a_written_softmax_refuses_its_backward_as_pytorch_does() -> None:
    # softmax saved the output the write changed
    from tests.engine.parity import observe

    torch = pytest.importorskip("torch")
    code = ("l=T.randn(4,5,requires_grad=True); d=F.softmax(l,1); d[range(4), T.tensor([0,3,1,1])]"
            " -= 1; d.sum().backward()")
    expected = observe(torch, code)
    assert "modified by an inplace operation" in expected["error"]
    assert observe(engine, code) == expected


SHARED_VERSIONS = {
    "a write through a view, then the base's backward": (
        "x=T.ones(3); w=T.ones(3,requires_grad=True); y=(x*w).sum(); x[:2].add_(1); y.backward()",
        True),
    "a write into the base, then a view's backward": (
        "x=T.ones(3); v=x[:2]; w=T.ones(2,requires_grad=True); y=(v*w).sum(); x[0]=5; "
        "y.backward()", True),
    "an element written, then a view's version": (
        "i=T.tensor([1,0,0,1]); v=i[:2]; i[0]=0; w=i[2:]; i.add_(1); u=v[1:]; v.mul_(1); "
        "i.fill_(2); T.add(i[:2], 1, out=w); out=[v._version, i._version, w._version, u._version, "
        "i[0]._version]", False),
    "a view of a written tensor starts at its version": (
        "x=T.zeros(3); x.add_(1); x[1]=2; out=[x[:1]._version, x.view(3,1)._version, "
        "x.clone()._version]", False),
    "a view of an index written, then the index's backward": (
        "x=T.arange(4.).requires_grad_(); i=T.tensor([1,0,0,1]); "
        "y=x.view(2,2)[i[:2], i[2:]]; i[0]=0; y.sum().backward()", True),
}
SAVED_INDICES = {
    "indexing": "x[i]", "indexing in a tuple": "x.view(4,1)[i, 0]", "gather": "x.gather(0,i)",
    "embedding": "F.embedding(i, x.view(4,1))", "a mask (not saved)": "x[i>1]",
    "masked_fill (not saved)": "x.masked_fill(i>1, 0.)"}


@pytest.mark.parametrize(("code", "fails"), SHARED_VERSIONS.values(), ids=SHARED_VERSIONS.keys())
def test_views_share_their_memorys_version_as_in_pytorch(code: str, fails: bool) -> None:
    """A write into a view is a write into its memory, and the other way round: a tensor a
    backward saved refuses it, whichever way the write came."""
    from tests.engine.parity import assert_shows_pytorchs

    assert_shows_pytorchs(pytest.importorskip("torch"), code, fails=fails)


@pytest.mark.parametrize("use", SAVED_INDICES.values(), ids=SAVED_INDICES.keys())
def test_an_index_written_after_its_use_refuses_the_backward_as_in_pytorch(use: str) -> None:
    from tests.engine.parity import observe

    torch = pytest.importorskip("torch")
    code = f"x=T.arange(4.).requires_grad_(); i=T.tensor([1,2,0,3]); y={use}; i[0]=3; " \
           "y.sum().backward(); out=[x.grad]"
    expected = observe(torch, code)
    assert observe(engine, code) == expected


COPIES = {
    "into a plain tensor": (
        "y=T.tensor([1.,2.],requires_grad=True); z=y*3; x=T.zeros(2); x.copy_(z); x.mul_(2); "
        "(x.sum()+z.sum()).backward(); out=[x, z, y.grad, x.grad_fn.next_functions[0][0].name(),"
        " z.grad_fn.name(), repr(x.grad_fn.next_functions[0][0])[:15]]"),
    "a constant over a non-leaf": (
        "y=T.tensor([1.,2.],requires_grad=True); h=y*1; h.copy_(T.tensor([5,6])); "
        "h.sum().backward(); out=[h, y.grad, h.grad_fn.name(), "
        "[n is None or n.name() for n, _ in h.grad_fn.next_functions]]"),
    "broadcast into a matrix": (
        "y=T.tensor([1.,2.],requires_grad=True); m=T.zeros(2,2); m.copy_(y); "
        "(m*T.arange(4.).view(2,2)).sum().backward(); out=[m, y.grad]"),
    "cast into ints": "i=T.zeros(2,dtype=T.int64); i.copy_(T.tensor([1.7,-2.5])); out=[i]",
    "without grad": (
        "y=T.tensor([1.,2.],requires_grad=True); z=y*3\n"
        "with T.no_grad():\n    w=T.zeros(2); w.copy_(z)\n"
        "out=[w, w.grad_fn, z.grad_fn.name(), w.requires_grad]"),
    "into a view": (
        "y=T.tensor([1.,2.],requires_grad=True); x=T.zeros(3); x[:2].copy_(y*2); "
        "x.sum().backward(); out=[x, y.grad, x.grad_fn.name()]"),
    "from a float64 source": (
        "y=T.tensor([1.5,2.],dtype=T.float64,requires_grad=True); x=T.zeros(2); x.copy_(y); "
        "(x*x).sum().backward(); out=[x, y.grad]"),
}
COPY_ERRORS = {
    "more dims than the target": "T.zeros(2).copy_(T.ones(2,2))",
    "sizes that do not broadcast": "T.zeros(2,3).copy_(T.ones(4,3))",
    "a target that would need broadcasting": "T.zeros(2,1).copy_(T.ones(2,3))",
    "into a leaf that requires grad": "T.zeros(2,requires_grad=True).copy_(T.ones(2))",
}


@pytest.mark.parametrize(("code", "fails"), [*((c, False) for c in COPIES.values()),
                                             *((c, True) for c in COPY_ERRORS.values())],
                         ids=[*COPIES, *COPY_ERRORS])
def test_copy_is_recorded_as_pytorch_records_it(code: str, fails: bool) -> None:
    """`copy_` takes the target's place in the graph (CopyBackwards) where a gradient flows;
    the source keeps its own node."""
    from tests.engine.parity import assert_shows_pytorchs

    assert_shows_pytorchs(pytest.importorskip("torch"), code, fails=fails)
