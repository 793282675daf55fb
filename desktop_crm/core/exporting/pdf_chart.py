"""The report chart as a reportlab drawing (bar, pie or line) plus its text labels.

reportlab chart labels take a single font, and Chinese and Latin need two
(see `pdf_layout`), so the drawing carries the shapes and numeric axis labels,
and every other text (title, categories, legend) comes back as `ChartLabel`s
that the PDF writer draws in mixed-script runs on top.
"""

from __future__ import annotations

from typing import NamedTuple

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors

from desktop_crm.core.exporting.pdf_layout import LATIN, clean, ellipsize, register_font, text_width
from desktop_crm.core.reporting.model import ChartSeries

PALETTE = [
    colors.HexColor(c)
    for c in ("#4472C4", "#ED7D31", "#A5A5A5", "#FFC000", "#5B9BD5", "#70AD47",
              "#264478", "#9E480E", "#636363", "#997300", "#255E91", "#43682B")
]
LABEL_SIZE = 7
MAX_CATEGORIES = 40


def _axis_number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 10 else f"{value:,.2f}".rstrip("0").rstrip(".")


class ChartLabel(NamedTuple):
    x: float
    y: float
    text: str
    size: float
    align: str = "left"  # left, center, right
    angle: float = 0.0


def chart_drawing(chart: ChartSeries, width: float, height: float) -> tuple[Drawing, list[ChartLabel]]:
    """A drawing of `width` × `height` points and the labels to draw over it (drawing coordinates)."""
    register_font()
    drawing = Drawing(width, height)
    labels = [ChartLabel(width / 2, height - 12, clean(chart.title), 10, "center")]
    categories = [clean(str(c)) for c in chart.categories][:MAX_CATEGORIES]
    series = [(clean(name), values[:MAX_CATEGORIES]) for name, values in chart.float_series()]
    if categories and series:
        if chart.kind == "pie":
            _pie(drawing, labels, categories, series[0][1], width, height)
        else:
            _xy(drawing, labels, chart.kind, categories, series, width, height)
    return drawing, labels


def _legend(drawing: Drawing, labels: list[ChartLabel], items: list[tuple], x: float, y: float,
            across: bool = False) -> None:
    """Colour swatches with names, down a column (or across a row), starting at the top-left (x, y)."""
    step_y = 10
    for color, name in items:
        drawing.add(Rect(x, y - 7, 7, 7, fillColor=color, strokeColor=None))
        labels.append(ChartLabel(x + 10, y - 6.5, name, LABEL_SIZE))
        if across:
            x += 24 + text_width(name, LABEL_SIZE)
        else:
            y -= step_y


def _pie(drawing: Drawing, labels: list[ChartLabel], categories: list[str], values: list[float],
         width: float, height: float) -> None:
    pie = Pie()
    size = min(height - 30, width * 0.45)
    pie.x, pie.y = 20, (height - 20 - size) / 2
    pie.width = pie.height = size
    pie.data = [max(v, 0.0) for v in values] if any(v > 0 for v in values) else [1.0] * len(values)
    pie.labels = None
    pie.slices.strokeWidth = 0.5
    pie.slices.strokeColor = colors.white
    for i in range(len(values)):
        pie.slices[i].fillColor = PALETTE[i % len(PALETTE)]
    drawing.add(pie)
    total = sum(v for v in values if v > 0) or 1.0
    items = [
        (PALETTE[i % len(PALETTE)], f"{ellipsize(name, 150, LABEL_SIZE)}  {max(v, 0) / total * 100:.1f}%")
        for i, (name, v) in enumerate(zip(categories, values, strict=False))
    ]
    per_column = max(1, int((height - 30) // 10))
    x = pie.x + size + 30
    for start in range(0, len(items), per_column):
        _legend(drawing, labels, items[start:start + per_column], x, height - 26)
        x += 200


def _xy(drawing: Drawing, labels: list[ChartLabel], kind: str, categories: list[str],
        series: list[tuple[str, list[float]]], width: float, height: float) -> None:
    plot = VerticalBarChart() if kind == "bar" else HorizontalLineChart()
    legend_h = 14 if len(series) > 1 else 0
    many = len(categories) > 8
    bottom = 44 if many else 18
    plot.x, plot.y = 50, bottom + legend_h
    plot.width, plot.height = width - 70, height - 24 - plot.y
    plot.data = [values for _name, values in series]
    cat = plot.categoryAxis
    cat.categoryNames = categories
    cat.labels.fontName = LATIN
    cat.visibleLabels = 0
    val = plot.valueAxis
    val.labels.fontName, val.labels.fontSize = LATIN, LABEL_SIZE
    val.labelTextFormat = _axis_number
    low = min(min(v) for _n, v in series)
    val.valueMin = min(0.0, low)
    if kind == "bar":
        for i in range(len(series)):
            plot.bars[i].fillColor = PALETTE[i % len(PALETTE)]
            plot.bars[i].strokeColor = None
        plot.barSpacing = 1
        plot.groupSpacing = 6 if len(categories) < 20 else 2
    else:
        for i in range(len(series)):
            plot.lines[i].strokeColor = PALETTE[i % len(PALETTE)]
            plot.lines[i].strokeWidth = 1.5
        plot.joinedLines = 1
    drawing.add(plot)
    band = plot.width / len(categories)
    for i, name in enumerate(categories):
        x = plot.x + (i + 0.5) * band
        if many:
            labels.append(ChartLabel(x + 2, plot.y - 9, ellipsize(name, 60, LABEL_SIZE), LABEL_SIZE, "right", 35))
        else:
            labels.append(ChartLabel(x, plot.y - 9, ellipsize(name, band - 4, LABEL_SIZE), LABEL_SIZE, "center"))
    if len(series) > 1:
        items = [(PALETTE[i % len(PALETTE)], name) for i, (name, _v) in enumerate(series)]
        _legend(drawing, labels, items, plot.x, legend_h, across=True)
