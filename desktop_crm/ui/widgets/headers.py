"""Column headers are never cut mid-word: a column is at least as wide as its title (and the
sort arrow). Views set their own widths; this only widens the ones that would clip their title."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QAbstractItemView, QHeaderView

PADDING = 28  # the header's margins and the sort indicator


def fit_titles(header: QHeaderView) -> None:
    model = header.model()
    if model is None:
        return
    metrics = header.fontMetrics()
    for section in range(header.count()):
        title = str(model.headerData(section, header.orientation()) or "")
        need = max((metrics.horizontalAdvance(line) for line in title.splitlines()), default=0) + PADDING
        if header.sectionSize(section) < need and header.sectionResizeMode(section) == QHeaderView.Interactive:
            header.resizeSection(section, need)


class _Fitter(QObject):
    """Lives with the header (its child), so its connections to a longer-lived model end with it."""

    def __init__(self, header: QHeaderView):
        super().__init__(header)
        self.header = header

    @Slot()
    def now(self) -> None:
        fit_titles(self.header)

    @Slot()
    def later(self) -> None:
        QTimer.singleShot(0, self, self.now)


def keep_titles_whole(view: QAbstractItemView) -> None:
    """Widen clipped columns now (after the view set its widths) and whenever the columns change."""
    header = view.horizontalHeader() if hasattr(view, "horizontalHeader") else view.header()
    fitter = _Fitter(header)
    fitter.later()
    model = view.model()
    if model is not None:
        model.headerDataChanged.connect(fitter.now)
        model.modelReset.connect(fitter.later)
        model.columnsInserted.connect(fitter.later)
