"""The Qt widgets of MoEscope. They talk to the engine only through the EngineWorker's signals and slots.

PySide6 is pinned to 6.11.3: the 6.12.0 wheels drop a reference to None/True/False on every void
Qt call under CPython 3.10/3.11 and abort the interpreter after a few thousand calls
(tests/ui/test_window.py::test_qt_binding_keeps_singleton_references guards the pin).
"""
