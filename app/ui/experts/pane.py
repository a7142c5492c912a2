"""ExpertsPane: which experts the router of a Mixture-of-Experts model picks, token by token."""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.engine import protocol
from app.core.engine.protocol import Routing
from app.core.models.demo import is_demo_model
from app.core.models.gguf import ModelInfo
from app.ui.formatting import format_count, format_percent, visible_token
from app.ui.experts.heatmap import ExpertHeatmap

FLUSH_BUDGET_S = 0.008
_FLUSH_CHUNK = 64
# tops of the colour scale whose quarters are round numbers (legend ticks at 0, ¼, ½, ¾, 1)
_NICE_MAXIMA = (0.02, 0.04, 0.08, 0.12, 0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.6, 2.0, 2.4, 3.2, 4.0)


def _nice_maximum(value: float) -> float:
    return next((nice for nice in _NICE_MAXIMA if nice >= value), float(np.ceil(value)))


class ExpertsPane(QWidget):
    """The expert view: heatmap, current token, active parameters, or words for a dense model.

    Token events only store data here; ``flush()`` (called by the window's refresh timer at most
    ~60 times a second) turns the newest data into labels and one heatmap repaint.

    Attributes:
        info: the loaded model, or None.
        mode: ``"token"`` (the newest token's routing) or ``"answer"`` (share of routing weight
            per expert over the answer so far).
        answer_tokens: answer tokens counted into the "whole answer" view.
        showing: which view is up: ``"nothing"`` (no model), ``"dense"`` (the explanation) or ``"moe"``.
        heatmap: the ExpertHeatmap.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.info: ModelInfo | None = None
        self.mode = "token"
        self.answer_tokens = 0
        self._first_answer_pos: int | None = None
        self.showing = "nothing"
        self._row_of: dict[int, int] = {}
        self._layers: tuple[int, ...] = ()
        self._totals = np.zeros((0, 0))
        self._pending_routing: list[Routing] = []
        self._pending_start = 0
        self._latest: protocol.Token | None = None
        self._dirty = False

        self._stack = QStackedWidget()
        self._empty_page = self._text_page(
            self.tr(
                "No model loaded yet.\n\nLoad a model in the Model library to see which experts "
                "work on each word the model reads and writes."
            )
        )
        self._dense_text = QLabel()
        self._dense_page = self._text_page_for(self._dense_text)
        self._moe_page = QWidget()
        self._build_moe_page()
        for page in (self._empty_page, self._dense_page, self._moe_page):
            self._stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self._stack)

    def _text_page(self, text: str) -> QWidget:
        label = QLabel(text)
        return self._text_page_for(label)

    @staticmethod
    def _text_page_for(label: QLabel) -> QWidget:
        label.setWordWrap(True)
        label.setObjectName("explanation")
        label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(label)
        layout.addStretch(1)
        return page

    def _build_moe_page(self) -> None:
        self._router_line = QLabel()
        self._router_line.setWordWrap(True)
        self._active_line = QLabel()
        self._active_line.setObjectName("activeLine")
        self._active_line.setWordWrap(True)
        self._note_line = QLabel()
        self._note_line.setWordWrap(True)
        self._note_line.setObjectName("note")

        self._token_caption = QLabel(self.tr("Current token"))
        self._token_caption.setObjectName("caption")
        self._token_label = QLabel("–")
        self._token_label.setObjectName("bigToken")
        self._token_label.setTextFormat(Qt.TextFormat.PlainText)
        self._token_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._token_label.setMinimumWidth(140)

        self._token_button = QPushButton(self.tr("This token"))
        self._answer_button = QPushButton(self.tr("Whole answer"))
        self._token_button.setToolTip(
            self.tr("Experts the router picked for the newest token, with their gate weights")
        )
        self._answer_button.setToolTip(
            self.tr("Share of the routing weight each expert received over the answer so far")
        )
        self._mode_group = QButtonGroup(self)
        for button in (self._token_button, self._answer_button):
            button.setCheckable(True)
            button.setObjectName("segment")
            self._mode_group.addButton(button)
        self._token_button.setChecked(True)
        self._mode_group.buttonClicked.connect(self._on_mode_clicked)
        show_caption = QLabel(self.tr("Show"))
        show_caption.setObjectName("caption")
        toggle = QHBoxLayout()
        toggle.setSpacing(0)
        toggle.addWidget(self._token_button)
        toggle.addWidget(self._answer_button)

        token_row = QHBoxLayout()
        token_row.addWidget(self._token_label)
        token_row.addStretch(1)
        mode_row = QHBoxLayout()
        mode_row.addWidget(show_caption)
        mode_row.addLayout(toggle)
        mode_row.addStretch(1)

        self.heatmap = ExpertHeatmap()
        self._legend_line = QLabel()
        self._legend_line.setWordWrap(True)
        self._legend_line.setObjectName("note")

        separator = QFrame()
        separator.setFrameShape(QFrame.Shape.HLine)
        separator.setFrameShadow(QFrame.Shadow.Sunken)

        layout = QVBoxLayout(self._moe_page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._active_line)
        layout.addWidget(self._router_line)
        layout.addWidget(self._note_line)
        layout.addWidget(separator)
        layout.addWidget(self._token_caption)
        layout.addLayout(token_row)
        layout.addLayout(mode_row)
        layout.addWidget(self.heatmap, 1)
        layout.addWidget(self._legend_line)

    def set_model(self, info: ModelInfo | None) -> None:
        """Show the view that fits the model: nothing loaded, dense explanation, or the heatmap."""
        self.info = info
        self._latest = None
        if info is None:
            self._show("nothing")
            return
        if not info.is_moe:
            self._dense_text.setText(
                self.tr(
                    "“{name}” is a dense model.\n\n"
                    "In a dense model every parameter works on every token: there is no router and there "
                    "are no experts to choose from, so there is nothing to show here.\n\n"
                    "Active now: all {total} parameters (100 %).\n\n"
                    "Load a Mixture-of-Experts (MoE) model to watch its router pick experts token by token."
                ).format(name=info.name, total=format_count(info.total_params))
            )
            self._show("dense")
            return
        layers = list(info.moe_layers)
        self._layers = tuple(layers)
        self._row_of = {layer: row for row, layer in enumerate(layers)}
        self.begin_answer()
        self.heatmap.set_shape(layers, info.n_experts, info.n_shared_experts)
        self._active_line.setText(
            self.tr("Active now: {active} of {total} parameters ({share})").format(
                active=format_count(info.active_params),
                total=format_count(info.total_params),
                share=format_percent(info.active_share),
            )
        )
        self._router_line.setText(
            self.tr(
                "For every token the router picks {k} of {n} experts in each of the {layers} MoE layers."
            ).format(k=info.n_experts_used, n=info.n_experts, layers=len(layers))
        )
        notes = []
        if info.n_shared_experts == 1:
            notes.append(
                self.tr(
                    "Plus 1 shared expert per layer that works on every token (always on: the hatched column “S”)."
                )
            )
        elif info.n_shared_experts > 1:
            notes.append(
                self.tr(
                    "Plus {count} shared experts per layer that work on every token (always on: the hatched "
                    "columns “S”)."
                ).format(count=info.n_shared_experts)
            )
        if info.n_dense_leading == 1:
            notes.append(self.tr("The first layer has no experts (dense)."))
        elif info.n_dense_leading > 1:
            notes.append(
                self.tr("The first {count} layers have no experts (dense).").format(
                    count=info.n_dense_leading
                )
            )
        if is_demo_model(info):
            notes.append(
                self.tr(
                    "Demo model with random weights: its text is gibberish, the routing mechanics are real."
                )
            )
        self._note_line.setText("\n".join(notes))
        self._note_line.setVisible(bool(notes))
        self._token_label.setText("–")
        self._token_caption.setText(self.tr("Current token"))
        self._dirty = True
        self.flush()
        self._show("moe")

    def _show(self, view: str) -> None:
        self.showing = view
        self._stack.setCurrentWidget(
            {"nothing": self._empty_page, "dense": self._dense_page, "moe": self._moe_page}[view]
        )

    def begin_answer(self) -> None:
        """Start a new answer: the "whole answer" view starts from zero."""
        self._pending_routing.clear()
        self._pending_start = 0
        n_experts = self.info.n_experts if self.info is not None else 0
        self._totals = np.zeros((len(self._row_of), n_experts))
        self.answer_tokens = 0
        self._first_answer_pos = None
        self._dirty = True

    def add_prompt_routing(self, tokens: tuple[protocol.Token, ...]) -> None:
        """The routing of the prompt: shown as the current token until the answer begins."""
        if tokens:
            self._latest = tokens[-1]
            self._dirty = True

    def add_token(self, token: protocol.Token) -> None:
        """One answer token; cheap, so that any token rate can be taken."""
        self._latest = token
        if token.routing:
            self._pending_routing.append(token.routing)
        self._dirty = True

    def _accumulate(self, routing: Routing, target: np.ndarray) -> None:
        """Add the routing's gate weights to ``target`` (rows: the model's MoE layers, columns: experts);
        layers and experts the model does not have are left out."""
        if not routing:
            return
        if routing.layers == self._layers:
            rows = np.arange(len(self._layers))
        else:
            rows = np.array([self._row_of.get(layer, -1) for layer in routing.layers])
        experts = routing.experts
        rows = np.broadcast_to(rows[:, None], experts.shape)
        valid = (rows >= 0) & (experts >= 0) & (experts < target.shape[1])
        np.add.at(target, (rows[valid], experts[valid]), routing.weights[valid])

    @property
    def has_pending(self) -> bool:
        """Whether routing is still waiting to be counted (a burst larger than one flush's budget)."""
        return self._pending_start < len(self._pending_routing)

    def flush(self) -> bool:
        """Apply the data gathered since the last call; returns whether the view changed.

        Counting routing into the "whole answer" totals stops after FLUSH_BUDGET_S; the rest waits
        for the next call (see ``has_pending``), so a burst of tokens never blocks the GUI.
        """
        if not self._dirty or self.info is None or not self.info.is_moe:
            return False
        deadline = time.perf_counter() + FLUSH_BUDGET_S
        while self.has_pending and time.perf_counter() < deadline:
            chunk = self._pending_routing[self._pending_start : self._pending_start + _FLUSH_CHUNK]
            for routing in chunk:
                self._accumulate(routing, self._totals)
            self._pending_start += len(chunk)
            self.answer_tokens += len(chunk)
        if not self.has_pending:
            self._pending_routing.clear()
            self._pending_start = 0
        self._dirty = self.has_pending

        current = np.zeros((len(self._row_of), self.info.n_experts))
        if self._latest is not None:
            self._accumulate(self._latest.routing, current)
            text = visible_token(self._latest.text)
            self._token_label.setText(text or "–")
            no_text = self.tr(
                "This token has no visible text of its own, for example part of a character made of "
                "several tokens."
            )
            self._token_label.setToolTip("" if text else no_text)
            pos = self._latest.pos
            if self._latest.source == protocol.PROMPT:
                caption = self.tr("Prompt token {pos}").format(pos=pos + 1)
            else:
                if self._first_answer_pos is None:
                    self._first_answer_pos = pos
                caption = self.tr("Answer token {n} (position {pos} of the conversation)").format(
                    n=pos - self._first_answer_pos + 1, pos=pos + 1
                )
            self._token_caption.setText(caption)

        if self.mode == "token":
            values = current
            maximum = _nice_maximum(max(1.0, float(values.max(initial=0.0))))
            self.heatmap.set_values(values, maximum, False, self.tr("Gate weight"))
            self._legend_line.setText(
                self.tr(
                    "Coloured cells: the experts the router chose for this token. The colour (and the number, "
                    "where there is room) is the expert’s gate weight — how much its result counts. Grey: not "
                    "chosen."
                )
            )
        else:
            totals = self._totals
            sums = totals.sum(axis=1, keepdims=True)
            shares = np.divide(totals, sums, out=np.zeros_like(totals), where=sums > 0)
            self.heatmap.set_values(
                shares, _nice_maximum(float(shares.max(initial=0.0))), True, self.tr("Share of weight")
            )
            self._legend_line.setText(
                self.tr(
                    "Over the {count} answer tokens so far: the share of each layer’s routing weight that "
                    "went to each expert. Grey: never chosen."
                ).format(count=self.answer_tokens)
            )
        return True

    def _on_mode_clicked(self, button: QPushButton) -> None:
        self.mode = "token" if button is self._token_button else "answer"
        self._dirty = True
        self.flush()
