"""In-place ops on views of tensors in a graph: PyTorch rewrites the base's history
(CopySlices); gradviz says plainly that it does not, instead of computing a wrong gradient."""

from __future__ import annotations

import pytest

import engine


@pytest.mark.parametrize("change", [lambda v: v.mul_(2), lambda v: v.exp_(),
                                    lambda v: v.__iadd__(1), lambda v: v.clamp_(0, 1)])
def test_in_place_on_a_view_of_a_non_leaf_is_refused_clearly(change) -> None:
    x = engine.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    with pytest.raises(RuntimeError, match="gradviz does not yet record in-place changes to a "
                                           "view"):
        change(y[0:2])


def test_in_place_on_a_view_without_grad_still_writes_through() -> None:
    x = engine.tensor([1.0, 2.0, 3.0], requires_grad=True)
    with engine.no_grad():
        y = x * 2
    y[0:2].mul_(10)
    assert y.tolist() == [20.0, 40.0, 6.0]
