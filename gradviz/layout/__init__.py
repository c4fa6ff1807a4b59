"""Layered (Sugiyama-style) layout of computation graphs, independent of Qt.

``layered_layout(graph, sizes)`` returns node boxes and edge routes; ``bezier_segments`` turns
a route into the cubic pieces the canvas should draw; ``count_crossings`` judges any drawing.
"""

from gradviz.layout.crossings import count_crossings
from gradviz.layout.model import EdgeRoute, Layout, NodeBox
from gradviz.layout.pipeline import layered_layout
from gradviz.layout.routing import bezier_segments

__all__ = [
    "EdgeRoute",
    "Layout",
    "NodeBox",
    "bezier_segments",
    "count_crossings",
    "layered_layout",
]
