"""ExpertsPane: which experts the router of a Mixture-of-Experts model picks, token by token, live or
replayed from a stored answer, as a heatmap, as the router diagram, or as the numbers a speaker says.

Longer than 500 lines because the pane is the one place where the live answer, a kept answer, the replay
and the three views meet: splitting it would spread one selection's path over several modules."""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.chat.model import RoutingTrace
from app.core.engine import protocol
from app.core.models.gguf import ModelInfo
from app.core.talks.timeline import Timeline
from app.ui.experts import model_words
from app.ui.experts.colormap import nice_maximum
from app.ui.experts.fitting import ElidedLabel, FitLayout, FitRow, ShownPageStack
from app.ui.experts.heatmap import ExpertHeatmap
from app.ui.experts.replay_bar import ReplayBar, ReplayController, position_text
from app.ui.experts.router_diagram import RouterDiagram
from app.ui.experts.talk_figures import TalkFigures
from app.ui.experts.token_names import range_name
from app.ui.experts.token_strip import TokenStrip
from app.ui.experts.view_controls import MODES, VIEWS, ViewControls
from app.ui.formatting import visible_token
from app.ui.theme import PROJECTOR, switcher

FLUSH_BUDGET_S = 0.008
_FLUSH_CHUNK = 64

_PRESENTATION_STYLE = PROJECTOR.fill("""
ExpertsPane, ExpertsPane QWidget#moePage, ExpertsPane QWidget#textPage { background: $window; }
ExpertsPane QLabel { color: $text; font-size: 16pt; }
ExpertsPane QLabel#caption, ExpertsPane QLabel#note { color: $detail; font-size: 15pt; }
ExpertsPane QLabel#activeLine { font-size: 20pt; font-weight: bold; }
ExpertsPane QLabel#explanation { font-size: 20pt; }
ExpertsPane QLabel#bigToken {
    font-size: 54pt; background: $strong; color: $strong_text; border-radius: 10px; padding: 8px 28px;
}
ExpertsPane QPushButton { background: $button; color: $text; border: 1px solid $button_border; font-size: 15pt; }
ExpertsPane QPushButton#segment:checked { background: $strong; color: $strong_text; border-color: $strong; }
ExpertsPane QComboBox { background: $button; color: $text; font-size: 15pt; }
""")


def _diagram_gating(gating: str) -> str:
    """The router diagram's two kinds: scores that sum to 1, or each on its own."""
    return "sigmoid" if gating in ("sigmoid", "sqrt_softplus") else "softmax"


