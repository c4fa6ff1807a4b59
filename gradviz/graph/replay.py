"""Recompute a backward root for other values of one leaf, by replaying the recorded ops.

The plot of "what a derivative is" needs f(x) around the current x: the output as a function of
one leaf, everything else held as the script left it. The graph already holds every op that led
from the leaf to the output, with its forward, its constants and its parameters, so replaying
those ops in creation order with numpy gives f without running the script again.

What the graph does not record stays fixed at its recorded value: constants, tensors computed
under `no_grad()` or `.detach()`ed, Python numbers taken out with `.item()`, and choices the
script made from values (`if x > 0:`, `torch.where`'s condition, an index). That is the function
PyTorch differentiates, so its slope at the recorded point is exactly the gradient.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import Any

import numpy as np

import engine
from engine.node import Node, graph_nodes

# Ops whose recorded parameters were computed from the input's values: replay recomputes them.
_ARGMAX = {"max_dim": np.argmax, "min_dim": np.argmin}
# Ops the engine runs on a 1-element view of a 0-d input (softmax along dim 0 of a scalar).
_LIFTED_SCALAR = frozenset({"softmax", "log_softmax"})

_keyword_cache: dict[str, frozenset[str] | None] = {}


def _keywords(spec: Any) -> frozenset[str] | None:
    """The keyword parameters the op's forward accepts (None: it takes any)."""
    if spec.name not in _keyword_cache:
        try:
            parameters = inspect.signature(spec.forward).parameters.values()
        except (TypeError, ValueError):
            _keyword_cache[spec.name] = None
        else:
            if any(p.kind is p.VAR_KEYWORD for p in parameters):
                _keyword_cache[spec.name] = None
            else:
                _keyword_cache[spec.name] = frozenset(
                    p.name for p in parameters
                    if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD))
    return _keyword_cache[spec.name]


def ancestors(root: Node) -> list[Node]:
    """Every op node the gradient from `root` reaches, in creation order (`seq`)."""
    return sorted(graph_nodes([root]), key=lambda n: n.seq)


def feeds(root: Node, leaf: engine.Tensor) -> bool:
    """Whether a gradient from `root` reaches `leaf` (it is an input of some op below root)."""
    return any(target is leaf for node in ancestors(root) for target in node.next)


def _like(value: Any, recorded: Any) -> Any:
    """`value` in the dtype (and numpy scalar-ness) of the recorded argument it replaces."""
    array = np.asarray(value, dtype=np.result_type(recorded))
    if not isinstance(recorded, np.ndarray):
        return array[()]
    return array


class Replay:
    """f(value) = the root's value when `leaf` holds `value`, via the recorded ops."""

    def __init__(self, root: Node, leaf: engine.Tensor) -> None:
        self.root = root
        self.leaf = leaf
        self.nodes = ancestors(root)
        if not any(target is leaf for node in self.nodes for target in node.next):
            raise ValueError(f"{leaf.name or 'the leaf'} does not feed this output")

    @property
    def point(self) -> Any:
        """The leaf's value when the graph was recorded (it may have changed in place since)."""
        for node in self.nodes:
            for i, target in enumerate(node.next):
                if target is self.leaf:
                    return node.args[i]
        return self.leaf._data

    @property
    def value(self) -> Any:
        """The root's recorded value."""
        return self.root.out

    def __call__(self, value: Any) -> Any:
        """The root's value with the leaf set to `value` (same shape as the leaf)."""
        results: dict[Node, Any] = {}
        with np.errstate(all="ignore"):
            for node in self.nodes:
                args = list(node.args)
                for i, target in enumerate(node.next):
                    if target is self.leaf:
                        args[i] = _like(value, node.args[i])
                    elif type(target) is Node:
                        args[i] = _like(results[target], node.args[i])
                results[node] = _forward(node, args)
        return results[self.root]

    def curve(self, values: Iterable[float]) -> np.ndarray:
        """f at each of `values` (a scalar leaf and a scalar root), as float64."""
        return np.array([float(np.asarray(self(v)).reshape(-1)[0]) for v in values])


def _forward(node: Node, args: list) -> Any:
    spec = node.spec
    params = dict(node.params or {})
    if spec.name in _ARGMAX:
        data = args[0] if np.ndim(args[0]) else np.reshape(args[0], (1,))
        params["indices"] = (_ARGMAX[spec.name](data, axis=params["dim"],
                                                keepdims=params["keepdim"])
                             if np.ndim(args[0]) else np.array(0))
    keywords = _keywords(spec)
    if keywords is not None:
        params = {name: value for name, value in params.items() if name in keywords}
    if spec.name in _LIFTED_SCALAR and np.ndim(args[0]) == 0:
        args[0] = np.reshape(args[0], (1,))
    out = spec.forward(*args, **params)
    shape = np.shape(node.out)
    if np.shape(out) != shape and np.size(out) == np.prod(shape, dtype=int):
        out = np.reshape(out, shape)
    if not isinstance(node.out, np.ndarray) and isinstance(out, np.ndarray):
        out = out[()]
    return out
