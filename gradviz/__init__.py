"""gradviz: see gradients flow through a computation graph, one edge at a time."""

__version__ = "0.1.0"


def show(tensors: object) -> None:
    """Open gradviz on a graph built with the engine, blocking until its window closes."""
    from gradviz.show_tensors import show as show_window

    show_window(tensors)  # type: ignore[arg-type]
