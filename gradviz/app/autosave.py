"""The editor's text is saved aside every few seconds, so a crash loses nothing."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QTimer

from gradviz.app.document import Document

DELAY_MS = 1500


def default_folder() -> Path:
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location or Path.home() / ".gradviz")


@dataclass(frozen=True)
class Recovered:
    text: str
    path: Path | None


class Autosaver(QObject):
    """Writes the document's unsaved text to one file a moment after each edit, and clears it
    when the text is saved. `recover()` at start-up returns what a crash left behind."""

    def __init__(self, document: Document, folder: Path | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.folder = Path(folder) if folder is not None else default_folder()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self.save_now)
        document.text_changed.connect(self._schedule)
        document.dirty_changed.connect(self._on_dirty)

    @property
    def file(self) -> Path:
        return self.folder / "autosave.json"

    def _schedule(self) -> None:
        if self.document.dirty:
            self._timer.start()

    def _on_dirty(self, dirty: bool) -> None:
        if not dirty:
            self._timer.stop()
            self.clear()

    def save_now(self) -> None:
        if not self.document.dirty:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        payload = {"text": self.document.text,
                   "path": str(self.document.path) if self.document.path else None}
        tmp = self.file.with_suffix(".tmp")
        tmp.write_text(json.dumps(payload), encoding="utf-8")
        os.replace(tmp, self.file)

    def clear(self) -> None:
        try:
            self.file.unlink()
        except FileNotFoundError:
            pass

    def recover(self) -> Recovered | None:
        """Unsaved work from a session that did not close cleanly, if any."""
        try:
            payload = json.loads(self.file.read_text(encoding="utf-8"))
            text = payload["text"]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not isinstance(text, str):
            return None
        path = payload.get("path")
        return Recovered(text, Path(path) if path else None)
