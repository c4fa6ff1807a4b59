"""Errors that are ours get a dialog and a log, and the app keeps running."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication

log = logging.getLogger("gradviz")


def install(log_folder: Path) -> None:
    """Route uncaught exceptions (including those raised inside Qt slots) to a dialog."""
    log_folder.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(log_folder / "gradviz.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    sys.excepthook = report


def report(kind: type[BaseException], error: BaseException,
           tb: TracebackType | None) -> None:
    details = "".join(traceback.format_exception(kind, error, tb))
    log.error("unexpected error\n%s", details)
    if kind is KeyboardInterrupt:
        QApplication.quit()
        return
    if QApplication.instance() is None:
        sys.__excepthook__(kind, error, tb)
        return
    from PySide6.QtWidgets import QMessageBox  # loaded when first needed, not at start-up

    box = QMessageBox(QMessageBox.Icon.Critical, "gradviz — unexpected error",
                      f"Something went wrong inside gradviz: {error}\n\nYour script is safe; "
                      "you can keep working. The details below were also written to the log.")
    box.setObjectName("crashDialog")
    box.setDetailedText(details)
    box.exec()
