"""KioskSettingsDialog: the kiosk configuration for an administrator: model, language, welcome text and
examples, times and lengths, the expert view, the engine's guards, and the PIN. Reached from the main
window (Settings › Kiosk…, ``show_kiosk_settings``) and from the kiosk's own admin screen.

Saving writes the TOML file (app.core.kiosk.config.dump_config) only after load_config has read it back
without a mistake, so a saved file always starts. The PIN is stored only as its salted hash.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.kiosk.config import (
    EXAMPLES_MAX,
    EXAMPLES_MIN,
    RANGES,
    KioskConfig,
    KioskConfigError,
    default_config_path,
    dump_config,
    load_config,
)
from app.core.kiosk.pin import PIN_MAX_DIGITS, PIN_MIN_DIGITS, hash_pin, is_valid_pin


def config_command(path: Path) -> str:
    """The command that starts the kiosk with the configuration at ``path``."""
    return "moescope --kiosk" if path == default_config_path() else f'moescope --kiosk "{path}"'


class KioskSettingsDialog(QDialog):
    """Edits a kiosk configuration and saves it to ``path``.

    Attributes:
        config: the configuration shown when the dialog opened (None: none could be read), then the one saved.
        path: the file it saves to.

    Signals:
        saved(KioskConfig): the configuration was written to ``path``.
    """

    saved = Signal(object)

    def __init__(self, config: KioskConfig | None, path: Path, models_dir: Path, problem: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.config, self.path, self.models_dir = config, path, models_dir
        self.setWindowTitle(self.tr("Kiosk settings"))
        self.setObjectName("kioskSettingsDialog")

        self.model = QComboBox()
        self.model.setEditable(True)
        self.model.addItems(sorted(p.name for p in models_dir.glob("*.gguf")) if models_dir.is_dir() else [])
        self.language = QComboBox()
        self.language.addItem("Deutsch", "de")
        self.language.addItem("English", "en")
        self.welcome = QLineEdit()
        self.welcome.setPlaceholderText(self.tr("Ask the model something!"))
        self.examples = QPlainTextEdit()
        self.examples.setPlaceholderText(self.tr("One example question per line"))
        self.examples.setFixedHeight(self.examples.fontMetrics().lineSpacing() * 6 + 16)
        self.idle_timeout = self._spin("idle_timeout")
        self.countdown = self._spin("countdown")
        self.max_answer_tokens = self._spin("max_answer_tokens")
        self.show_experts = QCheckBox(self.tr("Show the expert view"))
        self.experts_view = QComboBox()
        for key, words in (("heatmap", self.tr("Heatmap")), ("router", self.tr("Router diagram")),
                           ("numbers", self.tr("Numbers"))):
            self.experts_view.addItem(words, key)
        self.second_screen = QCheckBox(self.tr("On a second screen, when there is one"))
        self.memory_limit_mb = self._spin("memory_limit_mb")
        self.stall_seconds = self._spin("stall_seconds")
        digits = QRegularExpressionValidator(rf"[0-9]{{0,{PIN_MAX_DIGITS}}}")
        self.pin, self.pin_again = QLineEdit(), QLineEdit()
        for field in (self.pin, self.pin_again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setValidator(digits)

        visitors = QFormLayout()
        visitors.addRow(self.tr("Model"), self.model)
        visitors.addRow(self.tr("Language"), self.language)
        visitors.addRow(self.tr("Welcome text"), self.welcome)
        visitors.addRow(self.tr("Examples ({low} to {high})").format(low=EXAMPLES_MIN, high=EXAMPLES_MAX),
                        self.examples)
        visitors.addRow(self.tr("Clear after (seconds without input)"), self.idle_timeout)
        visitors.addRow(self.tr("Countdown (seconds)"), self.countdown)
        visitors.addRow(self.tr("Longest answer (tokens)"), self.max_answer_tokens)
        experts = QFormLayout()
        experts.addRow(self.show_experts)
        experts.addRow(self.tr("View"), self.experts_view)
        experts.addRow(self.second_screen)
        engine = QFormLayout()
        engine.addRow(self.tr("Reload the model above (MB of memory)"), self.memory_limit_mb)
        engine.addRow(self.tr("End an answer stuck for (seconds)"), self.stall_seconds)
        pin = QFormLayout()
        pin.addRow(self.tr("New PIN"), self.pin)
        pin.addRow(self.tr("New PIN again"), self.pin_again)
        self.pin_note = QLabel()
        self.pin_note.setObjectName("note")
        self.pin_note.setWordWrap(True)
        pin.addRow(self.pin_note)

        self.problem = QLabel(problem)
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.setVisible(bool(problem))
        self.hint = QLabel()
        self.hint.setObjectName("note")
        self.hint.setWordWrap(True)
        self.hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for title, form in ((self.tr("For the visitors"), visitors), (self.tr("Expert view"), experts),
                            (self.tr("Engine"), engine), (self.tr("Administrator PIN"), pin)):
            box = QGroupBox(title)
            box.setLayout(form)
            layout.addWidget(box)
        layout.addWidget(self.problem)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)
        self._show(config)

    def _spin(self, key: str) -> QSpinBox:
        limits = RANGES[key]
        spin = QSpinBox()
        spin.setRange(limits.low, limits.high)
        spin.setValue(limits.default)
        return spin

    def _show(self, config: KioskConfig | None) -> None:
        self._show_hint()
        if config is None:
            self.show_experts.setChecked(True)
            self.examples.setPlainText("\n".join((
                self.tr("Explain in two sentences what a Mixture-of-Experts model is."),
                self.tr("Write a short poem about the sea."),
                self.tr("What should I see in this city?"))))
            self.pin_note.setText(self.tr("Choose a PIN of {low} to {high} digits.").format(
                low=PIN_MIN_DIGITS, high=PIN_MAX_DIGITS))
            return
        model = config.model
        self.model.setCurrentText(model.name if model.parent == self.models_dir.absolute() else str(model))
        self.language.setCurrentIndex(max(0, self.language.findData(config.language)))
        self.welcome.setText(config.welcome or "")
        self.examples.setPlainText("\n".join(config.examples))
        for key in RANGES:
            getattr(self, key).setValue(getattr(config, key))
        self.show_experts.setChecked(config.show_experts)
        self.experts_view.setCurrentIndex(max(0, self.experts_view.findData(config.experts_view)))
        self.second_screen.setChecked(config.second_screen)
        self.pin_note.setText(self.tr("Leave both empty to keep the PIN."))

    def _show_hint(self) -> None:
        self.hint.setText(self.tr("Saved in {path}. Start the kiosk with: {command}").format(
            path=self.path, command=config_command(self.path)))

    def _pin_hash(self) -> str | None:
        """The hash of the new PIN, the one kept, or None (the problem is shown)."""
        pin, again = self.pin.text(), self.pin_again.text()
        if not pin and not again and self.config is not None:
            return self.config.pin_hash
        if not is_valid_pin(pin):
            self._fail(self.tr("The PIN must be {low} to {high} digits.").format(low=PIN_MIN_DIGITS,
                                                                                 high=PIN_MAX_DIGITS))
            return None
        if pin != again:
            self._fail(self.tr("The two PINs differ."))
            return None
        return hash_pin(pin)

    def _fail(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.show()

    def chosen(self, pin_hash: str) -> KioskConfig:
        """The configuration as the fields say (not checked yet); the document collection it answers from is
        kept as the file names it (docs/kiosk.md: set in the file only)."""
        model = self.model.currentText().strip()
        examples = tuple(line.strip() for line in self.examples.toPlainText().splitlines() if line.strip())
        return KioskConfig(
            model=Path(model), language=self.language.currentData(), welcome=self.welcome.text().strip() or None,
            examples=examples, idle_timeout=self.idle_timeout.value(), countdown=self.countdown.value(),
            max_answer_tokens=self.max_answer_tokens.value(), pin_hash=pin_hash,
            show_experts=self.show_experts.isChecked(), experts_view=self.experts_view.currentData(),
            second_screen=self.second_screen.isChecked(), memory_limit_mb=self.memory_limit_mb.value(),
            stall_seconds=self.stall_seconds.value(), documents=self.config.documents if self.config else None)

    def save(self) -> None:
        """Write the configuration, once it reads back without a mistake; else say what is wrong."""
        pin_hash = self._pin_hash()
        if pin_hash is None:
            return
        written = self.path.with_name(self.path.name + ".new")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            written.write_text(dump_config(self.chosen(pin_hash)), encoding="utf-8")
            config = load_config(written, self.models_dir)
            os.replace(written, self.path)
        except KioskConfigError as exc:
            written.unlink(missing_ok=True)
            self._fail(exc.message)
            return
        except OSError as exc:
            written.unlink(missing_ok=True)
            self._fail(self.tr("The file could not be written: {reason}").format(reason=exc.strerror or exc))
            return
        self.config = config
        self.pin.clear()
        self.pin_again.clear()
        self.problem.hide()
        self.saved.emit(config)
        self.accept()


def show_kiosk_settings(parent: QWidget, models_dir: Path) -> KioskSettingsDialog:
    """Open the kiosk settings for the saved configuration (app.core.kiosk.config.default_config_path), or
    for a new one; for the main window's Settings › Kiosk…. The dialog deletes itself when closed."""
    path = default_config_path()
    config, problem = None, ""
    if path.is_file():
        try:
            config = load_config(path, models_dir)
        except KioskConfigError as exc:
            problem = str(exc)
    dialog = KioskSettingsDialog(config, path, models_dir, problem, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
