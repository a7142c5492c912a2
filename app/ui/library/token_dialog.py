"""The Hugging Face token setting: TokenSetting (the TokenStore, opened when first needed, and its dialog)
and the TokenDialog to add, replace or remove the token (kept by TokenStore in the system keyring)."""

from __future__ import annotations

import threading

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.hub.token_store import TokenStore


def masked(token: str) -> str:
    """The token as the window may show it: its first three and last four characters ("hf_…7890")."""
    return f"{token[:3]}…{token[-4:]}" if len(token) >= 12 else "…"


class TokenDialog(QDialog):
    """Settings › Hugging Face token: what a token is for, whether one is stored (shown masked), a field
    to add or replace it and a button to remove it. Says so when the token can only be kept for this
    session (no keyring on this computer). The token is never shown in full once entered.

    Attributes:
        store: the TokenStore.
        status_label: whether a token is stored.
        storage_label: where it is kept.
        token_edit: the (password) field for a new token.
        save_button, remove_button: the actions.

    Signals:
        tokenChanged(): a token was saved or removed.
    """

    tokenChanged = Signal()

    def __init__(self, store: TokenStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._has_token = False
        self.setWindowTitle(self.tr("Hugging Face token"))
        self.setMinimumWidth(520)
        explanation = QLabel(
            self.tr(
                "Some models on Hugging Face are gated: you accept their licence on the model's page at "
                "huggingface.co, and MoEscope needs your personal access token to download them. Create one "
                "there under Settings › Access Tokens; the “Read” kind is enough. Other models need no token."
            )
        )
        explanation.setWordWrap(True)
        self.status_label = QLabel()
        self.status_label.setObjectName("caption")
        self.storage_label = QLabel()
        self.storage_label.setWordWrap(True)
        self.token_edit = QLineEdit()
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText(self.tr("Paste a token (hf_…)"))
        self.token_edit.setAccessibleName(self.tr("New Hugging Face token"))
        self.token_edit.textChanged.connect(self._update_state)
        self.token_edit.returnPressed.connect(self.save)
        self.save_button = QPushButton(self.tr("Save token"))
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        self.remove_button = QPushButton(self.tr("Remove token"))
        self.remove_button.clicked.connect(self.remove)
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setObjectName("note")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        stored = QHBoxLayout()
        stored.addWidget(self.status_label, 1)
        stored.addWidget(self.remove_button)
        entry = QHBoxLayout()
        entry.addWidget(self.token_edit, 1)
        entry.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(explanation)
        layout.addLayout(stored)
        layout.addWidget(self.storage_label)
        layout.addLayout(entry)
        layout.addWidget(self.message_label)
        layout.addWidget(buttons)
        self._show_stored()
        self.resize(self.minimumWidth(), self.heightForWidth(self.minimumWidth()))

    def save(self) -> None:
        token = self.token_edit.text().strip()
        if not token:
            return
        if any(ch.isspace() for ch in token):
            self.message_label.setText(self.tr("A token has no spaces in it. Please copy it again."))
            return
        self.store.set(token)
        self.token_edit.clear()
        self.message_label.setText(self.tr("The token was saved."))
        self._show_stored()
        self.tokenChanged.emit()

    def remove(self) -> None:
        self.store.remove()
        self.message_label.setText(self.tr("The token was removed."))
        self._show_stored()
        self.tokenChanged.emit()

    def _show_stored(self) -> None:
        token = self.store.get()
        self._has_token = bool(token)
        if token:
            self.status_label.setText(self.tr("A token is stored: {masked}").format(masked=masked(token)))
        else:
            self.status_label.setText(self.tr("No token is stored."))
        if self.store.persistent:
            self.storage_label.setText(
                self.tr(
                    "It is kept in this computer's password store (keyring), never in a file of MoEscope."
                )
            )
            self.storage_label.setObjectName("note")
        else:
            self.storage_label.setText(
                self.tr(
                    "This computer has no password store (keyring) MoEscope can use, so the token is kept "
                    "for this session only: it is forgotten when MoEscope closes, and never written to a "
                    "file."
                )
            )
            self.storage_label.setObjectName("errorText")
        self.storage_label.style().unpolish(self.storage_label)
        self.storage_label.style().polish(self.storage_label)
        self.remove_button.setEnabled(bool(token))
        self._update_state()

    def _update_state(self) -> None:
        self.save_button.setEnabled(bool(self.token_edit.text().strip()))
        self.save_button.setText(self.tr("Replace token") if self._has_token else self.tr("Save token"))


class TokenSetting:
    """The library's Hugging Face token: read by downloads and searches on their threads, and changed
    in the TokenDialog (Settings › Hugging Face token…).

    Attributes:
        dialog: the TokenDialog once opened, else None.
    """

    def __init__(self, store: TokenStore | None, parent: QWidget) -> None:
        """``store`` defaults to the system keyring's, opened on first use (the keyring may take a moment to
        answer); the dialog is a child of ``parent``."""
        self.dialog: TokenDialog | None = None
        self._store = store
        self._lock = threading.Lock()
        self._parent = parent

    def store(self) -> TokenStore:
        """The TokenStore, opened on first use (from any thread)."""
        with self._lock:
            if self._store is None:
                self._store = TokenStore()
            return self._store

    def token(self) -> str | None:
        return self.store().get()

    def open_dialog(self) -> None:
        if self.dialog is None:
            self.dialog = TokenDialog(self.store(), self._parent)
        self.dialog.open()
        self.dialog.raise_()
