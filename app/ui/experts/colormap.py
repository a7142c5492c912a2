"""Viridis, a perceptually uniform colour scale that stays readable for colour-blind viewers and in
greyscale, built from eleven anchor colours without matplotlib."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor, QImage

# matplotlib's viridis sampled at 0.0, 0.1, ... 1.0
_VIRIDIS_ANCHORS = (
    "#440154",
    "#482475",
    "#414487",
    "#355f8d",
    "#2a788e",
    "#21918c",
    "#22a884",
    "#44bf70",
    "#7ad151",
    "#bddf26",
    "#fde725",
)


def _interpolate(anchors: tuple[str, ...], steps: int) -> list[QColor]:
    colours = [QColor(anchor) for anchor in anchors]
    table = []
    for step in range(steps):
        position = step / (steps - 1) * (len(colours) - 1)
        low = min(int(position), len(colours) - 2)
        fraction = position - low
        a, b = colours[low], colours[low + 1]
        table.append(
            QColor(
                round(a.red() + (b.red() - a.red()) * fraction),
                round(a.green() + (b.green() - a.green()) * fraction),
                round(a.blue() + (b.blue() - a.blue()) * fraction),
            )
        )
    return table


class ColourScale:
    """Maps a value in [0, 1] to a viridis colour, and tells which text colour reads on it.

    Attributes:
        colours: 256 precomputed QColors from dark violet (0) to yellow (1).
        text_colours: for each of them, the text colour that reads on it.
    """

    def __init__(self) -> None:
        self.colours = _interpolate(_VIRIDIS_ANCHORS, 256)
        self.text_colours = [self.text_colour(colour) for colour in self.colours]
        self._table = np.array([colour.rgb() for colour in self.colours], dtype=np.uint32)

    @staticmethod
    def index(value: float) -> int:
        """The table index (0-255) of a value in [0, 1]."""
        return round(min(max(value, 0.0), 1.0) * 255)

    def colour(self, value: float) -> QColor:
        return self.colours[self.index(value)]

    @staticmethod
    def text_colour(background: QColor) -> QColor:
        """Black on the light end of the scale, white on the dark end."""
        luminance = 0.2126 * background.redF() + 0.7152 * background.greenF() + 0.0722 * background.blueF()
        return QColor("#000000") if luminance > 0.45 else QColor("#ffffff")

    def image(self, values: np.ndarray, maximum: float, empty: QColor) -> QImage:
        """One pixel per value (rows × columns), coloured on the scale; values <= 0 get ``empty``.

        32-bit pixels straight from a lookup table: the format QPainter draws without converting."""
        rows, columns = values.shape
        indices = np.clip(np.rint(values * (255 / maximum)), 0, 255).astype(np.uint8)
        pixels = self._table[indices]
        pixels[values <= 0] = empty.rgb()
        return QImage(pixels.tobytes(), columns, rows, 4 * columns, QImage.Format.Format_RGB32).copy()


# tops of the colour scale whose quarters are round numbers (legend ticks at 0, ¼, ½, ¾, 1)
_NICE_MAXIMA = (0.02, 0.04, 0.08, 0.12, 0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.6, 2.0, 2.4, 3.2, 4.0)


def nice_maximum(value: float) -> float:
    """The top of a colour scale for values up to ``value``: the next round number."""
    return next((nice for nice in _NICE_MAXIMA if nice >= value), float(np.ceil(value)))
