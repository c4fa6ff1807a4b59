"""Hover texts: the full values a card only summarises, as PyTorch prints them."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gradviz.graph.model import GraphModel

_ROLE_TEXT = {
    "parameter": "leaf tensor (requires_grad=True): PyTorch fills its .grad",
    "constant": "leaf tensor without requires_grad: no gradient flows into it",
    "intermediate": "intermediate (non-leaf) tensor",
    "output": "output tensor",
}


def node_tooltip(model: GraphModel, key: str, k: int) -> str:
    """Rich text for the node `key` at step k: what it is, its value and its `.grad` in full."""
    info = model.nodes[key]
    if info.kind == "op":
        return (f"<b>{html.escape(info.label)}</b> &nbsp;<code>{html.escape(info.name)}</code>"
                f"<br>grad_fn: <code>{html.escape(info.grad_fn or '')}</code>")
    parts = [
        f"<b>{html.escape(info.label)}</b> &nbsp;{html.escape(info.shape_text)}, "
        f"{html.escape(info.dtype_text)}",
        html.escape(_ROLE_TEXT.get(info.role, info.role)),
        _pre(model.value_text(key, k)),
        f".grad at step {k}:",
        _pre(model.grad_text(key, k)),
    ]
    if info.hint:
        parts.append(f"<i>{html.escape(info.hint)}</i>")
    return "<br>".join(parts)


def _pre(text: str) -> str:
    return f"<pre style='margin:0'>{html.escape(text)}</pre>"
