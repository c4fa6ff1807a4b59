"""What the graph model tells the canvas, as plain values: a node's texts and role, an edge,
a `.grad` at one step, the edge a step traverses, and what differs between two steps.

Kept out of `model` so that the canvas items can be imported (and the app's window shown)
before numpy, networkx and the engine are loaded: only a `GraphModel` needs them.
"""

from __future__ import annotations

from dataclasses import dataclass

EdgeId = tuple[str, str, int]

PARAMETER = "parameter"  # a leaf that requires grad: PyTorch fills its .grad
CONSTANT = "constant"  # a leaf that does not require grad
INTERMEDIATE = "intermediate"
OUTPUT = "output"  # a non-leaf nothing else uses, or the root of a backward pass
OP = "op"

NONE_TEXT = "None"
NOT_STORED_HINT = "non-leaf: .grad not stored"
RECEIVED_HINT = "non-leaf: got {}, not stored"  # once gradient has reached it
NO_GRAD_HINT = "requires_grad=False"
#: A leaf whose values changed in place after the graph read them (its card shows the read).
CHANGED_LATER_HINT = "changed in place after this graph read it"


@dataclass(frozen=True)
class NodeInfo:
    """What a node shows that does not change with the step."""

    key: str
    kind: str  # "tensor" or "op"
    name: str  # tensors: the script's variable name; ops: the op's name, e.g. "mul"
    label: str  # the big text: the tensor's name, or the operator, e.g. "**2"
    role: str  # PARAMETER, CONSTANT, INTERMEDIATE, OUTPUT or OP
    shape_text: str = ""
    dtype_text: str = ""
    value_summary: str = ""
    grad_fn: str | None = None  # ops: their grad_fn; tensors: the grad_fn that made them
    stores_grad: bool = False  # PyTorch keeps .grad for it (a leaf, or retain_grad())
    hint: str = ""  # why .grad stays None, where it always does


@dataclass(frozen=True)
class EdgeInfo:
    """An edge: `input` (tensor → op, key = the input's position) or `output` (op → tensor)."""

    id: EdgeId
    kind: str

    @property
    def source(self) -> str:
        return self.id[0]

    @property
    def target(self) -> str:
        return self.id[1]


@dataclass(frozen=True)
class GradInfo:
    """A tensor's `.grad` at one step, and the other texts of its card that change with it."""

    is_none: bool
    summary: str  # "None" or a one-line value
    changed: bool  # this step changed it
    received: str = ""  # a non-leaf's: what reached it so far in this pass, though not stored
    value: str = ""  # a leaf's value as this step's pass read it, where not NodeInfo's


@dataclass(frozen=True)
class CardTexts:
    """Every text a tensor's card can show over the run, so it is sized once for all steps."""

    grads: tuple[str, ...]  # its `.grad` summaries
    received: tuple[str, ...] = ()  # a non-leaf's: what reached it, though not stored
    values: tuple[str, ...] = ()  # its value lines (a leaf updated between passes has several)


@dataclass(frozen=True)
class CurrentEdge:
    """The edge step k traverses: the gradient flowing from an op's output into one input."""

    step: int
    edge: EdgeId
    op: str
    input: str
    output: str
    grad_fn: str
    upstream: str
    local: str | None  # None where the op has no elementwise local derivative (matmul)
    formula: str
    contribution: str

    @property
    def equation(self) -> str:
        """`upstream × local = contribution`, the chain rule at this edge."""
        if self.local is None:
            return f"{self.formula} = {self.contribution}"
        return f"{self.upstream} × {self.local} = {self.contribution}"


@dataclass(frozen=True)
class Diff:
    """What differs between two steps: the nodes and edges whose drawing must change."""

    nodes: frozenset[str]
    edges: frozenset[EdgeId]
