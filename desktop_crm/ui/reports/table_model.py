"""A report table on screen: cells are `format_cell` text (as in the PDF and CSV), numbers
right-aligned, the totals row last and bold. Reports are computed in full, so a plain model
over the computed rows is right here (big lists use ui/tablemodel.py)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from desktop_crm.core.reporting.formatting import formatter
from desktop_crm.core.reporting.model import Table

ROW_ROLE = Qt.UserRole + 1  # the row dict (drill-down keys included); None for the totals row


class ReportTableModel(QAbstractTableModel):
    def __init__(self, table: Table | None = None, parent: Any = None):
        super().__init__(parent)
        self.table = table or Table(columns=[])
        self._formats = [formatter(c.kind) for c in self.table.columns]

    def set_table(self, table: Table) -> None:
        self.beginResetModel()
        self.table = table
        self._formats = [formatter(c.kind) for c in table.columns]
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        if parent.isValid():
            return 0
        return len(self.table.rows) + (1 if self.table.totals else 0)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.table.columns)

    def is_total(self, row: int) -> bool:
        return bool(self.table.totals) and row == len(self.table.rows)

    def row_data(self, row: int) -> dict[str, Any] | None:
        return None if self.is_total(row) else self.table.rows[row]

    def text(self, row: int, column: int) -> str:
        data = self.table.totals if self.is_total(row) else self.table.rows[row]
        return self._formats[column](data.get(self.table.columns[column].key))

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.DisplayRole:
            return self.text(row, column)
        if role == Qt.TextAlignmentRole:
            numeric = self.table.columns[column].numeric
            return int((Qt.AlignRight if numeric else Qt.AlignLeft) | Qt.AlignVCenter)
        if role == Qt.FontRole and self.is_total(row):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.BackgroundRole and self.is_total(row):
            return QBrush(QColor("#F2F2F2"))
        if role == ROW_ROLE:
            return self.row_data(row)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and 0 <= section < len(self.table.columns):
            return self.table.columns[section].title
        if orientation == Qt.Horizontal and role == Qt.TextAlignmentRole and 0 <= section < len(self.table.columns):
            return int(Qt.AlignRight if self.table.columns[section].numeric else Qt.AlignLeft)
        return None
