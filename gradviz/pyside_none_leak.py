"""A guard against PySide6 6.12.0's lost references to `None`, `True` and `False` on CPython 3.11.

That release drops one reference to `None` each time a wrapped C++ method that returns nothing
is called (`QPainter.setPen`, `QGraphicsItem.update`, ...), and one to `True` per
`Signal.emit`. CPython 3.12 and later make these objects immortal (PEP 683), so nothing
happens there; on 3.11 the counts fall by thousands per repaint until the interpreter aborts
with "none_dealloc: deallocating None". PySide6 6.11 does not have the bug.

`protect_none()` checks for the leak and, only if it is there, raises the reference counts
of `None`, `True` and `False` far out of reach (2**60), which is what immortality amounts to.
Importing `gradviz.canvas` applies it; a Qt-using module outside the canvas should call it
too.
"""

from __future__ import annotations

import ctypes
import sys

_RESERVE = 1 << 60
_applied = False


def leaks_none() -> bool:
    """Whether calling a void PySide6 method loses a reference to `None`."""
    from PySide6.QtCore import QPointF

    point = QPointF()
    before = sys.getrefcount(None)
    for _ in range(16):
        point.setX(1.0)
    return sys.getrefcount(None) < before


def protect_none() -> bool:
    """Make `None`, `True` and `False` immune to the leak where it exists; True if the guard
    was applied."""
    global _applied
    if _applied:
        return True
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    if not leaks_none():
        return False
    for immortal in (None, True, False):
        # ob_refcnt is the first field of every object in a release build of CPython.
        ctypes.c_ssize_t.from_address(id(immortal)).value += _RESERVE
    _applied = True
    return True
