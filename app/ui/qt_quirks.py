"""Work-arounds for bugs of the Qt binding, kept in one place.

The PySide6 6.12.0 wheels (stable ABI, built with a CPython whose limited-API ``Py_RETURN_NONE``,
``Py_RETURN_TRUE`` and ``Py_RETURN_FALSE`` treated the singletons as immortal, CPython gh-134989)
return ``None``, ``True`` and ``False`` without taking a reference. On CPython 3.12 and later these
objects are immortal and nothing happens. On 3.10 and 3.11 every call of a void Qt method from
Python (``setText``, ``update``, ``processEvents`` ...) and every ``Signal.emit()`` costs one
reference, and after a few thousand calls the interpreter frees ``None`` and aborts with
"Fatal Python error: none_dealloc".

``protect_singletons()`` does there what CPython 3.12 does everywhere: it gives the three
singletons a reference count so large that it cannot run down. It changes nothing on an
interpreter or binding without the bug.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject

_PROBE_CALLS = 8
_RESERVE = 1 << 40


def binding_drops_references() -> bool:
    """Whether void Qt calls made from Python lose a reference to ``None`` on this interpreter."""
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(_PROBE_CALLS):
        probe.setObjectName("probe")
    return before - sys.getrefcount(None) >= _PROBE_CALLS


def _refcount_cell(obj: object) -> ctypes.c_ssize_t | None:
    """The object's reference count field, if this interpreter lays objects out as expected."""
    cell = ctypes.c_ssize_t.from_address(id(obj))
    return cell if cell.value == sys.getrefcount(obj) - 1 else None


def protect_singletons() -> bool:
    """Make ``None``, ``True`` and ``False`` practically immortal if the binding needs it.

    Returns whether anything was changed.
    """
    if sys.version_info >= (3, 12) or not binding_drops_references():
        return False
    changed = False
    for singleton in (None, True, False):
        cell = _refcount_cell(singleton)
        if cell is not None:
            cell.value += _RESERVE
            changed = True
    return changed
