"""The one lazy, id-based table model every big list uses (ARCHITECTURE rule 4).

The database filters, sorts and pages; the model only knows the row count and
fetches the page a visible row falls in, keeping a bounded cache of pages. Rows
are tuples `(id, version, *values)` in the order of the source's columns.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

ROW_ID_ROLE = Qt.UserRole + 1
RAW_VALUE_ROLE = Qt.UserRole + 2


@dataclass
class ListColumn:
    key: str
    title: str
    align_right: bool = False


@dataclass
class ListSource:
    """Callables over services; the model calls them on the GUI thread (each is one fast query).

    count() -> int; fetch(offset, limit, sort_key, descending) -> list of row tuples;
    display(key, value) -> str; colour(key, value, row) -> QColor | None (optional).
    """

    columns: list[ListColumn]
    count: Callable[[], int]
    fetch: Callable[[int, int, str, bool], list[tuple]]
    display: Callable[[str, object], str]
    colour: Callable[[str, object, tuple], QColor | None] | None = None
    sort_key: str = ""
    descending: bool = False


class LazyTableModel(QAbstractTableModel):
    def __init__(self, source: ListSource, page_size: int = 100, max_pages: int = 64, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.source = source
        self.page_size = page_size
        self.max_pages = max_pages
        self._pages: OrderedDict[int, list[tuple]] = OrderedDict()
        self._count = 0
        self._counted = False

    # -- size and data ----------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid():
            return 0
        if not self._counted:
            self._count, self._counted = self.source.count(), True
        return self._count

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.source.columns)

    def row(self, row: int) -> tuple | None:
        if row < 0 or row >= self.rowCount():
            return None
        page_no = row // self.page_size
        page = self._pages.get(page_no)
        if page is None:
            page = self.source.fetch(page_no * self.page_size, self.page_size, self.source.sort_key,
                                     self.source.descending)
            self._pages[page_no] = page
            while len(self._pages) > self.max_pages:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        offset = row - page_no * self.page_size
        return page[offset] if offset < len(page) else None

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole) -> object:
        if not index.isValid():
            return None
        r = self.row(index.row())
        if r is None:
            return None
        col = self.source.columns[index.column()]
        value = r[index.column() + 2]
        if role == Qt.DisplayRole:
            return self.source.display(col.key, value)
        if role == Qt.ToolTipRole:
            text = self.source.display(col.key, value)
            return text if len(text) > 30 else None
        if role == Qt.TextAlignmentRole and col.align_right:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.ForegroundRole and self.source.colour is not None:
            colour = self.source.colour(col.key, value, r)
            return QBrush(colour) if colour is not None else None
        if role == ROW_ID_ROLE:
            return r[0]
        if role == RAW_VALUE_ROLE:
            return value
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole) -> object:  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and 0 <= section < len(self.source.columns):
            return self.source.columns[section].title
        if orientation == Qt.Vertical and role == Qt.DisplayRole:
            return section + 1
        return None

    # -- sorting and refresh -------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.AscendingOrder) -> None:
        if not 0 <= column < len(self.source.columns):
            return
        self.source.sort_key = self.source.columns[column].key
        self.source.descending = order == Qt.DescendingOrder
        self.layoutAboutToBeChanged.emit()
        self._pages.clear()
        self.layoutChanged.emit()

    def refresh(self) -> None:
        """Re-count and drop cached pages (after a filter change or an edit)."""
        self.beginResetModel()
        self._pages.clear()
        self._counted = False
        self.endResetModel()

    def set_source(self, source: ListSource) -> None:
        self.beginResetModel()
        self.source = source
        self._pages.clear()
        self._counted = False
        self.endResetModel()

    def id_at(self, row: int) -> int | None:
        r = self.row(row)
        return r[0] if r else None

    def version_at(self, row: int) -> int | None:
        r = self.row(row)
        return r[1] if r else None

    def row_of_id(self, row_id: int) -> int | None:
        """Search only the cached pages (after a refresh, re-selecting an edited row)."""
        for page_no, page in self._pages.items():
            for i, r in enumerate(page):
                if r[0] == row_id:
                    return page_no * self.page_size + i
        return None


def lazy_table_view(model: LazyTableModel, name: str, *, multi_select: bool = False):  # noqa: ANN201
    """The QTableView every big list uses over its LazyTableModel: whole rows, compact fixed-height
    rows (no per-row size hints, so 1,000,000 rows cost nothing), no word wrap."""
    from PySide6.QtWidgets import QAbstractItemView, QTableView

    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    table.setSelectionMode(QAbstractItemView.ExtendedSelection if multi_select else QAbstractItemView.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setDefaultSectionSize(24)
    table.verticalHeader().setVisible(False)
    from desktop_crm.ui.widgets.headers import keep_titles_whole

    keep_titles_whole(table)  # no title cut mid-word, whatever widths the view sets
    return table
