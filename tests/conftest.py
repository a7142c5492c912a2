"""Test set-up shared by all tests. UI: Qt runs offscreen, and window settings go to a store of their own."""

import os
import tempfile

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="moescope-test-config-")
# Every window keeps an audit log of its session in the data folder; the user's stays untouched.
os.environ["MOESCOPE_DATA_DIR"] = tempfile.mkdtemp(prefix="moescope-test-data-")

from PySide6.QtCore import QCoreApplication  # noqa: E402 (after the environment above)

from app.core.locality.guard import current_policy, uninstall_policy  # noqa: E402

QCoreApplication.setOrganizationName("MoEscope")
QCoreApplication.setApplicationName("MoEscope tests")


@pytest.fixture(autouse=True)
def fresh_view_settings():
    """The window's choices that change what it shows (the expert view's view and layers, presentation
    mode, the language, the theme) start unset in every test, whatever a test before chose."""
    from PySide6.QtCore import QSettings

    from app.ui import settings

    keys = (settings.EXPERT_VIEW, settings.PRESENTATION, settings.SECOND_SCREEN, settings.LANGUAGE,
            settings.THEME)
    for key in keys:
        QSettings().remove(key)
    yield
    for key in keys:
        QSettings().remove(key)


@pytest.fixture(autouse=True)
def no_network_policy_left_behind():
    """A network policy a test leaves installed in this process would refuse later tests' loopback
    servers, far from the cause; the test that leaves it fails here instead."""
    yield
    left = current_policy()
    if left is not None:
        uninstall_policy()
        pytest.fail("the test left a network policy installed in the test process")
