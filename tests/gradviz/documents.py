"""Documents that tests start from: a script already run, as the app shows it."""

from __future__ import annotations

from gradviz.app.document import Document


def run_document(source: str) -> Document:
    """A document holding `source`, saved (not dirty), already run."""
    document = Document()
    document.set_text(source, dirty=False)
    document.execute()
    return document
