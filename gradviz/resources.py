"""Where the bundled examples, icons and themes are, installed or in a checkout."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path


def resources_dir() -> Path:
    """`resources/` of the checkout (an editable install), or the copy a regular install
    put under `<prefix>/share/gradviz`."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "resources", Path(sys.prefix) / "share" / "gradviz"):
        if (candidate / "examples").is_dir():
            return candidate
    raise FileNotFoundError("gradviz's resources folder is missing from this installation")


#: Words of example file names that read as acronyms in titles.
_ACRONYMS = {"mlp": "MLP", "Mlp": "MLP", "rnn": "RNN", "Rnn": "RNN", "sgd": "SGD", "Sgd": "SGD"}


@dataclass(frozen=True)
class Example:
    path: Path
    title: str
    summary: str


def examples() -> list[Example]:
    """The bundled examples, the tutorial first; each summarised by its first comment line."""
    folder = resources_dir() / "examples"
    found = []
    for path in sorted(folder.glob("*.py")):
        title = " ".join(_ACRONYMS.get(word, word) for word in
                         path.stem.replace("_", " ").capitalize().split(" "))
        summary = ""
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#"):
                summary = line.lstrip("# ").strip()
                break
        found.append(Example(path, title, summary))
    found.sort(key=lambda e: (e.path.stem != "tutorial", e.path.stem))
    return found


def tutorial() -> Path:
    return resources_dir() / "examples" / "tutorial.py"
