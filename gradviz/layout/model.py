"""The result types of a layout: plain frozen values the canvas can read without knowing how
they were computed."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass


@dataclass(frozen=True)
class NodeBox:
    """A placed node; ``x``, ``y`` is the centre so boxes of any size share one anchor."""

    x: float
    y: float
    width: float
    height: float

    @property
    def left(self) -> float:
        return self.x - self.width / 2

    @property
    def right(self) -> float:
        return self.x + self.width / 2

    @property
    def top(self) -> float:
        return self.y - self.height / 2

    @property
    def bottom(self) -> float:
        return self.y + self.height / 2


@dataclass(frozen=True)
class EdgeRoute:
    """One drawn edge. ``points`` run from the source's border to the target's border.

    Consecutive points are meant to be joined by cubic Béziers whose tangents follow the layer
    axis (see :func:`gradviz.layout.routing.bezier_segments`); every such curve stays inside the
    box spanned by its two points, which the router keeps free of nodes.
    """

    source: Hashable
    target: Hashable
    key: int
    points: list[tuple[float, float]]


@dataclass(frozen=True)
class Layout:
    """Boxes and routes for a whole graph, in a canvas whose top-left corner is (0, 0)."""

    nodes: dict[Hashable, NodeBox]
    edges: list[EdgeRoute]
    width: float
    height: float
