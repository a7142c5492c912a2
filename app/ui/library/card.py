"""How one library item looks: a ModelCard, painted into a ModelList by the ModelCardDelegate.

The card is an ordinary widget (labels in layouts, styled by the style sheet), so its text wraps and
reads like the rest of the window; the delegate never shows it, it renders it into the list at each
paint. That keeps one list model with filtered views (model/view) and still gives rich cards.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, QPoint, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPen, QPixmap, QRegion
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from app.core.models.speed import bytes_per_token
from app.ui.formatting import format_count, format_size
from app.ui.library.table_model import CATALOG, HUB_FILE, HUB_REPO, INSTALLED, ITEM_ROLE, UNUSABLE, LibraryItem
from app.ui.theme import ThemedStyleSheet, current
from app.ui.library.words import (
    compression_text,
    compression_tip,
    estimate_breakdown,
    fit_label,
    fit_sentence,
    job_state_text,
    languages_text,
    speed_breakdown,
    item_speed_text,
)

_FIT_OBJECT_NAMES = {"fits": "fitFits", "tight": "fitTight", "does_not_fit": "fitNo"}

CARD_STYLE = """
QLabel#fitFits, QLabel#fitTight, QLabel#fitNo { border-radius: 4px; padding: 2px 6px; }
QLabel#fitFits { background: $good; color: $good_text; border: 1px solid $good_border; }
QLabel#fitTight { background: $caution; color: $caution_text; border: 1px solid $caution_border; }
QLabel#fitNo { background: $bad; color: $bad_text; border: 1px solid $bad_border; }
QLabel#fitUnknown { color: $detail; }
QLabel#summary { color: $text; }
QLabel#downloadStatus { color: $link; font-weight: bold; }
QLabel#installedChip {
    color: $chip_text; background: $chip_loaded; border-radius: 4px; padding: 1px 7px; font-weight: bold;
}
"""
"""Styles of the card parts that only the library has (the shared ones are in style.py); ``$name``: the
theme's colour of that name (app/ui/theme.py)."""


