"""The docks around the graph: inspector, steps list and output, each bound to the Document."""