class ExpertsPane(QWidget):
    """The expert view: token strip, replay, current token, and the heatmap, router diagram or numbers.

    Live, token events only queue data here; ``flush()`` (called by the window's refresh timer) moves them
    into the answer's Timeline within a time budget and updates the views once. ``show_trace`` shows a
    stored answer instead, to select in and replay.

    Signals:
        layoutChanged: the view, mode, colour layer or diagram layer was changed by the user (the window
            keeps these choices for the next start).

    Attributes:
        info: the loaded model, or None.
        timeline: the tokens shown (the live answer's or a stored one's), or None.
        mode: ``"token"`` (the selected token's routing) or ``"answer"`` (each expert's share of the
            routing weight over the answer up to the selected token). A selected range always shows
            the share over the range.
        view: which of VIEWS is up.
        showing: ``"nothing"`` (no model), ``"dense"`` (the explanation) or ``"moe"``.
        stored: whether the timeline is a stored answer's (not the live one).
        presentation: whether the dark, large presentation style is on.
        heatmap, diagram, figures, strip, replay: the parts.
    """

    layoutChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.info: ModelInfo | None = None
        self.timeline: Timeline | None = None
        self.mode = "token"
        self.view = "heatmap"
        self.showing = "nothing"
        self.stored = False
        self.presentation = False
        self._pending: list[protocol.Token] = []
        self._pending_start = 0
        self._dirty = False
        self._taking_in = False

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
        self._moe_page.setObjectName("moePage")
        self._build_moe_page()
        for page in (self._empty_page, self._dense_page, self._moe_page):
            self._stack.addWidget(page)
        scroll = QScrollArea()  # on a small screen the view scrolls instead of pushing the window wider
        fitted = QWidget()
        FitLayout(fitted, self._stack)
        scroll.setWidget(fitted)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the controls inside; they scroll into view
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(scroll)
        self.replay.install_keys(self._moe_page)
        switcher().changed.connect(self.restyle)

    # --- building --------------------------------------------------------------------------------

    def _text_page(self, text: str) -> QWidget:
        return self._text_page_for(QLabel(text))

    @staticmethod
    def _text_page_for(label: QLabel) -> QWidget:
        label.setWordWrap(True)
        label.setObjectName("explanation")
        label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        page = QWidget()
        page.setObjectName("textPage")
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
        separator = QFrame()
        separator.setFrameShape(QFrame.Shape.HLine)
        separator.setFrameShadow(QFrame.Shadow.Sunken)

        self.strip = TokenStrip()
        self.strip.setMinimumHeight(110)
        self.strip.selectionChanged.connect(self._on_selection)
        self.replay = ReplayController(self.strip, self)
        self.replay_bar = ReplayBar(self.replay)
        self.replay_bar.position_label.hide()  # the current token's caption says it: one row less in a narrow dock
        self.controls = ViewControls()
        self.controls.colour_box.currentIndexChanged.connect(self._on_colour_layer)
        self.controls.modes.chosen.connect(self._on_mode_chosen)
        self.controls.views.chosen.connect(self._on_view_chosen)

        self._token_caption = QLabel(self.tr("Current token"))
        self._token_caption.setObjectName("caption")
        self._token_caption.setWordWrap(True)
        self._token_label = ElidedLabel("–")  # a long token ends in "…" in a narrow dock
        self._token_label.setObjectName("bigToken")
        self._token_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._token_label.setMinimumWidth(140)
        token_row = FitRow([self._token_label, self._token_caption], stretch=1)

        self.heatmap = ExpertHeatmap()
        self.diagram = RouterDiagram()
        self.diagram.layer_changed.connect(self._on_diagram_layer)
        self.figures = TalkFigures()
        self._views = ShownPageStack([self.heatmap, self.diagram, self.figures], painted=[self.diagram])
        self._legend_line = QLabel()
        self._legend_line.setWordWrap(True)
        self._legend_line.setObjectName("note")
        self.heatmap.detailsChanged.connect(self._legend_line.setToolTip)

        layout = QVBoxLayout(self._moe_page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._active_line)
        layout.addWidget(self._router_line)
        layout.addWidget(self._note_line)
        layout.addWidget(separator)
        layout.addLayout(self.controls.view_row)
        layout.addWidget(self.controls.colour_row)
        layout.addWidget(self.strip)
        layout.addWidget(self.replay_bar)
        layout.addWidget(token_row)
        layout.addWidget(self.controls.mode_bar)
        layout.addWidget(self._views, 1)
        layout.addWidget(self._legend_line)

    # --- the model -------------------------------------------------------------------------------

    def set_model(self, info: ModelInfo | None) -> None:
        """Show the view that fits the model: nothing loaded, dense explanation, or the expert view."""
        self.info = info
        self.figures.set_model(info)
        if info is None:
            self._set_timeline(None, stored=False)
            self._show("nothing")
            return
        if not info.is_moe:
            self._set_timeline(None, stored=False)
            self._dense_text.setText(model_words.dense_text(info))
            self._show("dense")
            return
        layers = list(info.moe_layers)
        self.heatmap.set_shape(layers, info.n_experts, info.n_shared_experts)
        dense = [layer for layer in range(info.n_layers) if layer not in info.moe_layers]
        self.diagram.blockSignals(True)  # its first layer is no choice of the user's (layoutChanged)
        self.diagram.set_model(info.n_experts, info.n_experts_used, info.n_shared_experts,
                               _diagram_gating(info.gating), layers, dense)
        self.diagram.blockSignals(False)
        self.controls.set_layers(layers)
        self.strip.set_colour_layer(None)
        self._describe_model(info)
        self.begin_answer()
        self._show("moe")

    def _describe_model(self, info: ModelInfo) -> None:
        self._active_line.setText(model_words.active_line(info))
        self._router_line.setText(model_words.router_line(info))
        notes = model_words.notes(info)
        self._note_line.setText("\n".join(notes))
        self._note_line.setVisible(bool(notes))

    def _show(self, view: str) -> None:
        self.showing = view
        self._stack.setCurrentWidget(
            {"nothing": self._empty_page, "dense": self._dense_page, "moe": self._moe_page}[view]
        )

    # --- the live answer -------------------------------------------------------------------------

    @property
    def answer_tokens(self) -> int:
        """Answer tokens taken into the view so far."""
        return self.timeline.answer_count if self.timeline is not None else 0

    def begin_answer(self) -> None:
        """Start a new live answer: an empty timeline that the answer's tokens fill."""
        info = self.info
        if info is None or not info.is_moe:
            return
        self._set_timeline(Timeline(info.moe_layers, info.n_experts_used, info.n_experts), stored=False)

    def _set_timeline(self, timeline: Timeline | None, stored: bool) -> None:
        if self.timeline is not None and self.timeline.replay.playing:
            self.replay.pause()
        self._pending.clear()
        self._pending_start = 0
        self.timeline = timeline
        self.stored = stored
        self.strip.set_timeline(timeline)
        self.replay_bar.show_state()
        self.controls.source_label.setText(self.tr("A kept answer: select a token, or replay it") if stored
                                           else self.tr("The answer being written"))
        self._dirty = True
        self._show_selection(animate=False)

    def add_prompt_routing(self, tokens: tuple[protocol.Token, ...]) -> None:
        """The prompt's tokens with their routing, before the answer's."""
        self._take_live(tokens)

    def add_token(self, token: protocol.Token) -> None:
        """One answer token; cheap, so that any token rate can be taken."""
        self._take_live((token,))

    def _take_live(self, tokens) -> None:
        if self.stored:  # a kept answer is on show: the live one starts over in the view
            self.begin_answer()
        if self.timeline is None:  # a dense model (or none): no routing to show, nothing to keep
            return
        self._pending.extend(tokens)
        self._dirty = True

    def finish_answer(self, stats: protocol.Finished) -> None:
        """The live answer ended: its own token rate is what a replay runs at."""
        if self.timeline is not None and not self.stored:
            self.timeline.set_tokens_per_s(stats.tokens_per_s)
            self.controls.source_label.setText(self.tr("The last answer: select a token, or replay it"))

    @property
    def has_pending(self) -> bool:
        """Whether tokens are still waiting to be taken into the view (a burst larger than one flush)."""
        return self._pending_start < len(self._pending)

    def flush(self) -> bool:
        """Take in the tokens gathered since the last call, within FLUSH_BUDGET_S (the rest waits for the
        next call, see ``has_pending``), and update the views once; returns whether anything changed."""
        if not self._dirty or self.showing != "moe" or self.timeline is None:
            return False
        deadline = time.perf_counter() + FLUSH_BUDGET_S
        now = time.monotonic()
        while self.has_pending and time.perf_counter() < deadline:
            chunk = self._pending[self._pending_start : self._pending_start + _FLUSH_CHUNK]
            self.timeline.append(chunk, at=now)
            self._pending_start += len(chunk)
        if not self.has_pending:
            self._pending.clear()
            self._pending_start = 0
        self._dirty = self.has_pending
        self._taking_in = True  # the strip follows the newest token: shown once below, animated as live
        self.strip.tokens_added()
        self._taking_in = False
        self._show_selection(animate=True)
        return True

    # --- a kept answer ---------------------------------------------------------------------------

    def show_trace(self, trace: RoutingTrace, tokens_per_s: float | None) -> bool:
        """Show a stored answer's routing to select in and replay; False (nothing changes) when the loaded
        model is not the one it was routed by (other layers or experts)."""
        info = self.info
        if info is None or not info.is_moe or tuple(trace.layers.tolist()) != tuple(info.moe_layers) \
                or trace.experts.shape[2] != info.n_experts_used:
            return False
        timeline = Timeline.from_trace(trace, info.n_experts, tokens_per_s)
        self._set_timeline(timeline, stored=True)
        if len(timeline):
            self.strip.select(timeline.first_answer if timeline.first_answer is not None else 0)
        return True

    def show_like(self, other: ExpertsPane) -> None:
        """Show what ``other`` shows (its model, tokens, selection, view and choices): for pictures of the
        view at another size. The timeline is shared, not copied."""
        self.set_model(other.info)
        if other.timeline is not None:
            self._set_timeline(other.timeline, other.stored)
        self.set_view(other.view)
        self.set_mode(other.mode)
        self.set_colour_layer(other.colour_layer)
        if other.diagram.layer is not None:
            self.set_diagram_layer(other.diagram.layer)
        self.strip.sync_selection()
        self._show_selection(animate=False)

    def choices(self) -> dict:
        """The user's choices in the view, to keep for the next start (see ``apply_choices``)."""
        return {"view": self.view, "mode": self.mode, "colour_layer": self.colour_layer,
                "diagram_layer": self.diagram.layer}

    def apply_choices(self, choices: dict) -> None:
        """Choices kept from before; those the loaded model cannot take (a layer it lacks) are left out."""
        self.set_view(choices.get("view", self.view))
        self.set_mode(choices.get("mode", self.mode))
        layer = choices.get("colour_layer")
        if isinstance(layer, int) or layer is None:
            self.set_colour_layer(layer)
        layer = choices.get("diagram_layer")
        if isinstance(layer, int):
            self.set_diagram_layer(layer)

    # --- what the views show ---------------------------------------------------------------------

    def _on_selection(self, _lo: int, _hi: int) -> None:
        if not self._taking_in:
            self._show_selection(animate=self.replay.playing)

    def _show_selection(self, animate: bool) -> None:
        timeline = self.timeline
        if self.info is None or not self.info.is_moe:
            return
        cursor = timeline.cursor if timeline is not None else -1
        if cursor < 0:
            self._token_label.setText("–")
            self._token_label.setToolTip("")
            self._token_caption.setText(self.tr("Current token"))
            self.heatmap.set_values(np.zeros((len(self.info.moe_layers), self.info.n_experts)), 1.0, False,
                                    self.tr("Gate weight"))
            self._legend_line.setText(self.tr("The tokens of the next answer appear here as they are written."))
            self.figures.show_figures(None)
            return
        text = visible_token(timeline.texts[cursor])
        self._token_label.setText(text or "–")
        self._token_label.setToolTip("" if text else self.tr(
            "This token has no visible text of its own, for example part of a character made of several tokens."))
        self._token_caption.setText(position_text(timeline, cursor))
        self._show_heatmap(timeline, cursor)
        if self.view == "router":
            self._show_diagram(animate)
        elif self.view == "numbers":
            self.figures.show_figures(timeline, self.strip.colour_layer or self.diagram.layer)

    def _show_heatmap(self, timeline: Timeline, cursor: int) -> None:
        if not timeline.weights_reported:
            self._show_choices(timeline, cursor)
        elif timeline.is_range:
            lo, hi = timeline.selection
            shares = timeline.range_share(lo, hi)
            self.heatmap.set_values(shares, nice_maximum(float(shares.max(initial=0.0))), True,
                                    self.tr("Share of weight"))
            self._legend_line.setText(self.tr(
                "{tokens}: the share of each layer’s routing weight that went to each expert. Grey: never chosen."
            ).format(tokens=range_name(timeline, lo, hi)))
        elif self.mode == "token":
            values = timeline.token_weights(cursor)
            self.heatmap.set_values(values, nice_maximum(max(1.0, float(values.max(initial=0.0)))), False,
                                    self.tr("Gate weight"))
            self._legend_line.setText(self.tr(
                "Coloured cells: the experts the router chose for this token. The colour (and the number, where "
                "there is room) is the expert’s gate weight — how much its result counts. Grey: not chosen."))
        else:
            first = timeline.first_answer if timeline.first_answer is not None and cursor >= timeline.first_answer \
                else 0
            shares = timeline.range_share(first, cursor)
            self.heatmap.set_values(shares, nice_maximum(float(shares.max(initial=0.0))), True,
                                    self.tr("Share of weight"))
            self._legend_line.setText(self.tr(
                "Over {tokens}: the share of each layer’s routing weight that went to each expert. Grey: never "
                "chosen.").format(tokens=range_name(timeline, first, cursor)))

    def _show_choices(self, timeline: Timeline, cursor: int) -> None:
        """The heatmap for an engine that reports which experts were chosen, not their weights: one token's
        choices in one colour, a range's (or the answer's) as each expert's share of its layer's choices."""
        unweighed = self.tr("This engine reports which experts were chosen, not their weights.")
        if self.mode == "token" and not timeline.is_range:
            chosen = (timeline.token_weights(cursor) > 0).astype(float)
            self.heatmap.set_values(chosen, 1.0, False, self.tr("Chosen"), weights_reported=False)
            self._legend_line.setText(self.tr(
                "Coloured cells: the experts the router chose for this token. {unweighed} Grey: not chosen."
            ).format(unweighed=unweighed))
            return
        first = timeline.first_answer if timeline.first_answer is not None and cursor >= timeline.first_answer else 0
        lo, hi = timeline.selection if timeline.is_range else (first, cursor)
        shares = timeline.range_share(lo, hi)  # each chosen expert weighs 1/k: shares of the choices
        self.heatmap.set_values(shares, nice_maximum(float(shares.max(initial=0.0))), True,
                                self.tr("Share of choices"), weights_reported=False)
        self._legend_line.setText(self.tr(
            "{tokens}: how often each expert was chosen, as a share of its layer’s choices. {unweighed} Grey: "
            "never chosen.").format(tokens=range_name(timeline, lo, hi), unweighed=unweighed))

    def _show_diagram(self, animate: bool) -> None:
        timeline, layer = self.timeline, self.diagram.layer
        if timeline is None or timeline.cursor < 0 or layer is None:
            return
        cursor = timeline.cursor
        if layer not in timeline.layers:  # a dense layer: the diagram draws it without routing
            self.diagram.set_token(timeline.texts[cursor], None, np.zeros(0, np.int32), np.zeros(0, np.float32),
                                   animate)
            return
        row = timeline.row_of(layer)
        scores = timeline.scores(cursor, layer) if self.info.gating != "logits" else None
        weights = timeline.weights[cursor, row] if timeline.weights_reported else None
        self.diagram.set_token(timeline.texts[cursor], scores, timeline.experts[cursor, row], weights, animate)

    # --- the user's choices ----------------------------------------------------------------------

    def _on_mode_chosen(self, mode: str) -> None:
        self.set_mode(mode)
        self.layoutChanged.emit()

    def set_mode(self, mode: str) -> None:
        if mode not in MODES:
            return
        self.mode = mode
        self.controls.modes.check(mode)
        self._show_selection(animate=False)

    def _on_view_chosen(self, view: str) -> None:
        self.set_view(view)
        self.layoutChanged.emit()

    def set_view(self, view: str) -> None:
        """Show the heatmap, the router diagram or the numbers."""
        if view not in VIEWS:
            return
        self.view = view
        self.controls.views.check(view)
        self._views.setCurrentIndex(VIEWS.index(view))
        self.controls.mode_bar.setVisible(view == "heatmap")
        self._legend_line.setVisible(view == "heatmap")
        self._show_selection(animate=False)

    def _on_colour_layer(self, index: int) -> None:
        self.strip.set_colour_layer(self.controls.colour_box.itemData(index))
        if self.view == "numbers":
            self._show_selection(animate=False)
        self.layoutChanged.emit()

    def set_colour_layer(self, layer: int | None) -> None:
        """Colour the token chips by their top expert in ``layer`` (None: plain), if the model has it."""
        box = self.controls.colour_box
        index = box.findData(layer) if layer is not None else 0
        if index >= 0:
            box.setCurrentIndex(index)

    @property
    def colour_layer(self) -> int | None:
        return self.strip.colour_layer

    def _on_diagram_layer(self, _layer: int) -> None:
        self._show_diagram(animate=False)
        self.layoutChanged.emit()

    def set_diagram_layer(self, layer: int) -> None:
        if layer in self.diagram.layers or layer in self.diagram.dense_layers:
            self.diagram.set_layer(layer)

    def restyle(self) -> None:
        """The window's theme changed: every part takes its colours again (presentation keeps its own)."""
        self.set_presentation(self.presentation)

    def set_presentation(self, on: bool) -> None:
        """The dark, high-contrast style with large type for projectors, or the window theme's."""
        self.presentation = on
        self.setStyleSheet(_PRESENTATION_STYLE if on else "")
        self.setAutoFillBackground(on)
        for part in (self.heatmap, self.diagram, self.figures, self.strip, self.replay_bar):
            part.set_presentation(on)
        self.strip.setMinimumHeight(170 if on else 110)
        self._router_line.setVisible(not on)  # on a projector: the numbers and the pictures, not the fine print
        self._note_line.setVisible(not on and bool(self._note_line.text()))
