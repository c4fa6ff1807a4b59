"""JSON: the laid-out graph as data, for other tools and for tests.

`nodes`: `id`, `name` (the script's variable name for tensors, the op's name for ops),
`label`, `kind`, `role`, `x`, `y` (the centre), `width`, `height`, `value` and `grad` (as of
the step shown; `null` for `None`), `shape`, `dtype`, `grad_fn`, `state`. `edges`: `source`,
`target`, `key`, `kind`, `state` and the routed `points`. Values are numbers or nested lists
(NaN and infinities as the strings "nan", "inf", "-inf").
"""

from __future__ import annotations

import json
from typing import Any

from gradviz.export.base import Exporter
from gradviz.script.step_records import plain_value

SCHEMA_VERSION = 1


class JsonExporter(Exporter):
    suffix = ".json"

    def to_dict(self) -> dict[str, Any]:
        scene = self.scene
        model, layout, k = scene.model, scene.layout, scene.step
        if model is None or layout is None:
            return {"version": SCHEMA_VERSION, "nodes": [], "edges": []}
        nodes = []
        for key, info in model.nodes.items():
            box = layout.nodes[key]
            tensor = info.kind == "tensor"
            nodes.append({
                "id": key,
                "name": info.name,
                "label": info.label,
                "kind": info.kind,
                "role": info.role,
                "x": box.x,
                "y": box.y,
                "width": box.width,
                "height": box.height,
                "value": plain_value(model.value(key, k)) if tensor else None,
                "grad": plain_value(model.grad_value(key, k)) if tensor else None,
                "shape": list(model.tensor(key).shape) if tensor else None,
                "dtype": info.dtype_text or None,
                "grad_fn": info.grad_fn,
                "state": model.node_state(key, k).value,
            })
        kinds = {edge.id: edge.kind for edge in model.edges}
        edges = []
        for route in layout.edges:
            edge_id = (route.source, route.target, route.key)
            edges.append({
                "source": route.source,
                "target": route.target,
                "key": route.key,
                "kind": kinds.get(edge_id),
                "state": model.edge_state(edge_id, k).value,
                "points": [[x, y] for x, y in route.points],
            })
        current = model.current(k)
        return {
            "version": SCHEMA_VERSION,
            "step": k,
            "steps": model.step_count,
            "direction": scene.direction,
            "width": layout.width,
            "height": layout.height,
            "current": None if current is None else {
                "source": current.edge[0], "target": current.edge[1], "key": current.edge[2],
                "grad_fn": current.grad_fn, "equation": current.equation,
                "formula": current.formula,
            },
            "nodes": nodes,
            "edges": edges,
        }

    def to_bytes(self) -> bytes:
        return (json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n").encode()
