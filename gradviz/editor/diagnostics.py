"""Errors and warnings of a run as editor marks: where to underline and what to say (Qt-free).

A `ScriptError` gives a line and a start column only. The editor underlines the whole
expression that starts there (`y.backward()`, `x + foo`'s `foo`), found in the script's AST;
where the script does not parse, the word or character at the column.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from gradviz.script.run import Run

ERROR = "error"
WARNING = "warning"
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Diagnostic:
    """One mark: 1-based line, 1-based columns [col, end_col) on that line."""

    severity: str
    line: int
    col: int
    end_col: int
    message: str

    @property
    def location(self) -> str:
        return f"{self.line}:{self.col}"


def diagnostics(run: Run | None) -> list[Diagnostic]:
    """The run's error (first) and warnings, each with the span to underline."""
    if run is None or (run.error is None and not run.warnings):
        return []
    tree = _parse(run.source)
    found = []
    if run.error is not None:
        error = run.error
        found.append(_mark(ERROR, run.source, tree, error.line, error.col, error.message))
    for warning in run.warnings:
        found.append(_mark(WARNING, run.source, tree, warning.line, warning.col,
                           warning.message))
    return found


def _parse(source: str) -> ast.AST | None:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _mark(severity: str, source: str, tree: ast.AST | None, line: int, col: int,
          message: str) -> Diagnostic:
    start, end = underline_span(source, line, col, tree)
    return Diagnostic(severity, line, start, end, message)


_UNPARSED = ast.Module(body=[], type_ignores=[])  # "not parsed yet", unlike None: "unparsable"


def underline_span(source: str, line: int, col: int, tree: ast.AST | None = _UNPARSED
                   ) -> tuple[int, int]:
    """The columns [start, end) to underline for a problem reported at (line, col)."""
    lines = source.splitlines()
    if not 1 <= line <= len(lines):
        return col, col
    text = lines[line - 1]
    if not text.strip():
        return 1, 1
    if col > len(text):  # e.g. an unexpected end of line: mark the last character
        return len(text), len(text) + 1
    col = max(col, 1)
    if tree is _UNPARSED:
        tree = _parse(source)
    if tree is not None:
        end = _expression_end(tree, text, line, col)
        if end is not None:
            return col, end
    match = _WORD.match(text, col - 1)
    if match:
        return col, match.end() + 1
    return col, col + 1


def _expression_end(tree: ast.AST, text: str, line: int, col: int) -> int | None:
    """The end column of the longest expression starting at (line, col) and ending on it."""
    offset = len(text[: col - 1].encode("utf-8"))
    best = None
    for node in ast.walk(tree):
        if not isinstance(node, (ast.expr, ast.stmt)):
            continue
        if getattr(node, "lineno", None) != line or node.col_offset != offset:
            continue
        if getattr(node, "end_lineno", None) != line or node.end_col_offset is None:
            continue
        if isinstance(node, ast.stmt) and not isinstance(node, (ast.Expr, ast.Return,
                                                                ast.Raise, ast.Assert)):
            continue
        if best is None or node.end_col_offset > best:
            best = node.end_col_offset
    if best is None:
        return None
    return len(text.encode("utf-8")[:best].decode("utf-8", errors="ignore")) + 1