class ModelCard(QFrame):
    """One library item as a card: name, what it is good at, MoE or dense with active and total
    parameters, size, licence, fit in words, and whether it is a demo or is being downloaded.

    Attributes:
        item: the LibraryItem shown.
        path: the model file (installed items), else None.
        kind: the chip beside the name ("MoE", "Dense"), or "" when unknown.
        lines: the parameter and expert lines, then the details line, as shown.
        summary: what the model is good at ("" when unknown).
        fit_text: the fit badge's words ("✓ Fits: needs about …"), or "".
        speed_text: how fast it would answer here ("About 8 words per second on this computer"), or ""
            for a model that does not fit, or while the computer's memory speed is unknown.
        badge: whether an installed file is a real text model or a demo ("" otherwise).
        status: the download line ("" when none).
    """

    def __init__(self, item: LibraryItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.path = item.path
        self.kind = ""
        self.lines: list[str] = []
        self.summary = ""
        self.fit_text = ""
        self.speed_text = ""
        self.badge = ""
        self.status = ""
        self.setObjectName("modelCard")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(10, 8, 10, 10)
        self._layout.setSpacing(3)
        self._title_row = QHBoxLayout()
        title = self._label(item.name, "cardTitle")
        self._title_row.addWidget(title, 1)
        self._layout.addLayout(self._title_row)

        if item.loaded:
            self._chip(self.tr("Loaded"), "loadedChip")
        elif item.installed_path is not None:
            self._chip(self.tr("In the library"), "installedChip")
        if item.kind == UNUSABLE:
            self._unusable(item)
        elif item.kind == HUB_REPO:
            self._hub_repo(item)
        else:
            self._model(item)

    # -- parts
    def _unusable(self, item: LibraryItem) -> None:
        self.lines.append(self.tr("Cannot be used: {reason}").format(reason=item.problem))
        self._add(self.lines[-1], "problem")
        if item.size_bytes is not None:
            self._add(f"{format_size(item.size_bytes)} · {Path(item.path).name}", "detail")
        if item.referenced:
            self._add(
                self.tr("Used where it is: {folder}").format(folder=str(Path(item.path).parent)), "detail"
            )

    def _hub_repo(self, item: LibraryItem) -> None:
        if item.downloads is not None:
            self.lines.append(
                self.tr("{count} downloads last month").format(count=format_count(item.downloads))
            )
            self._add(self.lines[-1], "detail")
        if item.gated:
            self._add(self._gated_text(), "note")
        self._add(self.tr("Double-click or press “Show files” to see its model files."), "note")

    def _model(self, item: LibraryItem) -> None:
        if item.moe is not None:
            self.kind = self.tr("MoE") if item.moe else self.tr("Dense")
            chip = self._chip(self.kind, "moeChip" if item.moe else "denseChip")
            chip.setToolTip(
                self.tr("Mixture of Experts: only some experts work on each token")
                if item.moe
                else self.tr("Dense: every parameter works on every token")
            )
        if item.description:
            self.summary = item.description
            self._add(self.summary, "summary")
        if item.moe and item.total_params is not None:
            self.lines.append(
                self.tr("{total} total · {active} active").format(
                    total=format_count(item.total_params), active=format_count(item.active_params or 0)
                )
            )
            experts = self.tr("{n} experts, {k} per token").format(n=item.n_experts, k=item.experts_per_token)
            if item.n_shared_experts:
                experts += self.tr(" + {count} shared").format(count=item.n_shared_experts)
            self.lines.append(experts)
        elif item.moe is False and item.total_params is not None:
            self.lines.append(
                self.tr("{total} parameters, all active").format(total=format_count(item.total_params))
            )
        for line in self.lines:
            self._add(line)
        self.lines.append(self._details(item))
        details = self._add(self.lines[-1], "detail")
        if item.quantization:
            details.setToolTip(compression_tip())
        if item.referenced:
            self._add(
                self.tr("Used where it is: {folder}").format(folder=str(Path(item.path).parent)), "detail"
            )
        if item.embedding:
            self._add(self.tr("An embedding model: it searches your documents by meaning (File › Documents); "
                              "it cannot chat."), "note")
        if item.projector:
            self._add(self.tr("A vision add-on (mmproj), not a model of its own."), "note")
        elif not item.complete:
            self._add(
                self.tr("Parts of this model are missing on Hugging Face: it cannot be downloaded."), "note"
            )
        if item.gated:
            self._add(self._gated_text(), "note")
        self._fit(item)
        if item.kind == INSTALLED:
            demo = item.demo
            if demo and item.embedding:
                self.badge = self.tr("Demo: random weights — finds words by their letters, not by their meaning")
            elif demo:
                self.badge = self.tr("Demo: random weights — shows routing mechanics only")
            else:
                self.badge = self.tr("Embedding model for document search") if item.embedding else self.tr(
                    "Real text model")
            self._add(self.badge, "demoBadge" if demo else "realBadge")
        if item.download is not None:
            self.status = self._download_text(item)
            self._add(self.status, "downloadStatus")

    def _details(self, item: LibraryItem) -> str:
        parts = []
        if item.size_bytes is not None:
            size = format_size(item.size_bytes)
            parts.append(size if item.size_exact else self.tr("about {size}").format(size=size))
        if item.quantization:
            parts.append(compression_text(item.quantization))
        if item.kind == INSTALLED:
            parts.append(Path(item.path).name)
        if item.kind == HUB_FILE:
            parts.append(item.repo)
        if item.license:
            parts.append(self.tr("licence: {license}").format(license=item.license))
        if item.languages:
            parts.append(languages_text(item.languages))
        return " · ".join(parts)

    def _fit(self, item: LibraryItem) -> None:
        if item.projector:
            return
        if item.fit is not None:
            self.fit_text = fit_sentence(item.fit, item.estimate.kv_exact)
            label = self._add(self.fit_text, _FIT_OBJECT_NAMES[item.fit.level])
            label.setToolTip(estimate_breakdown(item.estimate))
            self._speed(item)
        elif item.estimate is None and item.kind in (CATALOG, HUB_FILE):
            self.fit_text = fit_label(None)
            self._add(self.fit_text, "fitUnknown")
        elif item.estimate is not None:
            self.fit_text = self.tr("Checking whether it fits this computer…")
            self._add(self.fit_text, "fitUnknown")

    def _speed(self, item: LibraryItem) -> None:
        self.speed_text = item_speed_text(item.estimate, item.fit)
        if not self.speed_text:
            return
        label = self._add(self.speed_text, "speed")
        label.setToolTip(
            speed_breakdown(bytes_per_token(item.estimate), item.fit.memory_bandwidth, bool(item.moe))
        )

    def _download_text(self, item: LibraryItem) -> str:
        status = item.download
        if status.state == "running" and status.progress is not None and status.progress.total_bytes:
            return self.tr("Downloading: {percent} %").format(percent=int(status.progress.fraction * 100))
        if status.state == "failed":
            return self.tr("Download failed (see Downloads below)")
        return job_state_text(status)

    def _gated_text(self) -> str:
        return self.tr("Gated: accept the licence on huggingface.co and add your Hugging Face token first.")

    # -- helpers
    def _chip(self, text: str, name: str) -> QLabel:
        chip = QLabel(text)
        chip.setObjectName(name)
        self._title_row.addWidget(chip, 0, Qt.AlignmentFlag.AlignTop)
        return chip

    def _add(self, text: str, name: str = "") -> QLabel:
        label = self._label(text, name)
        self._layout.addWidget(label)
        return label

    @staticmethod
    def _label(text: str, name: str = "") -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        if name:
            label.setObjectName(name)
        return label


class ModelCardDelegate(QStyledItemDelegate):
    """Paints each row of a ModelList as its ModelCard, on a white (or, when selected, blue-framed) tile.

    Cards are made once per item and kept until the item changes.
    """

    def __init__(self, view: "ModelList") -> None:
        super().__init__(view)
        self._view = view
        self._cards: dict[tuple, ModelCard] = {}

    def card(self, item: LibraryItem) -> ModelCard:
        card = self._cards.get(item.key)
        if card is None or card.item != item:
            if card is not None:
                card.deleteLater()
            card = ModelCard(item, self._view)
            for part in (card, *card.findChildren(QLabel)):  # styled by the list's style sheet, they would keep
                part.setFont(self._view.font())  # the application's font even where the list has another one
            card.hide()
            self._cards[item.key] = card
        return card

    def forget(self, keys: set[tuple]) -> None:
        """Drop the cards of items no longer in the model."""
        for key in list(self._cards):
            if key not in keys:
                self._cards.pop(key).deleteLater()

    def card_width(self) -> int:
        return max(120, self._view.viewport().width() - 2 * self._view.spacing())

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802 (Qt override)
        item = index.data(ITEM_ROLE)
        if item is None:
            return super().sizeHint(option, index)
        width = self.card_width()
        return QSize(width, self.card(item).heightForWidth(width))

    def helpEvent(self, event: QHelpEvent, view: QAbstractItemView, option: QStyleOptionViewItem,  # noqa: N802
                  index: QModelIndex) -> bool:
        """The tooltip of the card's part under the mouse (the card is painted, so it cannot show its own)."""
        item = index.data(ITEM_ROLE)
        if event.type() != QEvent.Type.ToolTip or item is None:
            return super().helpEvent(event, view, option, index)
        part = self.card(item).childAt(event.pos() - option.rect.topLeft())
        if part is not None and part.toolTip():
            QToolTip.showText(event.globalPos(), part.toolTip(), view)
        else:
            QToolTip.hideText()
            event.ignore()
        return True

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        item = index.data(ITEM_ROLE)
        if item is None:
            return
        rect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        tile = QRectF(rect).adjusted(1, 1, -1, -1)
        if selected:
            painter.setPen(QPen(QColor(current().primary), 2))
            painter.setBrush(QColor(current().selection))
        else:
            painter.setPen(QPen(QColor(current().line), 1))
            painter.setBrush(QColor(current().hover if hovered else current().base))
        painter.drawRoundedRect(tile, 6, 6)
        painter.restore()

        card = self.card(item)
        if card.size() != rect.size():
            card.resize(rect.size())
            card.layout().activate()
        # Through a pixmap at the screen's pixel ratio: QWidget.render onto the list's painter places the
        # card in device pixels, which at 200 % scaling are twice the list's own.
        ratio = painter.device().devicePixelRatioF()
        image = QPixmap(rect.size() * ratio)
        image.setDevicePixelRatio(ratio)
        image.fill(Qt.GlobalColor.transparent)
        card.render(image, QPoint(), QRegion(), QWidget.RenderFlag.DrawChildren)
        painter.drawPixmap(rect.topLeft(), image)


class ModelList(QListView):
    """A list of ModelCards over one LibraryFilter; rows grow and shrink with the cards' wrapped text.

    Attributes:
        delegate: the ModelCardDelegate painting the rows.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelList")
        ThemedStyleSheet(self, CARD_STYLE)
        self.delegate = ModelCardDelegate(self)
        self.setItemDelegate(self.delegate)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(False)
        self.setSpacing(3)
        self.setMouseTracking(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """The list's font changed: new cards in it, and new row heights."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.delegate.forget(set())
            self.scheduleDelayedItemsLayout()

    def dataChanged(self, top_left, bottom_right, roles=()) -> None:  # noqa: N802 (Qt override)
        super().dataChanged(top_left, bottom_right, roles)
        self.scheduleDelayedItemsLayout()  # a changed item may need a taller or shorter card

    def rowsAboutToBeRemoved(self, parent, start: int, end: int) -> None:  # noqa: N802 (Qt override)
        super().rowsAboutToBeRemoved(parent, start, end)
        model = self.model()
        gone = {model.index(row, 0, parent).data(ITEM_ROLE).key for row in range(start, end + 1)}
        self.delegate.forget({item.key for item in self.items()} - gone)

    def items(self) -> list[LibraryItem]:
        """The items shown, in order."""
        model = self.model()
        return [model.index(row, 0).data(ITEM_ROLE) for row in range(model.rowCount())] if model else []

    def cards(self) -> list[tuple[QModelIndex, ModelCard]]:
        """Each row shown with its card, in order."""
        model = self.model()
        rows = [model.index(row, 0) for row in range(model.rowCount())] if model else []
        return [(index, self.delegate.card(index.data(ITEM_ROLE))) for index in rows]

    def selected_item(self) -> LibraryItem | None:
        rows = self.selectionModel().selectedRows() if self.selectionModel() else []
        return rows[0].data(ITEM_ROLE) if rows else None

    def select_key(self, key: tuple) -> bool:
        """Select and show the row of the item with this key; False when it is not shown."""
        model = self.model()
        for row in range(model.rowCount()):
            index = model.index(row, 0)
            if index.data(ITEM_ROLE).key == key:
                self.setCurrentIndex(index)
                self.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
                return True
        return False
