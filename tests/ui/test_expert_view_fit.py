"""The expert view fits its dock: at 360 px, in English and in German, with an answer on show, there is no
horizontal scroll bar and every label, button, box and the heatmap lies inside the visible width, none
squeezed below its minimum; rows that do not fit side by side go one under the other, and back side by
side where there is room; a long token ends in "…" instead of widening the view."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import QLocale, QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QScrollArea, QWidget

from app.core.engine import protocol
from app.core.models.demo import write_demo_model
from app.core.models.gguf import inspect_gguf
from app.ui.experts.heatmap import ExpertHeatmap
from app.ui.experts.pane import ExpertsPane
from app.ui.i18n import install_translators
from talk_traces import random_trace

LONG_TOKEN = "#" * 40
PROMPT, ANSWER = 14, 48


@pytest.fixture(scope="module")
def info(tmp_path_factory):
    """A DeepSeek-style model: a dense first layer and a shared expert, so the longest notes and legend."""
    folder = tmp_path_factory.mktemp("fit-model")
    model = write_demo_model(folder / "ds.gguf", arch="deepseek2", layers=5, dense_leading=1, experts=16, top_k=2,
                             seed=5)
    return inspect_gguf(model)


@pytest.fixture(params=["en", "de"])
def language(request, qapp):
    """The pane's words in English, then in German (longer words); the German translators are removed after."""
    if request.param == "en":
        yield "en"
        return
    previous = QLocale()
    translators = install_translators(qapp, "de")
    yield "de"
    for translator in translators:
        qapp.removeTranslator(translator)
    QLocale.setDefault(previous)


def answer_tokens(info) -> list[protocol.Token]:
    """A question and an answer routed over the model's MoE layers, as the engine sends them; one answer
    token is very long."""
    trace = random_trace(PROMPT, ANSWER, layers=len(info.moe_layers), experts=info.n_experts,
                         k=info.n_experts_used, seed=4)
    assert trace.layers.tolist() == list(info.moe_layers)
    texts = list(trace.texts)
    texts[PROMPT + 30] = LONG_TOKEN
    trace = dataclasses.replace(trace, texts=tuple(texts))
    layers = tuple(int(layer) for layer in trace.layers)
    return [protocol.Token(int(trace.positions[i]), int(trace.tokens[i]), trace.texts[i], trace.sources[i],
                           protocol.Routing(layers, trace.experts[i].copy(), trace.weights[i].copy()))
            for i in range(len(trace))]


def open_pane(qtbot, info, width: int, presentation: bool = False) -> ExpertsPane:
    """The pane at ``width`` × 800 after a live answer, its last token selected."""
    pane = ExpertsPane()
    qtbot.addWidget(pane)
    pane.set_model(info)
    tokens = answer_tokens(info)
    pane.add_prompt_routing(tuple(tokens[:PROMPT]))
    for token in tokens[PROMPT:]:
        pane.add_token(token)
    while pane.flush() and pane.has_pending:
        pass
    pane.finish_answer(protocol.Finished(prompt_tokens=PROMPT, answer_tokens=ANSWER, ttft_s=0.1, tokens_per_s=40.0,
                                         stop_reason="length"))
    pane.set_presentation(presentation)
    pane.resize(width, 800)
    pane.show()
    qtbot.waitExposed(pane)
    qtbot.wait(50)  # rows rearrange on the layout requests their first sizes post
    return pane


def misfits(pane: ExpertsPane) -> list[str]:
    """The visible labels, buttons, boxes and the heatmap that reach outside the scroll area's viewport
    across, or got less width than their minimum."""
    scroll = pane.findChild(QScrollArea)
    view = scroll.viewport()
    found = []
    for widget in pane.findChildren(QWidget):
        if not isinstance(widget, (QLabel, QAbstractButton, QComboBox, ExpertHeatmap)) or not widget.isVisible():
            continue
        rect = QRect(widget.mapTo(view, QPoint(0, 0)), widget.size())
        minimum = widget.minimumSizeHint().expandedTo(widget.minimumSize()).width()
        if rect.left() < 0 or rect.right() >= view.width() or widget.width() < minimum:
            text = widget.text() if isinstance(widget, (QLabel, QAbstractButton)) else widget.objectName()
            found.append(f"{type(widget).__name__} {text!r}: x {rect.left()}–{rect.right()} of {view.width()}, "
                         f"{widget.width()} wide, minimum {minimum}")
    return found


@pytest.mark.parametrize("view", ["heatmap", "router", "numbers"])
def test_a_narrow_dock_shows_everything_without_scrolling_sideways(qtbot, info, language, view):
    pane = open_pane(qtbot, info, 340)
    pane.set_view(view)
    qtbot.wait(20)
    scroll = pane.findChild(QScrollArea)
    assert not scroll.horizontalScrollBar().isVisible()
    assert misfits(pane) == []
    if view == "numbers":
        return
    source = pane.controls.source_label
    assert source.text() == ("The last answer: select a token, or replay it" if language == "en"
                             else "Die letzte Antwort: Wählen Sie ein Token oder spielen Sie sie ab")
    assert not pane.controls.colour_row.side_by_side  # the hint above "Colour tokens by", not squeezed beside it
    assert source.width() > scroll.viewport().width() * 0.8
    scrolled = pane.strip.verticalScrollBar().value() / pane.strip._row_height  # following the newest token
    assert scrolled > 1 and scrolled == pytest.approx(round(scrolled), abs=0.05)  # whole rows: the top row not cut


def test_the_words_go_side_by_side_again_where_there_is_room(qtbot, info, language):
    pane = open_pane(qtbot, info, 1100)
    assert pane.controls.colour_row.side_by_side and pane.replay_bar.rows.side_by_side
    assert misfits(pane) == []
    pane.resize(360, 800)
    qtbot.waitUntil(lambda: not pane.controls.colour_row.side_by_side)
    qtbot.wait(20)
    assert misfits(pane) == [] and not pane.findChild(QScrollArea).horizontalScrollBar().isVisible()


def test_a_long_token_ends_in_an_ellipsis_instead_of_widening_the_view(qtbot, info, language):
    pane = open_pane(qtbot, info, 360)
    pane.strip.select(PROMPT + 30)
    qtbot.wait(20)
    label = pane._token_label
    assert label.full_text() == LONG_TOKEN and label.text().endswith("…") and len(label.text()) < len(LONG_TOKEN)
    assert misfits(pane) == [] and not pane.findChild(QScrollArea).horizontalScrollBar().isVisible()
    pane.strip.select(PROMPT + 29)  # a short token again: shown whole
    qtbot.wait(20)
    assert label.text() == label.full_text() != LONG_TOKEN


def test_presentation_mode_fits_a_one_screen_projector_dock(qtbot, info, language):
    """On one 1024-px screen presentation mode gives the expert view about 580 px, in large type."""
    pane = open_pane(qtbot, info, 580, presentation=True)
    assert not pane.findChild(QScrollArea).horizontalScrollBar().isVisible()
    assert misfits(pane) == []
