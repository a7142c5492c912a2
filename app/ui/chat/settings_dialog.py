"""SettingsDialog: how a conversation is answered (system prompt, sampling, lengths), with named presets.

A sampling setting can be left to its default: the model's own where the model file recommends one
(GGUF ``general.sampling.*``, ModelInfo.sampling), else MoEscope's (app.core.defaults). Such a setting
is None in the Settings the dialog returns, so that the engine decides it with the model loaded then.
Presets are kept in the window's settings (app.ui.settings.chat_presets).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core import defaults
from app.core.chat.model import Settings
from app.ui import settings as stored
from app.ui.formatting import format_decimal

SEED_MAX = 2**31 - 1
CONTEXT_STEP = 256
CONTEXT_MIN = 256
CONTEXT_MAX = 131_072
"""The highest context length offered when the model's own is not known."""


@dataclass(frozen=True)
class _Knob:
    """A sampling setting: its Settings field, how its spin box counts, and MoEscope's default."""

    field: str
    decimals: int  # 0: a whole number
    maximum: float
    step: float
    default: float


_KNOBS = (
    _Knob("temperature", 2, 2.0, 0.05, defaults.TEMPERATURE),
    _Knob("top_p", 2, 1.0, 0.05, defaults.TOP_P),
    _Knob("top_k", 0, 1000, 1, defaults.TOP_K),
    _Knob("min_p", 2, 1.0, 0.01, defaults.MIN_P),
    _Knob("repeat_penalty", 2, 2.0, 0.05, defaults.REPEAT_PENALTY),
)


