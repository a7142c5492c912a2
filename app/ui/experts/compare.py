"""ComparisonDialog: the same question answered with two numbers of experts per token, side by side.

A non-modal window beside the main one. The speaker picks two values of k (1 to the model's number of
experts), edits the question if they like (it starts as the conversation's last question) and presses
Run; a ComparisonRun (app.ui.experts.compare_run) asks the engine twice and gives the model back its
own k. Each side shows its answer, its speed, its time to first token, the parameters that work on a
token at that k, and the share of routing weight each expert received over the answer; a line under
both puts the two side by side as ratios: the cost and the quality of more or fewer experts, visible.

llama.cpp only honours the experts-per-token override for some architectures
(app.core.models.moe_rules.override_honoured); for the others the dialog says so and offers no Run.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.engine import protocol
from app.core.models.gguf import ModelInfo
from app.core.models.moe_rules import override_honoured
from app.core.talks import figures
from app.ui.experts.compare_run import (
    ANSWERING,
    DONE,
    FAILED,
    LOADING,
    RESTORING,
    STOPPED,
    ComparisonRun,
    Side,
    active_params_at,
)
from app.ui.experts.heatmap import ExpertHeatmap
from app.ui.experts.colormap import nice_maximum
from app.ui.formatting import format_count, format_decimal, format_percent
from app.ui.library.words import model_display_name
from app.ui.theme import PROJECTOR, current, switcher
from app.worker import EngineWorker

REFRESH_MS = 50
"""How often the side being answered is redrawn while tokens come in."""


_PRESENTATION_BUTTON = (
    "QPushButton { background: $button; color: $text; border: 1px solid $button_border; border-radius: 5px; }"
    "QPushButton:disabled { background: $disabled; color: $disabled_text; border-color: $disabled_border; }"
    "QPushButton#primary { background: $primary; color: $primary_text; border-color: $primary_border;"
    " font-weight: bold; }"
    "QPushButton#primary:disabled { background: $primary_disabled; color: $primary_disabled_text;"
    " border-color: $primary_disabled; }"
)


def _style(presentation: bool) -> str:
    """The dialog's style sheet in the heatmap's colours (the projector's or the window theme's); larger
    type for a projector."""
    base = 16 if presentation else 11
    return (PROJECTOR if presentation else current()).fill(f"""
        ComparisonDialog {{ background: $view; }}
        QLabel {{ color: $view_text; font-size: {base}pt; }}
        QLabel#compareTitle {{ font-size: {base + 6}pt; font-weight: bold; }}
        QLabel#sideTitle {{ font-size: {base + 10}pt; font-weight: bold; }}
        QLabel#ownBadge {{ color: $marker_text; background: $marker; border-radius: 5px; padding: 2px 10px;
                           font-size: {base}pt; font-weight: bold; }}
        QLabel#sideFigures {{ font-size: {base + 2}pt; font-weight: bold; }}
        QLabel#caption, QLabel#note {{ color: $detail; }}
        QLabel#warning {{ color: $problem; font-weight: bold; }}
        QLabel#summary {{ font-size: {base + 3}pt; font-weight: bold; border-top: 2px solid $shared;
                          padding-top: 8px; }}
        QPlainTextEdit {{ color: $view_text; background: $base; border: 1px solid $shared; border-radius: 6px;
                          font-size: {base + 1}pt; padding: 4px; }}
        QSpinBox {{ color: $view_text; background: $base; font-size: {base + 4}pt; font-weight: bold; }}
        QPushButton {{ font-size: {base + 1}pt; padding: 6px 18px; }}
        {_PRESENTATION_BUTTON if presentation else ""}
        ComparisonColumn {{ border: 1px solid $shared; border-radius: 8px; }}
    """)


class ComparisonColumn(QWidget):
    """One side: "k = N" (with "the model's own" when it is), speed and active parameters, the answer and
    the share of routing weight per expert over the answer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.title = QLabel()
        self.title.setObjectName("sideTitle")
        self.own_badge = QLabel(self.tr("the model’s own"))
        self.own_badge.setObjectName("ownBadge")
        self.speed = QLabel()
        self.speed.setObjectName("sideFigures")
        self.active = QLabel()
        self.active.setWordWrap(True)
        self.note = QLabel()
        self.note.setObjectName("warning")
        self.note.setWordWrap(True)
        self.note.hide()
        self.answer = QPlainTextEdit()
        self.answer.setReadOnly(True)
        self.answer.setAccessibleName(self.tr("Answer"))
        self.caption = QLabel(self.tr("Share of each layer’s routing weight over the answer"))
        self.caption.setObjectName("caption")
        self.heatmap = ExpertHeatmap()
        self._shown_text = ""

        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addWidget(self.own_badge)
        header.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addLayout(header)
        layout.addWidget(self.speed)
        layout.addWidget(self.active)
        layout.addWidget(self.note)
        layout.addWidget(self.answer, 1)
        layout.addWidget(self.caption)
        layout.addWidget(self.heatmap, 2)

    def set_k(self, k: int, info: ModelInfo) -> None:
        """Before a run: the k this side will use, the rest empty."""
        self.title.setText(self.tr("k = {k}").format(k=k))
        self.own_badge.setVisible(k == info.n_experts_used)
        self.speed.setText(self.tr("Not run yet"))
        self._show_active(active_params_at(info, k), info.total_params)
        self.note.hide()
        self.answer.clear()
        self._shown_text = ""
        self.heatmap.set_shape(list(info.moe_layers), info.n_experts, info.n_shared_experts)
        self.set_shares(np.zeros((len(info.moe_layers), info.n_experts)), 1.0)

    def _show_active(self, active: int, total: int) -> None:
        numbers = figures.parameter_figures(active, total)
        self.active.setText(self.tr("{active} of {total} parameters work on each token ({share})").format(
            active=format_count(numbers.active), total=format_count(numbers.total),
            share=format_percent(numbers.active_share)))

    def show_side(self, side: Side, own_k: int) -> None:
        """The side's answer and figures as far as they are."""
        self.title.setText(self.tr("k = {k}").format(k=side.k))
        self.own_badge.setVisible(side.k == own_k)
        self._show_text(side.text)
        finished = side.finished
        timeline = side.timeline
        if finished is not None and finished.answer_tokens:
            self.speed.setText(self.tr("{rate} tokens/s · first token after {ttft} s").format(
                rate=format_decimal(finished.tokens_per_s), ttft=format_decimal(finished.ttft_s, 2)))
        elif finished is not None:
            self.speed.setText(self.tr("No answer tokens"))
        elif timeline is not None and timeline.answer_count >= 3:
            self.speed.setText(self.tr("{rate} tokens/s so far").format(rate=format_decimal(timeline.tokens_per_s)))
        elif side.info is not None:
            self.speed.setText(self.tr("Reading the question…"))
        if side.info is not None:
            self._show_active(side.info.active_params, side.info.total_params)
        ignored = bool(side.routed_k) and side.routed_k != side.k
        self.note.setVisible(ignored)
        if ignored:
            self.note.setText(self.tr("llama.cpp ignored the override for this file: the router still chose "
                                      "{n} experts per token.").format(n=side.routed_k))

    def _show_text(self, text: str) -> None:
        """Append what is new (the whole text again only after an answer started over)."""
        if text == self._shown_text:
            return
        if text.startswith(self._shown_text):
            cursor = QTextCursor(self.answer.document())
            cursor.movePosition(QTextCursor.MoveOperation.End)
            cursor.insertText(text[len(self._shown_text):])
        else:
            self.answer.setPlainText(text)
        self._shown_text = text

    def set_shares(self, shares: np.ndarray | None, maximum: float) -> None:
        """The share of routing weight per (layer, expert) over the answer; None: nothing to show yet."""
        if shares is not None:
            self.heatmap.set_values(shares, maximum, True, self.tr("Share of weight"))


