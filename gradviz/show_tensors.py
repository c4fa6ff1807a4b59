"""`gradviz.show(tensors)`: open the window on a graph built in your own code, as
`matplotlib.pyplot.show()` opens a figure."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

import engine
from gradviz.script.run import Run
from gradviz.script.timeline import GradTimeline


def run_from_tensors(tensors: engine.Tensor | Iterable[engine.Tensor]) -> Run:
    """A `Run` for tensors built outside a script: their graph, and, when the first tensor is
    a scalar that needs a gradient, the steps its `backward()` would take. The tensors' own
    `.grad` values are left exactly as they were."""
    roots = [tensors] if isinstance(tensors, engine.Tensor) else list(tensors)
    if not roots:
        raise ValueError("gradviz.show() needs at least one tensor")
    for root in roots:
        if not isinstance(root, engine.Tensor):
            raise TypeError(f"gradviz.show() takes engine tensors, not {type(root).__name__}")
    graph = engine.trace(roots)
    created = [data["obj"] for _, data in graph.nodes(data=True) if data["kind"] == "tensor"]
    run = Run(filename="<gradviz.show>", source="", graph=graph, created=created,
              tensors={t.name: t for t in created if t.name})
    root = roots[0]
    if root.requires_grad and root.numel() == 1 and root.grad_fn is not None:
        run.timeline = _steps_without_side_effects(root, created)
    return run


def _steps_without_side_effects(root: engine.Tensor, created: list[engine.Tensor]
                                ) -> GradTimeline:
    holders = [t for t in created if t.requires_grad and (t.is_leaf or t.retains_grad)]
    saved = {t: t._grad for t in holders}
    start = {t: None if t._grad is None else np.array(t._grad._data, copy=True)
             for t in holders}
    try:
        steps = list(engine.backward_steps(root, retain_graph=True))
    except RuntimeError:
        steps = []
    finally:
        for t, grad in saved.items():
            t._grad = grad
    return GradTimeline(steps, [1] * len(steps), [(0, start)] if steps else [])


def show(tensors: engine.Tensor | Iterable[engine.Tensor]) -> None:
    """Open gradviz on these tensors' graph and block until the window is closed."""
    run = run_from_tensors(tensors)
    from gradviz.app.launch import application, main_window

    app = application()
    window = main_window(app)
    window.document.new("# This graph was built in Python and shown with gradviz.show().\n")
    window.document.set_run(run)
    window.show()
    app.exec()
