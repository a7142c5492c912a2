"""TalkFigures: the numbers of app.core.talks.figures as sentences a speaker can read out, with a
"Copy for slide" button that puts them on the clipboard as plain text."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from app.core.models.gguf import ModelInfo
from app.core.talks import figures
from app.core.talks.timeline import Timeline
from app.ui.experts.fitting import FitRow
from app.ui.experts.token_names import range_name
from app.ui.formatting import format_count, format_decimal, format_percent
from app.ui.library.words import model_display_name
from app.ui.theme import PROJECTOR

_PRESENTATION_STYLE = PROJECTOR.fill(
    "TalkFigures { background: $view; }"
    "QLabel { color: $text; font-size: 18pt; }"
    "QLabel#talkTitle { font-size: 22pt; font-weight: bold; }"
    "QLabel#caption { color: $detail; font-size: 16pt; }"
    "QPushButton { background: $button; color: $text; border: 1px solid $button_border; font-size: 16pt; }"
)
_NORMAL_STYLE = "QLabel#talkTitle { font-size: 13pt; font-weight: bold; }"


class TalkFigures(QWidget):
    """What the model and the selected tokens come to, in sentences.

    ``show_figures(timeline, layer)`` after a model and whenever the selection changes: the routing
    sentences cover the selected range, or the whole answer when a single token is selected. Routing
    without weights (a company server) says so and leaves out the top expert's stickiness: without
    weights or scores, which chosen expert is the top one is not known.

    Attributes:
        info: the model, or None.
        lines: the sentences shown, in order (what "Copy for slide" copies, after the title).
        copy_button: the "Copy for slide" button.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TalkFigures")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.info: ModelInfo | None = None
        self.lines: list[str] = []
        self._title = QLabel()
        self._title.setObjectName("talkTitle")
        self._title.setWordWrap(True)  # a long model name must not widen the view (presentation type is large)
        self._range = QLabel()
        self._range.setObjectName("caption")
        self._body = QLabel()
        self._body.setWordWrap(True)
        self._body.setTextFormat(Qt.TextFormat.PlainText)
        self._body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_button = QPushButton(self.tr("Copy for slide"))
        self.copy_button.setToolTip(self.tr("Put these numbers on the clipboard as plain text"))
        self.copy_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click leaves the keys with the view
        self.copy_button.clicked.connect(self.copy)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(FitRow([self._title, self.copy_button], stretch=0))  # the button goes below when narrow
        layout.addWidget(self._range)
        layout.addWidget(self._body, 1)
        self.set_presentation(False)

    def set_presentation(self, on: bool) -> None:
        """Dark, high-contrast and large for projectors, or the normal style."""
        self.setStyleSheet(_PRESENTATION_STYLE if on else _NORMAL_STYLE)

    def set_model(self, info: ModelInfo | None) -> None:
        self.info = info
        self.show_figures(None)

    def show_figures(self, timeline: Timeline | None, layer: int | None = None) -> None:
        """The model's sentences, and those about ``timeline``'s selected range (else its answer) with
        MoE ``layer`` (else the first) for the per-layer numbers."""
        info = self.info
        self.lines = []
        self._title.setText(model_display_name(info) if info is not None else "")
        self._range.setText("")
        self.copy_button.setEnabled(info is not None)
        if info is None:
            self._body.setText(self.tr("Load a model to see its numbers."))
            return
        if not info.is_moe:
            self.lines.append(self.tr(
                "All {total} parameters work on every token: a dense model has no experts to choose from."
            ).format(total=format_count(info.total_params)))
        else:
            self.lines.extend(self._parameter_lines(info))
            if timeline is not None and len(timeline) and timeline.layers and timeline.k:
                lo, hi = timeline.figures_range()
                self._range.setText(range_name(timeline, lo, hi))
                self.lines.extend(self._routing_lines(timeline, lo, hi, layer))
        self._body.setText("\n\n".join(self.lines))

    def _parameter_lines(self, info: ModelInfo) -> list[str]:
        numbers = figures.parameter_figures(info.active_params, info.total_params)
        return [
            self.tr("{active} of {total} parameters work on each token ({share}).").format(
                active=format_count(numbers.active), total=format_count(numbers.total),
                share=format_percent(numbers.active_share)),
            self.tr("So a token takes about {operations} operations instead of {dense} for a dense model of "
                    "the same size: {saved} less compute, {times}× fewer.").format(
                operations=format_count(numbers.operations), dense=format_count(numbers.dense_operations),
                saved=format_percent(numbers.saved_share), times=format_decimal(numbers.times_fewer)),
        ]

    def _routing_lines(self, timeline: Timeline, lo: int, hi: int, layer: int | None) -> list[str]:
        layer = layer if layer in timeline.layers else timeline.layers[0]
        row = timeline.row_of(layer)
        balances = figures.load_balance(timeline.range_counts(lo, hi), timeline.layers)
        sticky = figures.stickiness(timeline.top1_all(lo, hi), timeline.n_experts)
        balance = balances[row]
        lines = [] if timeline.weights_reported else [self.tr(
            "This engine reports which experts were chosen, not their weights: these numbers count the choices.")]
        if balance.choices:
            lines.append(self.tr(
                "Load balance in layer {layer}: {evenness} of 1 (1: all {n} experts equally busy). "
                "Most used: expert {most} with {share} of the choices."
            ).format(layer=layer, evenness=format_decimal(balance.evenness, 2), n=timeline.n_experts,
                     most=balance.most_used, share=format_percent(balance.most_share)))
            if balance.unused:
                lines.append(self.tr("%n of its {n} experts were not chosen at all.", "", balance.unused).format(
                    n=timeline.n_experts))
            else:
                lines.append(self.tr("Least used: expert {least} with {share}.").format(
                    least=balance.least_used, share=format_percent(balance.least_share)))
        counted = [b for b in balances if not math.isnan(b.evenness)]
        if len(counted) > 1:
            least_even = min(counted, key=lambda b: b.evenness)
            lines.append(self.tr("Over all {count} MoE layers: {mean} on average; least even: layer {layer} "
                                 "({value}).").format(
                count=len(balances), mean=format_decimal(figures.mean_evenness(balances), 2),
                layer=least_even.layer, value=format_decimal(least_even.evenness, 2)))
        kept = sticky.per_layer[row]
        if not math.isnan(kept) and timeline.weights_reported:
            lines.append(self.tr(
                "Consecutive tokens keep the same top expert {share} of the time in layer {layer} ({mean} "
                "over all layers; {chance} if the router picked at random)."
            ).format(share=format_percent(kept), layer=layer, mean=format_percent(sticky.mean),
                     chance=format_percent(sticky.chance)))
        return lines

    def slide_text(self) -> str:
        """The title, the range and the sentences as plain text, one paragraph each."""
        heading = [text for text in (self._title.text(), self._range.text()) if text]
        return "\n\n".join([" — ".join(heading), *self.lines] if heading else self.lines)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.slide_text())