class ComparisonDialog(QDialog):
    """Two answers to one question, with k chosen per side (see the module docstring).

    ``set_model(info, n_ctx)`` with the loaded model (None for none), ``set_request(request)`` with the
    chat's request for its last question (its messages and settings), ``set_engine_busy`` while the
    engine answers or loads for the window. Run asks the engine through ``run``.

    Attributes:
        run: the ComparisonRun.
        info: the model, with its own k; None when none is loaded.
        question: the question asked (editable).
        k_choosers: the two k spin boxes, left and right.
        run_button, stop_button: start the run; end it early.
        columns: the two ComparisonColumns.
        status: what is going on, or why Run is not offered.
        summary: the two sides in ratios, once both have answered.
        presentation: whether the dark, large-type style is on.
    """

    def __init__(self, worker: EngineWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ComparisonDialog")
        self.setWindowTitle(self.tr("Experts per token, side by side"))
        self.setModal(False)
        self.setSizeGripEnabled(True)
        self.run = ComparisonRun(worker, self)
        self.info: ModelInfo | None = None
        self.presentation = False
        self._n_ctx = 0
        self._request = protocol.Generate()
        self._engine_busy = False
        self._run_words = ""  # what went wrong in the last run, in words
        self._refresh = QTimer(self)
        self._refresh.setInterval(REFRESH_MS)
        self._refresh.timeout.connect(self._show_sides)

        self._title = QLabel(self.tr("Experts per token, side by side"))
        self._title.setObjectName("compareTitle")
        self._model = QLabel()
        self._model.setObjectName("caption")
        self._explanation = QLabel(self.tr(
            "The same question, answered twice: once with each number of experts per token (k). More experts "
            "mean more parameters working on each token — slower, and perhaps a better answer."))
        self._explanation.setObjectName("note")
        self._explanation.setWordWrap(True)
        self.question = QPlainTextEdit()
        self.question.setAccessibleName(self.tr("Question"))
        self.question.setPlaceholderText(self.tr("The question to answer twice"))
        self.question.textChanged.connect(self._update_controls)
        self.k_choosers = (QSpinBox(), QSpinBox())
        self.run_button = QPushButton(self.tr("Run"))
        self.run_button.setObjectName("primary")
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.start)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.clicked.connect(self.run.stop)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.warning = QLabel()
        self.warning.setObjectName("warning")
        self.warning.setWordWrap(True)
        self.warning.hide()
        self.columns = (ComparisonColumn(), ComparisonColumn())
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.summary.hide()
        self._build_layout()

        self.run.phaseChanged.connect(self._on_phase)
        self.run.ended.connect(self._on_ended)
        for chooser in self.k_choosers:
            chooser.valueChanged.connect(self._on_k_changed)
        worker.busyChanged.connect(self.set_engine_busy)
        self.set_presentation(False)
        switcher().changed.connect(self.restyle)
        self.set_model(None, 0)

    def _build_layout(self) -> None:
        question_caption = QLabel(self.tr("Question"))
        question_caption.setObjectName("caption")
        question_caption.setBuddy(self.question)
        question_caption.setAlignment(Qt.AlignmentFlag.AlignTop)
        question = QHBoxLayout()
        question.addWidget(question_caption)
        question.addWidget(self.question, 1)
        controls = QHBoxLayout()
        for index, (chooser, label) in enumerate(zip(self.k_choosers, (self.tr("Left: k ="), self.tr("Right: k =")))):
            caption = QLabel(label)
            caption.setBuddy(chooser)
            chooser.setAccessibleName(label)
            if index:
                controls.addSpacing(24)
            controls.addWidget(caption)
            controls.addWidget(chooser)
        controls.addSpacing(24)
        controls.addWidget(self.run_button)
        controls.addWidget(self.stop_button)
        controls.addSpacing(12)
        controls.addWidget(self.status, 1)
        sides = QHBoxLayout()
        sides.setSpacing(16)
        for column in self.columns:
            sides.addWidget(column, 1)
        heading = QHBoxLayout()
        heading.addWidget(self._title)
        heading.addSpacing(16)
        heading.addWidget(self._model, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(heading)
        layout.addWidget(self._explanation)
        layout.addLayout(question)
        layout.addLayout(controls)
        layout.addWidget(self.warning)
        layout.addLayout(sides, 1)
        layout.addWidget(self.summary)

    def sizeHint(self) -> QSize:
        return QSize(1200, 760)

    # --- what to compare ------------------------------------------------------------------------------

    def set_model(self, info: ModelInfo | None, n_ctx: int) -> None:
        """The model loaded in the window (with its own k) and its context; ignored while a run loads the
        model with other k."""
        if self.run.running:
            return
        self.info, self._n_ctx = info, n_ctx
        self._model.setText(self.tr("Model: {name}").format(name=model_display_name(info)) if info is not None else "")
        if info is not None and info.is_moe:
            own = info.n_experts_used
            other = min(2 * own, info.n_experts)
            for chooser, k in zip(self.k_choosers, (own, other if other != own else 1)):
                chooser.blockSignals(True)
                chooser.setRange(1, info.n_experts)
                chooser.setValue(k)
                chooser.setSuffix(self.tr(" of {n}").format(n=info.n_experts))
                chooser.blockSignals(False)
            self._reset_columns()
        self.summary.hide()
        self.status.setText("")
        self._update_controls()

    def set_request(self, request: protocol.Generate) -> None:
        """The chat's request for its last question: the question box starts with that question; the run
        sends the conversation before it with the question as edited, and the request's settings."""
        self._request = request
        last = next((m.content for m in reversed(request.messages or ()) if m.role == protocol.USER), "")
        self.question.setPlainText(last)

    def set_engine_busy(self, busy: bool) -> None:
        """The engine loads or answers (for the window, or for this run): no Run meanwhile."""
        self._engine_busy = busy
        self._update_controls()

    def comparison_request(self) -> protocol.Generate:
        """The request both sides answer: the conversation up to its last question, then the question as
        edited here, with the chat's settings."""
        messages = list(self._request.messages or ())
        last = max((i for i, m in enumerate(messages) if m.role == protocol.USER), default=len(messages))
        question = protocol.ChatMessage(protocol.USER, self.question.toPlainText().strip())
        return dataclasses.replace(self._request, prompt=None, messages=(*messages[:last], question))

    def blocked_reason(self) -> str:
        """Why Run is not offered, in words; "" when it is."""
        info = self.info
        if info is None:
            return self.tr("Load a Mixture-of-Experts model first.")
        if not info.is_moe:
            return self.tr("“{name}” is a dense model: it has no experts to choose from.").format(name=model_display_name(info))
        if not override_honoured(info.architecture):
            return self.tr(
                "llama.cpp ignores the experts-per-token setting for the “{arch}” architecture: both answers would "
                "use the model’s own {k} experts, so there is nothing to compare.").format(
                arch=info.architecture, k=info.n_experts_used)
        if self._engine_busy and not self.run.running:
            return self.tr("The engine is busy; Run is offered once it is free.")
        if not self.question.toPlainText().strip():
            return self.tr("Type a question to answer twice.")
        return ""

    # --- running ----------------------------------------------------------------------------------------

    def start(self) -> None:
        if self.run.running or self.blocked_reason():
            return
        ks = (self.k_choosers[0].value(), self.k_choosers[1].value())
        self._reset_columns()
        self.summary.hide()
        self._run_words = ""
        self._show_warning("")
        if self.run.start(self.info, self._n_ctx, self.comparison_request(), ks):
            self._refresh.start()
        self._update_controls()

    def _reset_columns(self) -> None:
        for column, chooser in zip(self.columns, self.k_choosers):
            column.set_k(chooser.value(), self.info)

    def _on_k_changed(self) -> None:
        if not self.run.running and self.info is not None:
            self._reset_columns()
            self.summary.hide()

    def _on_phase(self) -> None:
        run, info = self.run, self.info
        if run.current is not None:
            k = run.sides[run.current].k
            texts = {LOADING: self.tr("Loading the model with {k} experts per token…"),
                     ANSWERING: self.tr("Answering with {k} experts per token…")}
            self.status.setText(texts.get(run.phase, "").format(k=k))
        elif run.phase == RESTORING:
            self.status.setText(self.tr("Giving the model back its own {k} experts per token…").format(
                k=info.n_experts_used))
        self._show_sides()
        self._update_controls()

    def _on_ended(self, outcome: str) -> None:
        self._refresh.stop()
        self._show_sides()
        own = self.info.n_experts_used
        words = {
            DONE: self.tr("Done. The model is back at its own {k} experts per token."),
            STOPPED: self.tr("Stopped. The model is back at its own {k} experts per token."),
        }
        self._engine_busy = False  # the run's last load is in: the worker's busyChanged(False) follows
        self.status.setText("" if outcome == FAILED else words[outcome].format(k=own))
        self._run_words = "\n".join(part for part in (self.run.problem, self.run.notice) if part)
        self._show_summary()
        self._update_controls()

    def _show_warning(self, text: str) -> None:
        self.warning.setText(text)
        self.warning.setVisible(bool(text))

    def _show_sides(self) -> None:
        """Redraw both sides from the run; the heatmaps share one colour scale, so they can be compared."""
        sides = self.run.sides
        if not sides or self.info is None:
            return
        shares = [self._shares(side) for side in sides]
        top = max((float(s.max(initial=0.0)) for s in shares if s is not None), default=0.0)
        maximum = nice_maximum(top) if top > 0 else 1.0
        for column, side, share in zip(self.columns, sides, shares):
            column.show_side(side, self.info.n_experts_used)
            column.set_shares(share, maximum)

    @staticmethod
    def _shares(side: Side) -> np.ndarray | None:
        timeline = side.timeline
        if timeline is None or timeline.first_answer is None or timeline.k != side.routed_k:
            return None
        lo, hi = timeline.answer_range()
        return timeline.range_share(lo, hi)

    def _show_summary(self) -> None:
        """Right against left: how fast, and how many parameters worked on each token."""
        left, right = self.run.sides
        done = all(side.finished is not None and side.finished.answer_tokens and side.info is not None
                   for side in (left, right))
        self.summary.setVisible(bool(done))
        if not done:
            return
        speed = right.finished.tokens_per_s / left.finished.tokens_per_s if left.finished.tokens_per_s else 0.0
        active = right.info.active_params / left.info.active_params if left.info.active_params else 0.0
        self.summary.setText(self.tr(
            "k = {right} against k = {left}: {speed}× the speed ({right_rate} against {left_rate} tokens/s), with "
            "{active}× the active parameters ({right_active} against {left_active})."
        ).format(right=right.k, left=left.k, speed=format_decimal(speed, 2),
                 right_rate=format_decimal(right.finished.tokens_per_s),
                 left_rate=format_decimal(left.finished.tokens_per_s), active=format_decimal(active, 2),
                 right_active=format_count(right.info.active_params),
                 left_active=format_count(left.info.active_params)))

    def _update_controls(self) -> None:
        running = self.run.running
        reason = self.blocked_reason()
        self.run_button.setEnabled(not running and not reason)
        self.stop_button.setEnabled(running and self.run.phase in (LOADING, ANSWERING))
        for chooser in self.k_choosers:
            chooser.setEnabled(not running and self.info is not None and self.info.is_moe
                               and override_honoured(self.info.architecture))
        self.question.setReadOnly(running)
        if not running:
            self._show_warning("\n".join(text for text in (self._run_words, reason) if text))

    # --- looks --------------------------------------------------------------------------------------------

    def set_presentation(self, on: bool) -> None:
        """Dark, high-contrast, large type for projectors (the heatmap's presentation colours), or normal."""
        self.presentation = on
        self.setStyleSheet(_style(on))
        self.question.ensurePolished()
        self.question.setFixedHeight(self.question.fontMetrics().lineSpacing() * 2 + 20)
        for column in self.columns:
            column.heatmap.set_presentation(on)

    def restyle(self) -> None:
        """The window's theme changed: its colours again."""
        self.set_presentation(self.presentation)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        """Closing ends a run early (the model still gets its own k back); the dialog only hides."""
        self.run.stop()
        super().closeEvent(event)
