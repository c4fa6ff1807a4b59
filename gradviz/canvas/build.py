"""From a model to a drawn scene in one call: node sizes, the layout, the items.

The app runs the layout off the UI thread (`layout_worker`); exports and tests call
`build_scene`, which runs the same steps in line, so both draw the same picture.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gradviz.canvas.op_item import OpItem
from gradviz.canvas.scene import GraphScene
from gradviz.canvas.style import Style
from gradviz.canvas.tensor_item import TensorItem

if TYPE_CHECKING:
    from gradviz.graph.model import GraphModel
    from gradviz.layout import Layout


def node_sizes(model: GraphModel, style: Style) -> dict[str, tuple[float, float]]:
    """Each node's (width, height) as its item will draw it."""
    sizes: dict[str, tuple[float, float]] = {}
    for key, info in model.nodes.items():
        if info.kind == "tensor":
            sizes[key] = TensorItem.measure(info, style, model.card_texts(key))
        else:
            sizes[key] = OpItem.measure(info, style)
    return sizes


def gaps(style: Style, direction: str = "TB") -> tuple[float, float]:
    """(node_gap, layer_gap) for the layout, grown with the type. Left-to-right layers get
    wider gaps: the step label sits between them and is wider than it is tall."""
    layer_gap = style.length(style.sizes.layer_gap) * (1.6 if direction == "LR" else 1.0)
    return style.length(style.sizes.node_gap), layer_gap


def compute_layout(model: GraphModel, style: Style, direction: str = "TB") -> Layout:
    from gradviz.layout import layered_layout  # imported here: the layout loads numpy

    node_gap, layer_gap = gaps(style, direction)
    return layered_layout(model.graph, node_sizes(model, style), direction, node_gap, layer_gap)


def build_scene(model: GraphModel, style: Style | None = None, direction: str = "TB",
                step: int | None = None) -> GraphScene:
    """A scene for `model`, laid out now, shown at `step` (default: the end)."""
    style = style or Style()
    scene = GraphScene(style)
    scene.set_graph(model, compute_layout(model, style, direction), direction,
                    model.step_count if step is None else step)
    return scene


def best_direction(model: GraphModel, style: Style, aspect: float, steps: range | None = None
                   ) -> str:
    """"TB" or "LR", whichever draws the graph larger on a page `aspect` wide per unit of
    height (for a deck, framing every step's label as it does)."""
    best, scale = "TB", -1.0
    for direction in ("TB", "LR"):
        scene = build_scene(model, style, direction, 0)
        rect = scene.graph_rect(steps)
        fits = min(aspect / rect.width(), 1.0 / rect.height()) if not rect.isEmpty() else 0.0
        if fits > scale * 1.05:  # LR only if clearly larger: TB is the usual reading
            best, scale = direction, fits
    return best