class DefaultableValue(QWidget):
    """A number that can be left to its default: a spin box and a "default" check box beside it. While
    the box is ticked the spin box shows the default and ``value()`` is None."""

    def __init__(self, knob: _Knob, default: float, from_model: bool, label: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.default = default
        if knob.decimals:
            self.spin = QDoubleSpinBox()
            self.spin.setDecimals(knob.decimals)
            self.spin.setRange(0.0, max(knob.maximum, default))
        else:
            self.spin = QSpinBox()
            self.spin.setRange(0, int(max(knob.maximum, default)))
        self.spin.setSingleStep(knob.step)
        self.spin.setAccessibleName(label)
        _fixed_width(self.spin)
        words = self.tr("Model default") if from_model else self.tr("Default")
        self.use_default = QCheckBox(words)
        self.use_default.setAccessibleName(self.tr("{setting}: {default}").format(setting=label, default=words))
        self.use_default.setToolTip(
            self.tr("Use the value the model file recommends") if from_model
            else self.tr("Use MoEscope's usual value"))
        self.use_default.toggled.connect(self._on_default_toggled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.spin)
        layout.addWidget(self.use_default)
        layout.addStretch(1)

    def value(self) -> float | int | None:
        return None if self.use_default.isChecked() else self.spin.value()

    def set_value(self, value: float | int | None) -> None:
        self.use_default.setChecked(value is None)
        self.spin.setValue(self.default if value is None else value)
        self.spin.setEnabled(value is not None)

    def _on_default_toggled(self, checked: bool) -> None:
        self.spin.setEnabled(not checked)
        if checked:
            self.spin.setValue(self.default)


class SettingsDialog(QDialog):
    """System prompt, temperature, top-p, top-k, min-p, repeat penalty, max tokens, seed and context
    length of a conversation, and the presets to choose them by name.

    Attributes:
        presets: the named presets, as saved (app.ui.settings.chat_presets); saving and deleting one
            takes effect at once, whether the dialog is then accepted or not.
        preset_box: the presets to choose from ("Custom" first: the settings are none of them).
        system_prompt: the QPlainTextEdit of the system prompt.
        values: field name -> DefaultableValue, for the sampling settings.
        max_tokens, seed, context: their spin boxes (a seed of -1 shows "Random": None).
    """

    def __init__(self, current: Settings, model_defaults: dict | None = None, *, model_name: str = "",
                 context_limit: int | None = None, parent: QWidget | None = None) -> None:
        """``model_defaults``: the loaded model's recommended sampling (ModelInfo.sampling), or None;
        ``context_limit``: the model's trained context length, the most the dialog offers."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Chat settings"))
        self.setMinimumWidth(520)
        self.presets = stored.chat_presets()
        model_defaults = model_defaults or {}
        labels = {
            "temperature": self.tr("Temperature"),
            "top_p": self.tr("Top-p"),
            "top_k": self.tr("Top-k"),
            "min_p": self.tr("Min-p"),
            "repeat_penalty": self.tr("Repeat penalty"),
        }
        helps = {
            "temperature": self.tr("Higher values give more varied answers; 0 always takes the likeliest word."),
            "top_p": self.tr("Only the likeliest words that together make up this share are considered."),
            "top_k": self.tr("Only this many of the likeliest words are considered; 0 considers all."),
            "min_p": self.tr("Words less likely than this share of the likeliest one are left out; 0 "
                             "switches it off."),
            "repeat_penalty": self.tr("Above 1 makes the model repeat recent words less; 1 switches it off."),
        }

        self.preset_box = QComboBox()
        self.preset_box.setAccessibleName(self.tr("Preset"))
        self.preset_box.setMinimumContentsLength(14)
        self.preset_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.preset_box.activated.connect(self._on_preset_chosen)
        self.save_preset_button = QPushButton(self.tr("Save as preset…"))
        self.save_preset_button.clicked.connect(self._ask_preset_name)
        self.delete_preset_button = QPushButton(self.tr("Delete preset"))
        self.delete_preset_button.clicked.connect(lambda: self.delete_preset(self.preset_box.currentText()))
        preset_row = QHBoxLayout()
        preset_row.addWidget(self.preset_box, 1)
        preset_row.addWidget(self.save_preset_button)
        preset_row.addWidget(self.delete_preset_button)

        self.system_prompt = QPlainTextEdit()
        self.system_prompt.setAccessibleName(self.tr("System prompt"))
        self.system_prompt.setPlaceholderText(
            self.tr("Instructions the model follows throughout the conversation, for example: "
                    "“Answer briefly, in German.”"))
        self.system_prompt.setTabChangesFocus(True)
        self.system_prompt.setFixedHeight(self.system_prompt.fontMetrics().lineSpacing() * 4 + 16)

        form = QFormLayout()
        form.addRow(self.tr("Preset"), preset_row)
        form.addRow(self.tr("System prompt"), self.system_prompt)
        self.values: dict[str, DefaultableValue] = {}
        for knob in _KNOBS:
            from_model = knob.field in model_defaults
            value = DefaultableValue(knob, model_defaults.get(knob.field, knob.default), from_model,
                                     labels[knob.field])
            value.setToolTip(helps[knob.field])
            value.spin.setToolTip(helps[knob.field])
            self.values[knob.field] = value
            form.addRow(labels[knob.field], value)

        limit = context_limit or CONTEXT_MAX
        self.max_tokens = QSpinBox()
        self.max_tokens.setRange(1, limit)
        self.max_tokens.setAccessibleName(self.tr("Longest answer"))
        self.max_tokens.setSuffix(" " + self.tr("tokens"))
        self.max_tokens.setToolTip(self.tr("An answer ends after this many tokens at the latest."))
        self.seed = QSpinBox()
        self.seed.setRange(-1, SEED_MAX)
        self.seed.setSpecialValueText(self.tr("Random"))
        self.seed.setAccessibleName(self.tr("Seed"))
        self.seed.setToolTip(self.tr("The same seed, settings and question give the same answer again; "
                                     "“Random” gives a new one each time."))
        self.context = QSpinBox()
        self.context.setRange(min(CONTEXT_MIN, limit), limit)
        self.context.setSingleStep(CONTEXT_STEP)
        self.context.setAccessibleName(self.tr("Context length"))
        self.context.setSuffix(" " + self.tr("tokens"))
        self.context.setToolTip(self.tr("How much of the conversation the model sees at once. More needs "
                                        "more memory; the model is loaded again with it."))
        for widget in (self.max_tokens, self.seed, self.context):
            _fixed_width(widget)
        form.addRow(self.tr("Longest answer"), self.max_tokens)
        form.addRow(self.tr("Seed"), self.seed)
        form.addRow(self.tr("Context length"), self.context)

        note = QLabel(self._defaults_note(model_name, model_defaults, labels))
        note.setObjectName("note")
        note.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                                   | QDialogButtonBox.StandardButton.RestoreDefaults)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(
            lambda: self.set_settings(Settings()))

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

        self.set_settings(current)
        self.system_prompt.textChanged.connect(self._sync_preset)
        for widget in (self.max_tokens, self.seed, self.context):
            widget.valueChanged.connect(self._sync_preset)
        for value in self.values.values():
            value.spin.valueChanged.connect(self._sync_preset)
            value.use_default.toggled.connect(self._sync_preset)

    def _defaults_note(self, model_name: str, model_defaults: dict, labels: dict[str, str]) -> str:
        if not model_defaults:
            return self.tr("The model file recommends no sampling settings; “Default” uses MoEscope's usual "
                           "values.")
        shown = ", ".join(f"{labels[knob.field]} {self._number(model_defaults[knob.field], knob)}"
                          for knob in _KNOBS if knob.field in model_defaults)
        if model_name:
            return self.tr("{model} recommends: {values}.").format(model=model_name, values=shown)
        return self.tr("The model file recommends: {values}.").format(values=shown)

    @staticmethod
    def _number(value: float, knob: _Knob) -> str:
        return format_decimal(value, knob.decimals) if knob.decimals else str(int(value))

    def settings(self) -> Settings:
        """The settings as the dialog shows them."""
        seed = self.seed.value()
        return Settings(
            system_prompt=self.system_prompt.toPlainText().strip(),
            max_tokens=self.max_tokens.value(),
            seed=None if seed < 0 else seed,
            n_ctx=self.context.value(),
            **{name: value.value() for name, value in self.values.items()},
        )

    def set_settings(self, settings: Settings) -> None:
        self.system_prompt.setPlainText(settings.system_prompt)
        for name, value in self.values.items():
            value.set_value(getattr(settings, name))
        self.max_tokens.setValue(settings.max_tokens)
        self.seed.setValue(-1 if settings.seed is None else settings.seed)
        self.context.setValue(settings.n_ctx)
        self._sync_preset()

    # Presets
    def save_preset(self, name: str) -> None:
        """Keep the settings shown under ``name`` (replacing a preset of that name)."""
        name = name.strip()
        if not name:
            return
        self.presets[name] = self.settings()
        stored.set_chat_presets(self.presets)
        self._sync_preset()

    def delete_preset(self, name: str) -> None:
        if self.presets.pop(name, None) is not None:
            stored.set_chat_presets(self.presets)
        self._sync_preset()

    def choose_preset(self, name: str) -> None:
        """Show the settings of the preset ``name``."""
        preset = self.presets.get(name)
        if preset is not None:
            self.set_settings(preset)

    def _on_preset_chosen(self, row: int) -> None:
        if row > 0:
            self.choose_preset(self.preset_box.itemText(row))

    def _ask_preset_name(self) -> None:
        chosen = self.preset_box.currentIndex() > 0
        name, ok = QInputDialog.getText(self, self.tr("Save preset"), self.tr("Name of the preset:"),
                                        text=self.preset_box.currentText() if chosen else "")
        if ok:
            self.save_preset(name)

    def _sync_preset(self) -> None:
        """List the presets and select the one the fields match ("Custom" if none)."""
        current = self.settings()
        match = next((name for name, preset in self.presets.items() if _same(preset, current)), None)
        self.preset_box.blockSignals(True)
        self.preset_box.clear()
        self.preset_box.addItem(self.tr("Custom"))
        self.preset_box.addItems(list(self.presets))
        self.preset_box.setCurrentIndex(0 if match is None else list(self.presets).index(match) + 1)
        self.preset_box.blockSignals(False)
        self.delete_preset_button.setEnabled(match is not None)


def _fixed_width(spin: QAbstractSpinBox) -> None:
    """Every number box of the dialog as wide as the widest needs ("131072 tokens")."""
    spin.setFixedWidth(spin.fontMetrics().horizontalAdvance("0000000 tokens") + 40)


def _same(preset: Settings, shown: Settings) -> bool:
    """Whether a preset is what the dialog shows (a spin box rounds: compare at its precision)."""
    rounded = {knob.field: None if getattr(preset, knob.field) is None
               else round(getattr(preset, knob.field), knob.decimals) for knob in _KNOBS}
    return replace(preset, **rounded) == shown
