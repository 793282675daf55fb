"""The calendar's canvas: a day or a week as a time grid (all-day strip on top), or a month as a
grid of days. Drag an item to move it, drag its lower edge to change its end, double-click an empty
slot to create one there, double-click an item to open it. It only paints and reports; the view
calls the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop_crm.core.i18n import _
from desktop_crm.core.workplan.tasks import TaskView

HOUR_H = 44
SNAP = 15  # minutes
STRIP_ROW = 22
LEFT = 52  # the hours' column
EDGE = 6  # px: grabbing an item's lower edge resizes it
KIND_COLOUR = {"call": "#1565c0", "visit": "#2e7d32", "meeting": "#6a1b9a", "email": "#ef6c00", "other": "#546e7a"}


def colour_of(t: TaskView) -> QColor:
    c = QColor(KIND_COLOUR.get(t.kind, "#546e7a"))
    if t.status != "open":
        c.setAlpha(90)
    return c


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def day_names() -> list[str]:
    return [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]


@dataclass
class _Drag:
    item: TaskView
    resize: bool
    origin: QPoint
    start: datetime
    end: datetime | None


class CalendarCanvas(QWidget):
    """mode: "day" | "week" | "month". Signals carry the item id and the new times."""

    moved = Signal(int, object, object)  # task id, new start, new end (None: keep the length)
    create_at = Signal(object, bool)  # start, all day
    open_item = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.mode = "week"
        self.first = week_start(date.today())
        self.items: list[TaskView] = []
        self.read_only = False
        self._drag: _Drag | None = None
        self._ghost: tuple[datetime, datetime | None] | None = None
        self._boxes: list[tuple[QRect, TaskView]] = []
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setFocusPolicy(Qt.StrongFocus)

    # -- what is shown ---------------------------------------------------------------------
    def days(self) -> list[date]:
        if self.mode == "day":
            return [self.first]
        if self.mode == "week":
            return [self.first + timedelta(days=i) for i in range(7)]
        start = week_start(self.first.replace(day=1))
        return [start + timedelta(days=i) for i in range(42)]

    def range(self) -> tuple[datetime, datetime]:
        ds = self.days()
        return datetime.combine(ds[0], time.min), datetime.combine(ds[-1] + timedelta(days=1), time.min)

    def set_items(self, items: list[TaskView]) -> None:
        self.items = items
        self.updateGeometry()
        self.update()

    def _strip_items(self) -> list[TaskView]:
        return [t for t in self.items if t.all_day or not t.is_appointment]

    def _strip_rows(self) -> int:
        per_day: dict[date, int] = {}
        for t in self._strip_items():
            per_day[t.start.date()] = per_day.get(t.start.date(), 0) + 1
        return max([1, *per_day.values()])

    def _strip_h(self) -> int:
        return STRIP_ROW * self._strip_rows() + 6

    def sizeHint(self) -> QSize:  # noqa: N802
        if self.mode == "month":
            return QSize(700, 520)
        return QSize(700, 24 + self._strip_h() + 24 * HOUR_H)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(LEFT + 7 * 40, 240) if self.mode != "month" else QSize(7 * 40, 240)

    # -- geometry --------------------------------------------------------------------------
    def _col_w(self) -> float:
        n = len(self.days()) if self.mode != "month" else 7
        left = LEFT if self.mode != "month" else 0
        return max(1.0, (self.width() - left) / n)

    def _grid_top(self) -> int:
        return 24 + self._strip_h()

    def _top(self) -> int:
        """Where the visible part starts: the day names and the all-day strip stay there (sticky)
        while the hours scroll beneath them."""
        if self.mode == "month":
            return 0
        return max(0, self.visibleRegion().boundingRect().top())

    def _x(self, col: int) -> int:
        return int(LEFT + col * self._col_w())

    def _y(self, at: datetime) -> int:
        return int(self._grid_top() + (at.hour + at.minute / 60) * HOUR_H)

    def _at(self, pos: QPoint) -> tuple[date, datetime | None]:
        """The day under `pos`, and the snapped time (None in the all-day strip)."""
        ds = self.days()
        if self.mode == "month":
            cw, ch = self._col_w(), max(1, (self.height() - 24) / 6)
            col = min(6, max(0, int(pos.x() / cw)))
            row = min(5, max(0, int((pos.y() - 24) / ch)))
            return ds[row * 7 + col], None
        col = min(len(ds) - 1, max(0, int((pos.x() - LEFT) / self._col_w())))
        if pos.y() < self._top() + self._grid_top():
            return ds[col], None
        minutes = (pos.y() - self._grid_top()) / HOUR_H * 60
        minutes = max(0, min(24 * 60 - SNAP, int(round(minutes / SNAP) * SNAP)))
        return ds[col], datetime.combine(ds[col], time.min) + timedelta(minutes=minutes)

    # -- painting --------------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.fillRect(self.rect(), self.palette().base())
        self._boxes = []
        if self.mode == "month":
            self._paint_month(p)
        else:
            self._paint_grid(p)
        p.end()

    def _header(self, p: QPainter, ds: list[date], left: int, top: int = 0) -> None:
        names = day_names()
        today = date.today()
        for i, d in enumerate(ds[:7] if self.mode == "month" else ds):
            x = int(left + i * self._col_w())
            rect = QRect(x, top, int(self._col_w()), 24)
            text = names[d.weekday()] if self.mode == "month" else f"{names[d.weekday()]} {d.month}/{d.day}"
            if d == today and self.mode != "month":
                p.fillRect(rect, QColor("#e3f2fd"))
            p.setPen(self.palette().text().color())
            p.drawText(rect, Qt.AlignCenter, text)

    def _paint_grid(self, p: QPainter) -> None:
        ds = self.days()
        top, strip_h, sticky = self._grid_top(), self._strip_h(), self._top()
        line = QPen(QColor("#d0d0d0"))
        for h in range(24):
            y = top + h * HOUR_H
            p.setPen(line)
            p.drawLine(LEFT, y, self.width(), y)
            p.setPen(self.palette().mid().color())
            p.drawText(QRect(0, y, LEFT - 4, 16), Qt.AlignRight | Qt.AlignTop, f"{h:02d}:00")
        p.setPen(line)
        for i in range(len(ds) + 1):
            p.drawLine(self._x(i), top, self._x(i), self.height())
        now = datetime.now()
        if now.date() in ds:
            x = self._x(ds.index(now.date()))
            p.setPen(QPen(QColor("#d32f2f"), 2))
            p.drawLine(x, self._y(now), int(x + self._col_w()), self._y(now))
        timed = [t for t in self.items if t.is_appointment and not t.all_day]
        for t in timed:
            start, end = t.start, t.end or t.start + timedelta(hours=1)
            if self._drag and self._drag.item.id == t.id and self._ghost:
                start, end = self._ghost[0], self._ghost[1] or end
            if start.date() not in ds:
                continue
            overlap = [o for o in timed if o.start.date() == t.start.date() and o.start < (t.end or t.start)
                       and (o.end or o.start) > t.start]
            lane, lanes = overlap.index(t) if t in overlap else 0, max(1, len(overlap))
            w = (self._col_w() - 4) / lanes
            x = int(self._x(ds.index(start.date())) + 2 + lane * w)
            y1, y2 = self._y(start), self._y(end) if end.date() == start.date() else top + 24 * HOUR_H
            rect = QRect(x, y1, int(w) - 1, max(18, y2 - y1 - 1))
            self._box(p, rect, t, start.strftime("%H:%M") + " ")
        # the day names and the all-day strip, painted last over the hours scrolled beneath them
        self._boxes = [(r, t) for r, t in self._boxes if r.top() >= sticky + top]
        p.fillRect(QRect(0, sticky, self.width(), top), self.palette().base())
        self._header(p, ds, LEFT, sticky)
        p.setPen(line)
        p.drawLine(0, sticky + 24, self.width(), sticky + 24)
        p.drawLine(0, sticky + top, self.width(), sticky + top)
        for i in range(len(ds) + 1):
            p.drawLine(self._x(i), sticky, self._x(i), sticky + top)
        p.setPen(self.palette().mid().color())
        p.drawText(QRect(0, sticky + 24, LEFT - 4, strip_h), Qt.AlignRight | Qt.AlignVCenter, _("All day"))
        rows: dict[date, int] = {}
        for t in self._strip_items():
            day = t.start.date()
            if self._drag and self._drag.item.id == t.id and self._ghost:
                day = self._ghost[0].date()
            if day not in ds:
                continue
            n = rows.get(day, 0)
            rows[day] = n + 1
            rect = QRect(self._x(ds.index(day)) + 2, sticky + 26 + n * STRIP_ROW, int(self._col_w()) - 4,
                         STRIP_ROW - 2)
            self._box(p, rect, t, "")

    def _box(self, p: QPainter, rect: QRect, t: TaskView, prefix: str) -> None:
        c = colour_of(t)
        p.fillRect(rect, c.lighter(170))
        p.fillRect(QRect(rect.left(), rect.top(), 3, rect.height()), c)
        p.setPen(QColor("#222222") if t.status == "open" else QColor("#888888"))
        font = p.font()
        font.setStrikeOut(t.status == "done")
        p.setFont(font)
        text = prefix + t.title + (f" · {t.customer}" if t.customer else "")
        metrics = QFontMetrics(font)
        p.drawText(rect.adjusted(6, 1, -2, -1), Qt.AlignLeft | Qt.AlignTop | Qt.TextWordWrap,
                   metrics.elidedText(text, Qt.ElideRight, max(10, rect.width() * max(1, rect.height() // 16) - 12)))
        font.setStrikeOut(False)
        p.setFont(font)
        self._boxes.append((rect, t))

    def _paint_month(self, p: QPainter) -> None:
        ds = self.days()
        self._header(p, ds, 0)
        cw, ch = self._col_w(), max(1.0, (self.height() - 24) / 6)
        by_day: dict[date, list[TaskView]] = {}
        for t in sorted(self.items, key=lambda t: (not t.all_day and t.is_appointment, t.start)):
            day = t.start.date()
            if self._drag and self._drag.item.id == t.id and self._ghost:
                day = self._ghost[0].date()
            by_day.setdefault(day, []).append(t)
        metrics = QFontMetrics(p.font())
        line_h = metrics.height() + 3
        today = date.today()
        for i, d in enumerate(ds):
            cell = QRect(int((i % 7) * cw), int(24 + (i // 7) * ch), int(cw), int(ch))
            if d == today:
                p.fillRect(cell, QColor("#e3f2fd"))
            p.setPen(QColor("#d0d0d0"))
            p.drawRect(cell)
            p.setPen(self.palette().text().color() if d.month == self.first.month else QColor("#9e9e9e"))
            p.drawText(cell.adjusted(4, 2, -4, 0), Qt.AlignLeft | Qt.AlignTop, str(d.day))
            items = by_day.get(d, [])
            room = max(0, int((cell.height() - line_h - 4) // line_h))
            shown = items if len(items) <= room else items[:max(0, room - 1)]
            for n, t in enumerate(shown):
                rect = QRect(cell.left() + 2, cell.top() + line_h + n * line_h, cell.width() - 4, line_h - 1)
                prefix = t.start.strftime("%H:%M ") if t.is_appointment and not t.all_day else ""
                self._box(p, rect, t, prefix)
            if len(shown) < len(items):
                p.setPen(self.palette().mid().color())
                p.drawText(QRect(cell.left() + 4, cell.top() + line_h * (len(shown) + 1), cell.width() - 8, line_h),
                           Qt.AlignLeft, _("{n} more").format(n=len(items) - len(shown)))

    # -- mouse -----------------------------------------------------------------------------
    def item_at(self, pos: QPoint) -> tuple[TaskView | None, bool]:
        for rect, t in reversed(self._boxes):
            if rect.contains(pos):
                resizable = (self.mode != "month" and t.is_appointment and not t.all_day
                             and pos.y() >= rect.bottom() - EDGE)
                return t, resizable
        return None, False

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.LeftButton or self.read_only:
            return
        t, resize = self.item_at(event.position().toPoint())
        if t is not None and t.status == "open":
            self._drag = _Drag(t, resize, event.position().toPoint(), t.start, t.end)
            self._ghost = None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pos = event.position().toPoint()
        if self._drag is None:
            _t, resize = self.item_at(pos)
            self.setCursor(Qt.SizeVerCursor if resize else Qt.ArrowCursor)
            return
        if (pos - self._drag.origin).manhattanLength() < 4:
            return
        self._ghost = self._target(pos)
        self.update()

    def _target(self, pos: QPoint) -> tuple[datetime, datetime | None]:
        d = self._drag
        assert d is not None
        day, at = self._at(pos)
        day0, at0 = self._at(d.origin)
        if d.resize:
            end = at if at is not None else d.end
            return d.start, max(end, d.start + timedelta(minutes=SNAP)) if end else end
        if at is None or at0 is None or not d.item.is_appointment or d.item.all_day:
            start = datetime.combine(d.start.date() + (day - day0), d.start.time())
        else:
            start = d.start + (at - at0)
        return start, None

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        d, ghost = self._drag, self._ghost
        self._drag, self._ghost = None, None
        if d is None:
            return
        if ghost is None:
            self.update()
            return
        start, end = ghost
        if start != d.start or (end is not None and end != d.end):
            self.moved.emit(d.item.id, start, end)
        self.update()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pos = event.position().toPoint()
        t, _resize = self.item_at(pos)
        if t is not None:
            self.open_item.emit(t.id)
            return
        if self.read_only:
            return
        day, at = self._at(pos)
        self.create_at.emit(at or datetime.combine(day, time.min), at is None)

    def point_of(self, at: datetime, *, all_day: bool = False) -> QPoint:
        """Where `at` is on the canvas (for keyboard users' tools and for tests)."""
        ds = self.days()
        if self.mode == "month":
            i = ds.index(at.date())
            cw, ch = self._col_w(), (self.height() - 24) / 6
            return QPoint(int((i % 7) * cw + cw / 2), int(24 + (i // 7) * ch + ch - 6))
        x = int(self._x(ds.index(at.date())) + self._col_w() / 2)
        return QPoint(x, self._top() + 26 + STRIP_ROW // 2) if all_day else QPoint(x, self._y(at) + 2)
