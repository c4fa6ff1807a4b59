"""Python colouring for the script editor: keywords, builtins, strings (f-strings too), numbers,
comments and PyTorch's names, in a light and a dark palette."""

from __future__ import annotations

import builtins
import keyword
import re

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

# Colours per token kind; the dark palette is tuned for a dark editor background.
LIGHT = {
    "keyword": "#7a3e9d", "builtin": "#1f6fb2", "string": "#2e7d32", "number": "#b35900",
    "comment": "#7c8590", "torch": "#c2185b", "definition": "#0b5cad", "fstring": "#5d4037",
    "decorator": "#8d6e00", "self": "#7a3e9d",
}
DARK = {
    "keyword": "#c792ea", "builtin": "#82aaff", "string": "#a5d6a7", "number": "#f5a35c",
    "comment": "#7f8a96", "torch": "#ff79b0", "definition": "#82c4ff", "fstring": "#e6c07b",
    "decorator": "#e6c07b", "self": "#c792ea",
}

KEYWORDS = frozenset(keyword.kwlist) | frozenset(getattr(keyword, "softkwlist", ()))
BUILTINS = frozenset(name for name in dir(builtins) if not name.startswith("_"))
TORCH_NAMES = frozenset({"torch", "nn", "F", "optim"})

_STRING_START = re.compile(r"(?i)(rb|br|fr|rf|[rbuf])?('''|\"\"\"|'|\")")
_TOKEN = re.compile(
    r"(?P<comment>#.*)"
    r"|(?P<string>(?i:rb|br|fr|rf|[rbuf])?(?:'''|\"\"\"|'|\"))"
    r"|(?P<number>\b(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+"
    r"|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?j?)\b)"
    r"|(?P<decorator>^\s*@[\w.]+)"
    r"|(?P<name>[A-Za-z_]\w*)"
)
_FIELD = re.compile(r"\{\{|\}\}|\{[^{}]*\}")

# Block states: inside a triple-quoted string that started on an earlier line.
_NORMAL, _IN_SINGLE_TRIPLE, _IN_DOUBLE_TRIPLE = -1, 1, 2
_F_FLAG = 4  # the open string is an f-string


class PythonHighlighter(QSyntaxHighlighter):
    """Colours a QTextDocument holding a Python/PyTorch script."""

    def __init__(self, document: QTextDocument, dark: bool = False) -> None:
        super().__init__(document)
        self._formats: dict[str, QTextCharFormat] = {}
        self.set_dark(dark)

    def set_dark(self, dark: bool) -> None:
        """Switch between the light and the dark palette and recolour."""
        self.dark = dark
        self._formats = {}
        for kind, colour in (DARK if dark else LIGHT).items():
            fmt = QTextCharFormat()
            fmt.setForeground(QColor(colour))
            if kind in ("keyword", "definition"):
                fmt.setFontWeight(QFont.Weight.Bold)
            if kind == "comment":
                fmt.setFontItalic(True)
            self._formats[kind] = fmt
        self.rehighlight()

    def format_for(self, kind: str) -> QTextCharFormat:
        return self._formats[kind]

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt override
        self.setCurrentBlockState(_NORMAL)
        position = 0
        state = self.previousBlockState()
        if state > 0:
            quote = "'''" if state & 3 == _IN_SINGLE_TRIPLE else '"""'
            position = self._string_body(text, 0, 0, quote, bool(state & _F_FLAG))
            if position < 0:
                return
        previous_name = ""
        while position < len(text):
            match = _TOKEN.search(text, position)
            if match is None:
                break
            kind = match.lastgroup
            start, end = match.start(), match.end()
            if kind == "comment":
                self.setFormat(start, end - start, self._formats["comment"])
                break
            if kind == "string":
                prefix = _STRING_START.match(text, start)
                quote = prefix.group(2)
                is_f = "f" in (prefix.group(1) or "").lower()
                end = self._string_body(text, start, prefix.end(), quote, is_f)
                if end < 0:
                    return
            elif kind == "name":
                word = match.group()
                fmt = self._name_format(word, previous_name, text, start)
                if fmt is not None:
                    self.setFormat(start, end - start, fmt)
                previous_name = word
            else:
                self.setFormat(start, end - start, self._formats[kind])
            position = max(end, position + 1)

    def _name_format(self, word: str, previous: str, text: str, start: int
                     ) -> QTextCharFormat | None:
        if previous in ("def", "class"):
            return self._formats["definition"]
        if word in KEYWORDS:
            return self._formats["keyword"]
        if word in TORCH_NAMES or _after_torch(text, start):
            return self._formats["torch"]
        if word in ("self", "cls"):
            return self._formats["self"]
        if word in BUILTINS and not (start > 0 and text[start - 1] == "."):
            return self._formats["builtin"]
        return None

    def _string_body(self, text: str, start: int, body: int, quote: str, is_f: bool) -> int:
        """Colour a string from `start` whose contents begin at `body`; return where it ends,
        or -1 if a triple-quoted string runs on past this line (the block state says so)."""
        position = body
        while True:
            close = text.find(quote, position)
            escape = text.find("\\", position)
            if 0 <= escape < (close if close >= 0 else len(text)):
                position = escape + 2
                continue
            break
        if close < 0:
            end = len(text)
            if len(quote) == 3:
                state = _IN_SINGLE_TRIPLE if quote == "'''" else _IN_DOUBLE_TRIPLE
                self.setCurrentBlockState(state | (_F_FLAG if is_f else 0))
        else:
            end = close + len(quote)
        self.setFormat(start, end - start, self._formats["string"])
        if is_f:
            for field in _FIELD.finditer(text, body, end):
                if field.group() not in ("{{", "}}"):
                    self.setFormat(field.start(), len(field.group()), self._formats["fstring"])
        if close < 0 and len(quote) == 3:
            return -1
        return end


_TORCH_PATH = re.compile(r"\b(?:torch(?:\.\w+)*|nn|F)\.$")


def _after_torch(text: str, start: int) -> bool:
    """`tensor` in `torch.tensor` or `F.relu`: a name reached through a torch module."""
    return start > 0 and text[start - 1] == "." and bool(_TORCH_PATH.search(text, 0, start))
