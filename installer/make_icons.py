"""Render resources/icons/moescope.svg into the raster icons the installers need.

    .venv/bin/python installer/make_icons.py

writes ``resources/icons/moescope.png`` (256 px, Linux desktop entry), ``moescope.ico``
(Windows: executable, installer, shortcuts; 16-256 px) and ``moescope.icns`` (macOS bundle). The
results are committed, so a build needs neither this script nor a Qt image plugin; run it again
after changing the SVG.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data)


def write_ico(path: Path, images: list[QImage]) -> None:
    """An ICO file with PNG-compressed entries (Windows Vista and later read these)."""
    entries = [png_bytes(image) for image in images]
    header = bytearray(
        (0).to_bytes(2, "little") + (1).to_bytes(2, "little") + len(entries).to_bytes(2, "little")
    )
    offset = 6 + 16 * len(entries)
    directory = bytearray()
    for image, data in zip(images, entries):
        side = image.width() if image.width() < 256 else 0  # 0 means 256
        directory += bytes((side, side, 0, 0)) + (1).to_bytes(2, "little") + (32).to_bytes(2, "little")
        directory += len(data).to_bytes(4, "little") + offset.to_bytes(4, "little")
        offset += len(data)
    path.write_bytes(bytes(header + directory) + b"".join(entries))


def write_icns(path: Path, renderer: QSvgRenderer) -> None:
    """An ICNS file with PNG entries (the OSType per size as in Apple's iconutil output)."""
    types = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09", 1024: b"ic10"}
    body = b""
    for size in ICNS_SIZES:
        data = png_bytes(render(renderer, size))
        body += types[size] + (8 + len(data)).to_bytes(4, "big") + data
    path.write_bytes(b"icns" + (8 + len(body)).to_bytes(4, "big") + body)


def main() -> int:
    QGuiApplication(sys.argv)
    renderer = QSvgRenderer(str(ICONS / "moescope.svg"))
    if not renderer.isValid():
        print("moescope.svg could not be read", file=sys.stderr)
        return 1
    render(renderer, 256).save(str(ICONS / "moescope.png"), "PNG")
    write_ico(ICONS / "moescope.ico", [render(renderer, size) for size in ICO_SIZES])
    write_icns(ICONS / "moescope.icns", renderer)
    for name in ("moescope.png", "moescope.ico", "moescope.icns"):
        print(ICONS / name, (ICONS / name).stat().st_size, "bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
