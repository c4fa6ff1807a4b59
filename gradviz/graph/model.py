"""`GraphModel`: everything the canvas draws for a `Run`, at any step of its backward passes.

Qt-free: the canvas, the exporters and the tests read the same texts and states from here.
A node is a tensor or an op of the run's trace (less the tensors that take part in nothing,
see `drawn_graph`); an edge is one use of a tensor by an op (so `x * x` has two) or an op's
edge to its output. Steps are numbered as `Run.grad_at` numbers
them: 0 is before the first backward, k after k steps.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx
import numpy as np

import engine
from gradviz.graph.flow import Flow
from gradviz.graph.format import full_text, shape_text, summary
from gradviz.graph.infos import (
    CHANGED_LATER_HINT,
    CONSTANT,
    INTERMEDIATE,
    NO_GRAD_HINT,
    NONE_TEXT,
    NOT_STORED_HINT,
    OP,
    OUTPUT,
    PARAMETER,
    CardTexts,
    CurrentEdge,
    Diff,
    EdgeId,
    EdgeInfo,
    GradInfo,
    NodeInfo,
)
from gradviz.graph.labels import op_label
from gradviz.graph.progress import Progress, State
from gradviz.graph.step_keys import StepKeys
from gradviz.script.run import Run


class GraphModel:
    """A run's graph with the texts and the per-step states the canvas draws."""

    def __init__(self, run: Run) -> None:
        self.run = run
        graph = drawn_graph(run.graph)
        self.graph = graph
        self.step_count = len(run.steps)
        self._tensors: dict[str, Any] = {}
        self._ops: dict[str, Any] = {}
        for key, data in graph.nodes(data=True):
            if data["kind"] == "tensor":
                self._tensors[key] = data["obj"]
            else:
                self._ops[key] = data["obj"]
        self.edges: list[EdgeInfo] = [
            EdgeInfo((u, v, k), "input" if graph.nodes[u]["kind"] == "tensor" else "output")
            for u, v, k in graph.edges(keys=True)
        ]
        self.flow = Flow(run)
        self._by_step = self.flow.keys  # the drawing leaves out only tensors without edges
        self.progress, roots = _progress(run, self._by_step, graph)
        self._summaries: dict[int, tuple[Any, str]] = {}
        self.nodes: dict[str, NodeInfo] = {
            key: self._node_info(key, data, roots) for key, data in graph.nodes(data=True)
        }
        self._steps_into: dict[str, list[int]] = {}
        for position, (input_key, _, _) in enumerate(self._by_step, start=1):
            if input_key is not None:
                self._steps_into.setdefault(input_key, []).append(position)
        self._grad_summaries: dict[str, list[str]] = {}
        self._pass_starts = [k for k in range(1, self.step_count + 1)
                             if self.progress.pass_of(k) != self.progress.pass_of(k - 1)]

    # --- what does not change --------------------------------------------------------------
    def _node_info(self, key: str, data: dict, roots: set[str]) -> NodeInfo:
        if data["kind"] == "op":
            node = data["obj"]
            return NodeInfo(key, "op", node.spec.name, op_label(node), OP,
                            grad_fn=node.spec.grad_fn)
        tensor = data["obj"]
        leaf = tensor.is_leaf
        if leaf:
            role = PARAMETER if tensor.requires_grad else CONSTANT
        elif self.graph.out_degree(key) == 0 or key in roots:
            role = OUTPUT
        else:
            role = INTERMEDIATE
        stores = (leaf and tensor.requires_grad) or tensor.retains_grad
        hint = "" if stores else (NO_GRAD_HINT if leaf else NOT_STORED_HINT)
        if stores and leaf and self._changed_later(tensor):
            hint = CHANGED_LATER_HINT
        return NodeInfo(
            key, "tensor", data["label"], data["label"], role,
            shape_text=shape_text(tuple(data["shape"])), dtype_text=data["dtype"],
            value_summary=self._summary(self.run.read_value(tensor)[0], data["dtype"]),
            grad_fn=None if leaf else tensor.grad_fn.name(), stores_grad=stores, hint=hint,
        )

    def tensor(self, key: str) -> Any:
        """The engine tensor behind a tensor node."""
        return self._tensors[key]

    def value(self, key: str, k: int = 0) -> np.ndarray:
        """A tensor node's value as the backward pass of step k read it (a leaf updated in
        place between passes, as by `optimizer.step()`, shows what that pass's ops used)."""
        return np.array(self.run.read_value(self._tensors[key], self.clamp(k))[0])

    def value_summary(self, key: str, k: int) -> str:
        """The value line of a tensor's card at step k."""
        tensor = self._tensors[key]
        values = self.run.read_value(tensor, self.clamp(k))[0]
        return self._summary(values, self.nodes[key].dtype_text)

    def value_summaries(self, key: str) -> list[str]:
        """Every value line the card of `key` can show over the run (to size it once)."""
        dtype = self.nodes[key].dtype_text
        return [self._summary(v, dtype) for v in self.run.read_values(self._tensors[key])]

    def card_texts(self, key: str) -> CardTexts:
        """Every text the card of `key` can show over the run."""
        return CardTexts(tuple(self.grad_summaries(key)), tuple(self.received_summaries(key)),
                         tuple(self.value_summaries(key)))

    def value_text(self, key: str, k: int = 0) -> str:
        """A tensor as `print(t)` shows it, e.g. `tensor(4., grad_fn=<PowBackward0>)`."""
        tensor = self._tensors[key]
        values, changed = self.run.read_value(tensor, self.clamp(k))
        if not changed:
            return str(tensor)
        read = engine.tensor(values).requires_grad_(tensor.requires_grad)
        return f"{read}\n(as this pass read it; changed in place afterwards, now:)\n{tensor}"

    def _changed_later(self, tensor: Any) -> bool:
        reads = self.run.leaf_reads.reads(tensor) if self.run.leaf_reads is not None else []
        return any(read.changed_later for read in reads)

    def find(self, name: str) -> list[str]:
        """Keys of the nodes whose name or label is `name` (exactly), else contains it."""
        exact = [k for k, n in self.nodes.items() if name in (n.name, n.label)]
        if exact:
            return exact
        lowered = name.lower()
        return [k for k, n in self.nodes.items() if lowered in n.label.lower()]

    # --- what changes with the step ------------------------------------------------------
    def clamp(self, k: int) -> int:
        return max(0, min(int(k), self.step_count))

    def grad_value(self, key: str, k: int) -> Any:
        """The numpy value of the tensor's `.grad` at step k, or None where PyTorch has None."""
        if not self.nodes[key].stores_grad:
            return None
        return self.run.grad_at(self._tensors[key], self.clamp(k))

    def grad(self, key: str, k: int) -> GradInfo:
        """The tensor's `.grad` at step k as a card shows it (for a non-leaf, with what has
        reached it though PyTorch does not store it)."""
        k = self.clamp(k)
        value = self.grad_value(key, k)
        changed = k >= 1 and _differs(value, self.grad_value(key, k - 1))
        shown = self.value_summary(key, k)
        shown = "" if shown == self.nodes[key].value_summary else shown
        if value is None:
            return GradInfo(True, NONE_TEXT, changed, self.received(key, k), shown)
        return GradInfo(False, self._summary(value, self.nodes[key].dtype_text), changed,
                        value=shown)

    def received(self, key: str, k: int) -> str:
        """What has reached a non-leaf by step k in that step's pass, summarised; "" for a
        tensor that stores its `.grad`, or before anything has reached it."""
        info = self.nodes[key]
        if info.hint != NOT_STORED_HINT:
            return ""
        flowed = self.flow.flowed(self._tensors[key], self.clamp(k))
        return "" if flowed is None else self._summary(flowed, info.dtype_text)

    def received_summaries(self, key: str) -> list[str]:
        """Every text `received` can give for `key` over the run (to size its card once)."""
        texts = {self.received(key, k)
                 for k in {*self._steps_into.get(key, ()), *self._pass_starts}}
        return sorted(texts - {""})

    def grad_text(self, key: str, k: int) -> str:
        """The tensor's `.grad` at step k as `print(t.grad)` shows it: `None` or `tensor(...)`."""
        value = self.grad_value(key, k)
        if value is None:
            return NONE_TEXT
        return full_text(value, self.nodes[key].dtype_text)

    def grad_summaries(self, key: str) -> list[str]:
        """Every `.grad` text the card of `key` can show over the run (to size it once)."""
        cached = self._grad_summaries.get(key)
        if cached is not None:
            return cached
        texts = [NONE_TEXT]
        if self.nodes[key].stores_grad:
            tensor = self._tensors[key]
            # Its grad changes at its own steps, and where a pass starts (the script may
            # have zeroed it in between).
            seen = [0, self.step_count, *self._steps_into.get(key, ()), *self._pass_starts]
            for k in sorted(set(seen)):
                value = self.run.grad_at(tensor, k)
                if value is not None:
                    texts.append(self._summary(value, self.nodes[key].dtype_text))
        self._grad_summaries[key] = texts
        return texts

    def node_state(self, key: str, k: int) -> State:
        return self.progress.state(key, self.clamp(k))

    def edge_state(self, edge: EdgeId, k: int) -> State:
        return self.progress.state(edge, self.clamp(k))

    def current(self, k: int) -> CurrentEdge | None:
        """The edge step k traverses, with the chain rule written out; None at step 0."""
        k = self.clamp(k)
        if k == 0:
            return None
        step = self.run.steps[k - 1]
        input_key, op_key, output_key = self._by_step[k - 1]
        if input_key is None or op_key is None:
            return None
        dtype = self.nodes[input_key].dtype_text
        out_dtype = self.nodes[output_key].dtype_text if output_key else dtype
        local = None if step.local is None else self._summary(np.asarray(step.local), out_dtype)
        return CurrentEdge(
            step=k, edge=(input_key, op_key, step.input_index), op=op_key, input=input_key,
            output=output_key or "", grad_fn=step.op,
            upstream=self._summary(step.upstream, out_dtype), local=local,
            formula=step.local_formula, contribution=self._summary(step.contribution, dtype),
        )

    def caption(self, k: int) -> str:
        """A line saying what step k is, e.g. `Step 3 of 9 · MulBackward0: x2w2 → x2`."""
        k = self.clamp(k)
        if k == 0:
            return "Before backward()" if self.step_count else "No backward() in this script"
        step = self.run.steps[k - 1]
        input_key, _, output_key = self._by_step[k - 1]
        output = self.nodes[output_key].label if output_key else "output"
        target = self.nodes[input_key].label if input_key else "input"
        passes = self.progress.pass_of(self.step_count)
        which = f" · backward {self.progress.pass_of(k)} of {passes}" if passes > 1 else ""
        return f"Step {k} of {self.step_count}{which} · {step.op}: {output} → {target}"

    def diff(self, a: int, b: int) -> Diff:
        """The nodes and edges whose state or `.grad` differs between steps a and b."""
        a, b = self.clamp(a), self.clamp(b)
        if a == b:
            return Diff(frozenset(), frozenset())
        progress = self.progress
        low, high = min(a, b), max(a, b)
        # Before the first pass (step 0) everything is as at the first pass's start, so steps
        # into that pass change only what they touch, as steps within one pass do.
        if progress.pass_of(low) != progress.pass_of(high) and not (
                low == 0 and progress.pass_of(high) == 1):
            candidates: Iterable[Any] = [*self.nodes, *(e.id for e in self.edges)]
        else:
            candidates = progress.touched_by(range(low, high + 1))
            if progress.pass_of(low - 1) != progress.pass_of(low):
                # A pass's first step also shows what the script did to .grad since the last
                # pass (zero_(), = None) as a change.
                candidates |= {k for k, n in self.nodes.items() if n.stores_grad}
        nodes: set[str] = set()
        edges: set[EdgeId] = set()
        for element in candidates:
            if isinstance(element, tuple):
                if progress.state(element, a) != progress.state(element, b):
                    edges.add(element)
            elif (progress.state(element, a) != progress.state(element, b)
                  or (self.nodes[element].kind == "tensor"
                      and self.grad(element, a) != self.grad(element, b))):
                nodes.add(element)
        return Diff(frozenset(nodes), frozenset(edges))

    def _summary(self, value: Any, dtype: str) -> str:
        cached = self._summaries.get(id(value))
        if cached is not None and cached[0] is value:
            return cached[1]
        text = summary(value, dtype)
        self._summaries[id(value)] = (value, text)
        return text


