"""gradviz: see gradients flow through a computation graph, one edge at a time."""

__version__ = "0.1.0"
