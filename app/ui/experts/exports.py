"""Pictures of the expert view for slides and handouts: the view at projector resolution as a PNG (dark, or
with a transparent background), a replay as a numbered PNG frame per token (ready for a video tool), and
the answer's routing trace as CSV or JSON.

Pictures are taken from a twin of the expert view laid out at the asked size in presentation style
(``ExpertsPane.show_like``), so the window itself never changes size. Frames are rendered a few per
event-loop turn; a progress dialog can cancel them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.core.chat.export import write_trace_csv, write_trace_json
from app.ui.experts.pane import ExpertsPane
from app.ui import theme

PROJECTOR = QSize(1920, 1080)
DARK = QColor(theme.PROJECTOR.view)  # the presentation look's background, behind every part of it
FRAMES_PER_TURN = 2
FRAME_NAME = "frame_{:05d}.png"
VIDEO_HINT = "ffmpeg -framerate 10 -i frame_%05d.png -pix_fmt yuv420p replay.mp4\n"


class _Twin:
    """An expert view of its own, off screen, showing what ``pane`` shows at ``size`` in presentation style."""

    def __init__(self, pane: ExpertsPane, size: QSize) -> None:
        self.view = ExpertsPane()
        self.view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        self.view.set_presentation(True)
        self.view.show_like(pane)
        self.view.resize(size)
        self.view.show()

    def render(self, transparent: bool) -> QImage:
        image = QImage(self.view.size(), QImage.Format.Format_ARGB32)
        image.fill(DARK)
        self.view.render(image)
        return _without_background(image) if transparent else image

    def close(self) -> None:
        self.view.close()
        self.view.deleteLater()


def _without_background(image: QImage) -> QImage:
    """The picture with every pixel of exactly the background colour made transparent."""
    pixels = np.frombuffer(image.constBits(), dtype=np.uint32).reshape(image.height(), image.bytesPerLine() // 4)
    keyed = np.where(pixels == np.uint32(DARK.rgba()), np.uint32(0), pixels).astype(np.uint32)
    return QImage(keyed.tobytes(), image.width(), image.height(), image.bytesPerLine(),
                  QImage.Format.Format_ARGB32).copy()


def save_view(pane: ExpertsPane, path: str, transparent: bool = False, size: QSize = PROJECTOR) -> bool:
    """The view as ``pane`` shows it now, at ``size``, as a PNG; False if the file could not be written."""
    twin = _Twin(pane, size)
    try:
        return twin.render(transparent).save(path, "PNG")
    finally:
        twin.close()


def save_trace(pane: ExpertsPane, path: str, form: str) -> None:
    """The shown answer's routing trace as ``"csv"`` (the router's scores, where kept, in ``*-scores.csv``
    beside it) or ``"json"``; OSError if it cannot be written."""
    trace = pane.timeline.to_trace()
    model = pane.info.name if pane.info is not None else ""
    if form == "csv":
        target = Path(path)
        scores = target.with_name(target.stem + "-scores.csv") if trace.scores is not None else None
        write_trace_csv(trace, target, scores)
    else:
        write_trace_json(trace, Path(path), model=model)


class ReplayFrames(QObject):
    """Writes one PNG per token of the shown answer (its selected range, else all of it) into a folder, as
    a replay shows them, with a progress dialog over ``parent``.

    Signals:
        done(int, str): frames written, and the error text if writing stopped on one ("" otherwise).
    """

    done = Signal(int, str)

    def __init__(self, pane: ExpertsPane, folder: str, parent: QWidget, transparent: bool = False) -> None:
        super().__init__(parent)
        self._pane, self._folder, self._transparent = pane, Path(folder), transparent
        timeline = pane.timeline
        self._saved_selection = (timeline.anchor, timeline.cursor)
        lo, hi = timeline.selection if timeline.is_range else (0, len(timeline) - 1)
        self._indices = list(range(lo, hi + 1))
        self._written = 0
        if timeline.replay.playing:
            pane.replay.pause()
        self._twin = _Twin(pane, PROJECTOR)
        self._progress = QProgressDialog(self.tr("Writing the replay's pictures…"), self.tr("Cancel"), 0,
                                         len(self._indices), parent)
        self._progress.setWindowModality(Qt.WindowModality.WindowModal)
        self._progress.setMinimumDuration(0)
        self._progress.canceled.connect(lambda: self._finish(""))
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._turn)

    def start(self) -> None:
        try:
            self._folder.mkdir(parents=True, exist_ok=True)
            (self._folder / "README.txt").write_text(
                self.tr("One picture per token, in order. To make a video of them, for example:") + "\n"
                + VIDEO_HINT, encoding="utf-8")
        except OSError as exc:
            self._finish(exc.strerror or str(exc))
            return
        self._timer.start(0)

    def _turn(self) -> None:
        timeline, view = self._pane.timeline, self._twin.view
        for _ in range(FRAMES_PER_TURN):
            if self._written >= len(self._indices):
                self._finish("")
                return
            timeline.select(self._indices[self._written])
            view.strip.sync_selection()
            path = self._folder / FRAME_NAME.format(self._written + 1)
            if not self._twin.render(self._transparent).save(str(path), "PNG"):
                self._finish(self.tr("{file} could not be written.").format(file=path))
                return
            self._written += 1
        self._progress.setValue(self._written)

    def _finish(self, error: str) -> None:
        if self._twin is None:
            return
        self._timer.stop()
        self._twin.close()
        self._twin = None
        timeline = self._pane.timeline
        timeline.anchor, timeline.cursor = self._saved_selection
        self._pane.strip.sync_selection()
        self._progress.reset()
        self.done.emit(self._written, error)