def drawn_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The trace without tensors that take part in nothing: no edges and no requires_grad
    (values a script computed under `no_grad`, such as an SGD update). A graph of nothing but
    such tensors is kept whole, so a script without ops still shows its tensors."""
    idle = [key for key, data in graph.nodes(data=True)
            if data["kind"] == "tensor" and graph.degree(key) == 0 and not data["requires_grad"]]
    if not idle or len(idle) == graph.number_of_nodes():
        return graph
    skipped = set(idle)
    return graph.subgraph([key for key in graph if key not in skipped]).copy()


def _differs(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return (a is None) != (b is None)
    if a is b:
        return False
    return not np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True)


def _progress(run: Run, by_step: list[StepKeys], graph: nx.MultiDiGraph
              ) -> tuple[Progress, set[str]]:
    """Record which nodes and edges each step moves a gradient through."""
    progress = Progress([run.backward_of(k) for k in range(1, len(run.steps) + 1)])
    roots: set[str] = set()
    last_pass = 0
    for position, (step, (input_key, op_key, output_key)) in enumerate(
            zip(run.steps, by_step, strict=True), start=1):
        pass_number = progress.pass_of(position)
        if pass_number != last_pass and output_key is not None:
            roots.add(output_key)
            progress.touch(output_key, position, arrival=True)
        last_pass = pass_number
        if op_key is None:
            continue
        progress.touch(op_key, position, current=True)
        if output_key is not None and graph.has_edge(op_key, output_key, 0):
            progress.touch((op_key, output_key, 0), position, arrival=True)
        if input_key is not None:
            progress.touch(input_key, position, current=True)
            edge = (input_key, op_key, step.input_index)
            if graph.has_edge(*edge):
                progress.touch(edge, position, current=True)
    return progress, roots
