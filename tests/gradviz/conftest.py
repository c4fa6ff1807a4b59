"""Qt tests never stop at a dialog: any dialog a test did not expect fails it at once."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def no_unexpected_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox
    except ImportError:  # pragma: no cover - Qt absent
        return

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"an unexpected dialog opened: {args[1:3]!r}")

    for name in ("question", "warning", "information", "critical", "about"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(refuse))
    monkeypatch.setattr(QMessageBox, "exec", lambda self: refuse(self, self.text()))
    for name in ("getOpenFileName", "getSaveFileName", "getExistingDirectory"):
        monkeypatch.setattr(QFileDialog, name, staticmethod(refuse))
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(refuse))
