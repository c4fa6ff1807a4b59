"""Where in the script something happened: a span of source that the app can highlight."""

from __future__ import annotations

import ast
from dataclasses import dataclass


@dataclass(frozen=True)
class SourceSpan:
    """A span of script source. Lines and columns are 1-based; `end_col` is exclusive."""

    filename: str
    line: int
    col: int
    end_line: int
    end_col: int

    def text(self, source: str) -> str:
        """The spanned source, as written."""
        lines = source.splitlines()[self.line - 1 : self.end_line]
        if not lines:
            return ""
        if len(lines) == 1:
            return lines[0][self.col - 1 : self.end_col - 1]
        lines[-1] = lines[-1][: self.end_col - 1]
        lines[0] = lines[0][self.col - 1 :]
        return "\n".join(lines)


class SourceMap:
    """Turns ast positions (UTF-8 byte offsets) into character columns of the script."""

    def __init__(self, source: str, filename: str) -> None:
        self.source = source
        self.filename = filename
        self._lines = source.splitlines()

    def column(self, line: int, byte_offset: int) -> int:
        """The 1-based character column of `byte_offset` in 1-based `line`."""
        if not 1 <= line <= len(self._lines):
            return byte_offset + 1
        text = self._lines[line - 1]
        if text.isascii():
            return byte_offset + 1
        return len(text.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore")) + 1

    def position(self, node: ast.AST | None) -> tuple[int, int]:
        """(line, col) of a node's start; (1, 1) for a node without a position."""
        line = getattr(node, "lineno", None)
        if line is None:
            return 1, 1
        return line, self.column(line, node.col_offset)  # type: ignore[attr-defined]

    def span(self, node: ast.AST) -> SourceSpan:
        line, col = self.position(node)
        end_line = getattr(node, "end_lineno", None) or line
        end_offset = getattr(node, "end_col_offset", None)
        end_col = col if end_offset is None else self.column(end_line, end_offset)
        return SourceSpan(self.filename, line, col, end_line, end_col)
