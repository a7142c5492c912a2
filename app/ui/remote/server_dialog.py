"""ServerDialog (Settings › Company server…): an administrator's profiles of company inference servers, a
connection test that says what a server can do, and the switch between a server and this computer.

``add_server_action(menu, window)`` puts the menu item in and opens the dialog over the window.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.remote.errors import RemoteError
from app.core.remote.probe import Capabilities
from app.core.remote.profiles import OPENAI, ProfileStore
from app.ui.remote.connection_check import ConnectionCheck
from app.ui.remote.profile_form import ProfileForm
from app.ui.remote.words import capability_lines, error_text

_SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard


class ServerDialog(QDialog):
    """Profiles on the left (a new one is a draft until saved; the offline bundle's are read-only), the
    chosen one's fields on the right, the connection test's outcome below them, and at the bottom which
    engine answers now, with "Use this server" and "Use this computer".

    The API key goes to the keyring through the ProfileStore and is never shown again. The connection
    test runs on a thread of its own (ConnectionCheck).

    Attributes:
        store: the ProfileStore.
        profile_list: the profiles, by name (a draft has no name yet: its data is None).
        form: the chosen profile's fields (ProfileForm).
        add_button, remove_button, save_button, test_button, use_button, local_button: the actions.
        result_label: what the last test, save or use came to, in words.
        active_label: who answers now.
        check: the ConnectionCheck.
        capabilities: what the last successful test found (None before one).

    Signals:
        serverChosen(object, object): use this ServerProfile with this API key (str or None); a None
            profile: use this computer.
    """

    serverChosen = Signal(object, object)

    def __init__(self, store: ProfileStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.capabilities: Capabilities | None = None
        self.setWindowTitle(self.tr("Company server — MoEscope"))
        self.setModal(False)
        self.check = ConnectionCheck(self)
        self.check.succeeded.connect(self._on_capabilities)
        self.check.failed.connect(self._on_failure)

        intro = QLabel(self.tr(
            "MoEscope can let a server in your company's network answer instead of this computer: large models "
            "such as DeepSeek-V3 run there. SGLang and vLLM also report which experts were chosen."))
        intro.setWordWrap(True)
        self.profile_list = QListWidget()
        self.profile_list.setAccessibleName(self.tr("Servers"))
        self.profile_list.currentItemChanged.connect(self._on_chosen)
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.clicked.connect(self.add_profile)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.clicked.connect(self.remove_profile)
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.add_button)
        list_buttons.addWidget(self.remove_button)
        left = QVBoxLayout()
        left.addWidget(self.profile_list, 1)
        left.addLayout(list_buttons)

        self.form = ProfileForm()
        self.form.edited.connect(self._on_edited)
        self.preset_note = QLabel(self.tr("Set up by your administrator: it cannot be changed here."))
        self.preset_note.setObjectName("note")
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.clicked.connect(self.save)
        self.test_button = QPushButton(self.tr("Test connection"))
        self.test_button.clicked.connect(self.test_connection)
        form_buttons = QHBoxLayout()
        form_buttons.addWidget(self.save_button)
        form_buttons.addWidget(self.test_button)
        form_buttons.addStretch(1)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(_SELECTABLE)
        self.result_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        right = QVBoxLayout()
        right.addWidget(self.form)
        right.addWidget(self.preset_note)
        right.addLayout(form_buttons)
        right.addWidget(self.result_label, 1)

        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 3)

        self.active_label = QLabel()
        self.active_label.setObjectName("caption")
        self.active_label.setWordWrap(True)
        self.local_button = QPushButton(self.tr("Use this computer"))
        self.local_button.clicked.connect(self.use_computer)
        self.use_button = QPushButton(self.tr("Use this server"))
        self.use_button.setObjectName("primary")
        self.use_button.clicked.connect(self.use_server)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.close)
        footer = QHBoxLayout()
        footer.addWidget(self.active_label, 1)
        footer.addWidget(self.local_button)
        footer.addWidget(self.use_button)
        footer.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(columns, 1)
        layout.addLayout(footer)
        self.resize(980, 640)
        self._fill_list(store.active().name if store.active() else None)

    # --- the list ---------------------------------------------------------------------------------

    @property
    def chosen_name(self) -> str | None:
        """The chosen profile's stored name; None for a draft or when there is none."""
        item = self.profile_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _fill_list(self, select: str | None) -> None:
        active = self.store.active()
        self.profile_list.blockSignals(True)
        self.profile_list.clear()
        for profile in self.store.profiles():
            text = profile.name
            if active is not None and profile.name == active.name:
                text = self.tr("{name} (in use)").format(name=profile.name)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, profile.name)
            self.profile_list.addItem(item)
        self.profile_list.blockSignals(False)
        names = [self.profile_list.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.profile_list.count())]
        if not names:
            self.add_profile()
        else:
            self.profile_list.setCurrentRow(names.index(select) if select in names else 0)
        self._show_active()

    def add_profile(self) -> None:
        """A new, empty profile to fill in (kept once saved); one draft at a time."""
        drafts = [self.profile_list.item(row) for row in range(self.profile_list.count())
                  if self.profile_list.item(row).data(Qt.ItemDataRole.UserRole) is None]
        item = drafts[0] if drafts else QListWidgetItem(self.tr("New server"))
        if not drafts:
            item.setData(Qt.ItemDataRole.UserRole, None)
            self.profile_list.addItem(item)
        self.profile_list.setCurrentItem(item)

    def remove_profile(self) -> None:
        """Remove the chosen profile and its API key (a draft is just dropped)."""
        name = self.chosen_name
        if name is not None:
            was_active = self._active_name == name
            self.store.remove(name)
            if was_active:
                self.serverChosen.emit(None, None)
        self._fill_list(None)
        self.result_label.setText(self.tr("Removed {name}.").format(name=name) if name else "")

    def _on_chosen(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        name = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        profile = self.store.profile(name) if name is not None else None
        preset = name is not None and self.store.is_preset(name)
        self.form.show_profile(profile, has_key=name is not None and self.store.api_key(name) is not None,
                               keys_persistent=self.store.keys_persistent, read_only=preset)
        self.preset_note.setVisible(preset)
        self.remove_button.setEnabled(item is not None and not preset)
        self.save_button.setEnabled(not preset)
        self.capabilities = None
        self.result_label.setText("")
        self._update_buttons()

    def _on_edited(self) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.test_button.setEnabled(not self.check.running and not self.form.problem())
        self.use_button.setEnabled(not self.check.running and not self.form.problem())

    # --- saving, testing, using -------------------------------------------------------------------

    def save(self) -> bool:
        """Keep the fields as the chosen profile (a renamed one moves, with its key), and a typed key in the
        keyring; False, with the reason shown, when the fields do not make a profile."""
        name = self.chosen_name
        if name is not None and self.store.is_preset(name):
            return True
        problem = self.form.problem()
        if problem:
            self.result_label.setText(problem)
            return False
        profile = self.form.profile()
        if profile.name != name and self.store.profile(profile.name) is not None:
            self.result_label.setText(self.tr("There is already a server named {name}.").format(name=profile.name))
            return False
        key = self.form.typed_key() or (None if self.form.forget_key_box.isChecked() or name is None
                                        else self.store.api_key(name))
        was_active = name is not None and self._active_name == name
        self.store.save(profile)
        if name is not None and name != profile.name:
            self.store.remove(name)
        self.store.set_api_key(profile.name, key)
        if was_active:
            self.store.set_active(profile.name)
        self._fill_list(profile.name)
        self.result_label.setText(self.tr("Saved."))
        return True

    def _key(self) -> str | None:
        """The API key to use: the one typed, else the chosen profile's stored one."""
        name = self.chosen_name
        return self.form.typed_key() or (self.store.api_key(name) if name is not None else None)

    def test_connection(self) -> None:
        """Ask the server, off the window's thread, what it can do with the fields as they are now."""
        problem = self.form.problem()
        if problem:
            self.result_label.setText(problem)
            return
        self.check.start(self.form.profile(), self._key())
        self.result_label.setText(self.tr("Testing the connection…"))
        self._update_buttons()

    def _on_capabilities(self, capabilities: Capabilities) -> None:
        self.capabilities = capabilities
        self.form.set_models(list(capabilities.models))
        lines = capability_lines(capabilities.chat, capabilities.streaming, capabilities.routed_experts)
        profile = self.form.profile()
        if capabilities.models:
            lines.append(self.tr("Models on this server: {models}").format(models=", ".join(capabilities.models)))
        if capabilities.models and profile.model not in capabilities.models:
            lines.append(self.tr("✗ The server does not list the model {model}.").format(model=profile.model))
        elif not capabilities.chat and not capabilities.streaming:
            lines.append(self.tr("Details: {detail}").format(detail=capabilities.detail))
        elif capabilities.routed_experts and not profile.config_path:
            lines.append(self.tr("Choose the model's config.json as well: MoEscope needs its layers to show the "
                                 "routing."))
        elif not capabilities.routed_experts and profile.flavour != OPENAI:
            lines.append(self.tr("To see the routing, the server must be started with "
                                 "--enable-return-routed-experts."))
        self.result_label.setText("\n".join(lines))
        self._update_buttons()

    def _on_failure(self, error: RemoteError) -> None:
        self.result_label.setText(self.tr("The test failed. {why}\nDetails: {detail}").format(
            why=error_text(error.kind, error.retry_after), detail=error.detail))
        self._update_buttons()

    def use_server(self) -> None:
        """Save the chosen profile and let its server answer from now on."""
        if not self.save():
            return
        profile = self.form.profile()
        self.store.set_active(profile.name)
        self._fill_list(profile.name)
        self.serverChosen.emit(self.store.profile(profile.name), self.store.api_key(profile.name))
        self.result_label.setText(self.tr("{name} answers from now on.").format(name=profile.name))

    def use_computer(self) -> None:
        """Let this computer answer again (the profiles stay)."""
        self.store.set_active(None)
        self._fill_list(self.chosen_name)
        self.serverChosen.emit(None, None)
        self.result_label.setText(self.tr("This computer answers from now on."))

    @property
    def _active_name(self) -> str | None:
        active = self.store.active()
        return active.name if active is not None else None

    def _show_active(self) -> None:
        active = self.store.active()
        if active is None:
            self.active_label.setText(self.tr("Answers come from this computer."))
        else:
            self.active_label.setText(self.tr("Answers come from {name} ({host}).").format(
                name=active.name, host=active.host))
        self.local_button.setEnabled(active is not None)



def add_server_action(menu: QMenu, window: QObject) -> QAction:
    """Settings › Company server…: opens the ServerDialog over ``window`` (one at a time), whose choice
    switches ``window.worker`` between a server and this computer."""
    action = QAction(QCoreApplication.translate("ServerDialog", "Company server…"), window)
    action.setObjectName("companyServerAction")
    holder: dict[str, ServerDialog] = {}

    def open_dialog() -> None:
        dialog = holder.get("dialog")
        if dialog is None:
            dialog = ServerDialog(ProfileStore(), window)
            dialog.serverChosen.connect(window.worker.use_server, Qt.ConnectionType.QueuedConnection)
            holder["dialog"] = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    action.triggered.connect(open_dialog)
    menu.addAction(action)
    return action
