"""The report chart (bar, pie or line) drawn with QPainter from the report's ChartSeries.

QtCharts is not part of PySide6-Essentials, so the chart is painted here: `paint_chart`
draws into any rectangle of any painter (the screen widget and the printed page share it);
colours are the PDF chart's palette (`exporting.pdf_chart.PALETTE`).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop_crm.core.reporting.model import ChartSeries

PALETTE = ["#4472C4", "#ED7D31", "#A5A5A5", "#FFC000", "#5B9BD5", "#70AD47",
           "#264478", "#9E480E", "#636363", "#997300", "#255E91", "#43682B"]
MAX_CATEGORIES = 40


def _axis(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 10 else f"{value:,.2f}".rstrip("0").rstrip(".")


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    import math

    exp = 10 ** math.floor(math.log10(value))
    for m in (1, 2, 2.5, 5, 10):
        if value <= m * exp:
            return m * exp
    return 10 * exp


def paint_chart(p: QPainter, rect: QRectF, chart: ChartSeries, font: QFont | None = None) -> None:
    """Draw `chart` inside `rect` (title on top, legend, axes); `font` sets the family and base size."""
    p.save()
    p.setRenderHint(QPainter.Antialiasing, True)
    base = QFont(font) if font is not None else QFont(p.font())
    title_font = QFont(base)
    title_font.setPointSizeF(base.pointSizeF() * 1.2)
    p.setFont(title_font)
    p.setPen(QColor("#000000"))
    fm = QFontMetricsF(title_font, p.device())
    p.drawText(QRectF(rect.left(), rect.top(), rect.width(), fm.height() + 2), Qt.AlignHCenter | Qt.AlignTop,
               chart.title)
    body = QRectF(rect.left(), rect.top() + fm.height() + 6, rect.width(), rect.height() - fm.height() - 6)
    p.setFont(base)
    categories = [str(c) for c in chart.categories][:MAX_CATEGORIES]
    series = [(name, values[:MAX_CATEGORIES]) for name, values in chart.float_series()]
    if categories and series:
        if chart.kind == "pie":
            _pie(p, body, categories, series[0][1])
        else:
            _xy(p, body, chart.kind, categories, series)
    p.restore()


def _pie(p: QPainter, rect: QRectF, categories: list[str], values: list[float]) -> None:
    size = min(rect.height() - 8, rect.width() * 0.45)
    box = QRectF(rect.left() + 10, rect.top() + (rect.height() - size) / 2, size, size)
    data = [max(v, 0.0) for v in values]
    total = sum(data) or 1.0
    if not any(data):
        data = [1.0] * len(values)
        total = float(len(values))
    angle = 90 * 16
    p.setPen(QPen(QColor("white"), 1))
    for i, v in enumerate(data):
        span = -round(v / total * 360 * 16)
        p.setBrush(QColor(PALETTE[i % len(PALETTE)]))
        p.drawPie(box, angle, span)
        angle += span
    fm = QFontMetricsF(p.font(), p.device())
    line = fm.height() + 2
    x, y = box.right() + 20, rect.top() + 4
    per_column = max(1, int(rect.height() // line))
    p.setPen(QColor("#000000"))
    for i, (name, v) in enumerate(zip(categories, values, strict=False)):
        if i and i % per_column == 0:
            x, y = x + fm.height() * 20, rect.top() + 4
        p.fillRect(QRectF(x, y + 2, line - 6, line - 6), QColor(PALETTE[i % len(PALETTE)]))
        share = max(v, 0) / (sum(max(d, 0) for d in values) or 1.0) * 100
        p.drawText(QPointF(x + line, y + fm.ascent()), fm.elidedText(f"{name}  {share:.1f}%", Qt.ElideRight, fm.height() * 18))
        y += line


def _xy(p: QPainter, rect: QRectF, kind: str, categories: list[str], series: list[tuple[str, list[float]]]) -> None:
    fm = QFontMetricsF(p.font(), p.device())
    top = max(max(v) for _n, v in series)
    low = min(0.0, min(min(v) for _n, v in series))
    high = _nice_max(top)
    span = (high - low) or 1.0
    labels = [_axis(low + span * i / 4) for i in range(5)]
    left = rect.left() + max(fm.horizontalAdvance(t) for t in labels) + 8
    many = len(categories) > 8
    legend_h = fm.height() + 4 if len(series) > 1 else 0
    bottom = rect.bottom() - (fm.height() * (3.2 if many else 1.4)) - legend_h
    plot = QRectF(left, rect.top() + 4, rect.right() - left - 8, bottom - rect.top() - 4)
    p.setPen(QPen(QColor("#C0C0C0"), 0.5))
    for i in range(5):
        y = plot.bottom() - plot.height() * i / 4
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        p.setPen(QColor("#000000"))
        p.drawText(QRectF(rect.left(), y - fm.height() / 2, left - rect.left() - 4, fm.height()),
                   Qt.AlignRight | Qt.AlignVCenter, labels[i])
        p.setPen(QPen(QColor("#C0C0C0"), 0.5))
    p.setPen(QPen(QColor("#000000"), 0.8))
    p.drawLine(plot.bottomLeft(), plot.bottomRight())
    p.drawLine(plot.bottomLeft(), plot.topLeft())
    band = plot.width() / len(categories)

    def y_of(v: float) -> float:
        return plot.bottom() - (v - low) / span * plot.height()

    for s, (_name, values) in enumerate(series):
        color = QColor(PALETTE[s % len(PALETTE)])
        if kind == "bar":
            width = band * 0.7 / len(series)
            for i, v in enumerate(values):
                x = plot.left() + i * band + band * 0.15 + s * width
                y0, y1 = y_of(0.0), y_of(v)
                p.fillRect(QRectF(x, min(y0, y1), width, abs(y1 - y0)), color)
        else:
            path = QPainterPath()
            for i, v in enumerate(values):
                pt = QPointF(plot.left() + (i + 0.5) * band, y_of(v))
                path.moveTo(pt) if i == 0 else path.lineTo(pt)
            p.setPen(QPen(color, 1.6))
            p.setBrush(Qt.NoBrush)
            p.drawPath(path)
    p.setPen(QColor("#000000"))
    for i, name in enumerate(categories):
        x = plot.left() + (i + 0.5) * band
        if many:
            p.save()
            p.translate(x + 3, plot.bottom() + 4)
            p.rotate(-35)
            text = fm.elidedText(name, Qt.ElideRight, fm.height() * 7)
            p.drawText(QPointF(-fm.horizontalAdvance(text), fm.ascent()), text)
            p.restore()
        else:
            text = fm.elidedText(name, Qt.ElideRight, band - 4)
            p.drawText(QPointF(x - fm.horizontalAdvance(text) / 2, plot.bottom() + 3 + fm.ascent()), text)
    if len(series) > 1:
        x, y = plot.left(), rect.bottom() - fm.height()
        for s, (name, _v) in enumerate(series):
            p.fillRect(QRectF(x, y + 2, fm.height() - 4, fm.height() - 4), QColor(PALETTE[s % len(PALETTE)]))
            p.drawText(QPointF(x + fm.height(), y + fm.ascent()), name)
            x += fm.height() * 3 + fm.horizontalAdvance(name)


class ChartWidget(QWidget):
    """Shows one ChartSeries (or nothing)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.chart: ChartSeries | None = None
        self.setMinimumHeight(220)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)

    def set_chart(self, chart: ChartSeries | None) -> None:
        self.chart = chart
        self.setVisible(chart is not None)
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802, ANN001 - Qt API
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("white"))
        if self.chart is not None:
            paint_chart(p, QRectF(self.rect()).adjusted(8, 6, -8, -6), self.chart, self.font())
        p.end()
