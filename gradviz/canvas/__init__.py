"""The canvas: a QGraphicsView of the graph, one item class per visual kind, and its style."""
