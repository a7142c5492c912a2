"""ProfileForm: the fields of one company server's profile (name, address, kind, model, API key, certificate
check, CA bundle, the model's config.json), filled from a ServerProfile and read back into one."""

from __future__ import annotations

from urllib.parse import urlsplit

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.core.remote.profiles import OPENAI, SGLANG, VLLM, ServerProfile


class ProfileForm(QWidget):
    """One profile's fields. The API key field is a password field that starts empty: a stored key is
    never shown again, only said to be there (``key_note``); what is typed replaces it.

    Attributes:
        name_edit, url_edit, flavour_box, model_box (editable: the connection test fills its list),
        key_edit, key_note, forget_key_box, verify_box, tls_note, ca_edit, config_edit: the fields.

    Signals:
        edited(): the user changed a field.
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("for example: GPU server"))
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("https://gpu01.example.internal:30000")
        self.flavour_box = QComboBox()
        for flavour, words in ((SGLANG, self.tr("SGLang (shows routing)")),
                               (VLLM, self.tr("vLLM (shows routing)")),
                               (OPENAI, self.tr("Other OpenAI-compatible server (chat only)"))):
            self.flavour_box.addItem(words, flavour)
        self.model_box = QComboBox()
        self.model_box.setEditable(True)
        self.model_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.model_box.lineEdit().setPlaceholderText(self.tr("as the server names it; the test lists them"))
        self.key_edit = QLineEdit()
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_note = QLabel()
        self.key_note.setObjectName("note")
        self.key_note.setWordWrap(True)
        self.forget_key_box = QCheckBox(self.tr("Remove the stored key"))
        self.verify_box = QCheckBox(self.tr("Check the server's certificate (recommended)"))
        self.tls_note = QLabel(self.tr("Without the check, a computer between you and the server could read "
                                       "what you send."))
        self.tls_note.setObjectName("problem")
        self.tls_note.setWordWrap(True)
        self.ca_edit = QLineEdit()
        self.ca_edit.setPlaceholderText(self.tr("the system's certificates"))
        self.config_edit = QLineEdit()
        self.config_edit.setPlaceholderText(self.tr("the model's config.json: needed to show routing"))

        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("&Name:"), self.name_edit)
        form.addRow(self.tr("&Address:"), self.url_edit)
        form.addRow(self.tr("&Kind:"), self.flavour_box)
        form.addRow(self.tr("&Model:"), self.model_box)
        form.addRow(self.tr("API &key:"), self.key_edit)
        form.addRow("", self.key_note)
        form.addRow("", self.forget_key_box)
        form.addRow(self.tr("TLS:"), self.verify_box)
        form.addRow("", self.tls_note)
        form.addRow(self.tr("CA &bundle:"), self._with_chooser(self.ca_edit, self._choose_ca))
        form.addRow(self.tr("&config.json:"), self._with_chooser(self.config_edit, self._choose_config))
        self.key_edit.textChanged.connect(self._key_typed)
        self.verify_box.toggled.connect(self._tls_changed)
        for edit in (self.name_edit, self.url_edit, self.key_edit, self.ca_edit, self.config_edit):
            edit.textEdited.connect(self.edited)
        self.model_box.editTextChanged.connect(self.edited)
        self.flavour_box.activated.connect(self.edited)
        self.forget_key_box.toggled.connect(self.edited)
        self.show_profile(None, has_key=False, keys_persistent=True)

    def _with_chooser(self, edit: QLineEdit, choose) -> QWidget:
        button = QPushButton(self.tr("Choose…"))
        button.clicked.connect(choose)
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(edit, 1)
        layout.addWidget(button)
        return row

    def _choose_ca(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, self.tr("Certificate authority (PEM)"), self.ca_edit.text(),
                                                    self.tr("Certificates (*.pem *.crt *.cer);;All files (*)"))
        if path:
            self.ca_edit.setText(path)
            self.edited.emit()

    def _choose_config(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, self.tr("The model's config.json"), self.config_edit.text(),
                                                    self.tr("Model configuration (*.json)"))
        if path:
            self.config_edit.setText(path)
            self.edited.emit()

    # --- profile in, profile out ------------------------------------------------------------------

    def show_profile(self, profile: ServerProfile | None, has_key: bool, keys_persistent: bool,
                     read_only: bool = False) -> None:
        """Fill the fields from ``profile`` (None: a new one, with the certificate check on)."""
        self.name_edit.setText(profile.name if profile else "")
        self.url_edit.setText(profile.base_url if profile else "")
        self.flavour_box.setCurrentIndex(max(0, self.flavour_box.findData(profile.flavour if profile else SGLANG)))
        self.model_box.clear()
        self.model_box.setEditText(profile.model if profile else "")
        self.key_edit.clear()
        self.forget_key_box.setChecked(False)
        self.verify_box.setChecked(profile.verify_tls if profile else True)
        self.ca_edit.setText((profile.ca_bundle or "") if profile else "")
        self.config_edit.setText((profile.config_path or "") if profile else "")
        self._has_key, self._keys_persistent = has_key, keys_persistent
        for widget in (self.name_edit, self.url_edit, self.flavour_box, self.model_box, self.verify_box,
                       self.ca_edit, self.config_edit):
            widget.setEnabled(not read_only)
        self._key_typed()
        self._tls_changed()

    def profile(self) -> ServerProfile:
        """The profile as the fields say (not checked: see ``problem``)."""
        return ServerProfile(name=self.name_edit.text().strip(), base_url=self.url_edit.text().strip(),
                             model=self.model_box.currentText().strip(), flavour=self.flavour_box.currentData(),
                             verify_tls=self.verify_box.isChecked(), ca_bundle=self.ca_edit.text().strip() or None,
                             config_path=self.config_edit.text().strip() or None)

    def problem(self) -> str:
        """Why the fields do not make a usable profile, in the user's language; "" when they do."""
        profile = self.profile()
        parts = urlsplit(profile.base_url)
        if not profile.name:
            return self.tr("Give the server a name.")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return self.tr("The address must start with https:// (or http://) and name the server.")
        if not profile.model:
            return self.tr("Name the model, or run the connection test to choose one.")
        return ""

    def typed_key(self) -> str:
        """The API key typed now ("" for none: the stored one, if any, stays)."""
        return self.key_edit.text().strip()

    def set_models(self, models: list[str]) -> None:
        """The models the server lists, to choose from; the model named stays, or the first is taken."""
        named = self.model_box.currentText().strip()
        self.model_box.clear()
        self.model_box.addItems(models)
        self.model_box.setEditText(named or (models[0] if models else ""))

    def _key_typed(self) -> None:
        stored = self._has_key and not self.typed_key()
        self.key_edit.setPlaceholderText(self.tr("stored — type a new key to replace it") if stored
                                         else self.tr("none (if the server needs no key)"))
        where = (self.tr("Kept in this computer's keyring, never in a file.") if self._keys_persistent
                 else self.tr("This computer has no keyring: the key is kept only until MoEscope closes."))
        self.key_note.setText(where)
        self.forget_key_box.setVisible(self._has_key)

    def _tls_changed(self) -> None:
        self.tls_note.setVisible(not self.verify_box.isChecked())
        self.ca_edit.setEnabled(self.verify_box.isChecked() and self.name_edit.isEnabled())
