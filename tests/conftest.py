"""Test set-up shared by all tests. UI: Qt runs offscreen, and window settings go to a store of their own."""

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="moescope-test-config-")
# Every window keeps an audit log of its session in the data folder; the user's stays untouched.
os.environ["MOESCOPE_DATA_DIR"] = tempfile.mkdtemp(prefix="moescope-test-data-")

from PySide6.QtCore import QCoreApplication  # noqa: E402 (after the environment above)

QCoreApplication.setOrganizationName("MoEscope")
QCoreApplication.setApplicationName("MoEscope tests")
