"""The canvas: a QGraphicsView of the graph, one item class per visual kind, and its style."""

from gradviz.pyside_none_leak import protect_none

protect_none()
