"""Printing a report with exactly the PDF's layout.

The PDF writer (`core/exporting/pdf.py`, class `_ReportPages`) lays a report out on a
reportlab canvas: page size and orientation, header, parameters, chart box, column widths,
wrapped cells, repeated header rows, page breaks, totals and the "Page x of y" footer. For
printing we run that same layout code against `RecordingCanvas`, a stand-in that
implements the handful of canvas calls the layout makes and records them per page; the
pages are then replayed with QPainter onto the printer (or the print preview). Text is
positioned by reportlab's own font metrics and drawn in the same bundled fonts, so the
printed pages and the PDF pages break, align and number identically.

One difference, by design: the chart inside its box is painted by the screen's QPainter
chart (`chart.paint_chart`, same data, same palette) instead of reportlab's chart drawing,
because reportlab's raster renderer needs a native extension the desktop build does not ship.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPageLayout, QPageSize, QPainter, QPainterPath, QPen
from PySide6.QtPrintSupport import QPrinter
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics

from desktop_crm.core.exporting import pdf as pdf_writer
from desktop_crm.core.exporting.common import Ticker
from desktop_crm.core.exporting.pdf_layout import FONT, LATIN, MARGIN, register_font, usable_width
from desktop_crm.core.paths import cjk_font_path, resources_dir
from desktop_crm.core.reporting.model import Report
from desktop_crm.ui.reports.chart import paint_chart

_families: dict[str, str] = {}


def qt_family(font_name: str) -> str:
    """The Qt family of one of the two bundled PDF fonts (loaded once)."""
    if not _families:
        for name, path in ((LATIN, resources_dir() / "fonts" / "DejaVuSansCondensed.ttf"), (FONT, cjk_font_path())):
            fid = QFontDatabase.addApplicationFont(str(path))
            fams = QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
            _families[name] = fams[0] if fams else "Sans Serif"
    return _families.get(font_name, _families.get(LATIN, "Sans Serif"))


def qt_font(font_name: str) -> QFont:
    """A QFont for a PDF font name; the Latin one is DejaVu Sans *Condensed* (same widths as the PDF)."""
    font = QFont(qt_family(font_name))
    if font_name == LATIN:
        font.setStyleName("Condensed")
    font.setKerning(False)  # reportlab places runs without kerning
    return font


def _rgb(color: Any) -> QColor:
    return QColor.fromRgbF(float(color.red), float(color.green), float(color.blue))


class _Text:
    """The reportlab text object calls the layout makes: fonts, origin, runs, render mode."""

    def __init__(self, x: float = 0.0, y: float = 0.0):
        self.x, self.y = x, y
        self._fontname, self._fontsize = LATIN, 8.0
        self.bold = False
        self.runs: list[tuple[float, float, str, float, str, bool]] = []

    def setFont(self, name: str, size: float, leading: float | None = None) -> None:  # noqa: N802
        self._fontname, self._fontsize = name, size

    def setTextRenderMode(self, mode: int) -> None:  # noqa: N802
        self.bold = mode == 2

    def setTextOrigin(self, x: float, y: float) -> None:  # noqa: N802
        self.x, self.y = x, y

    def textOut(self, text: str) -> None:  # noqa: N802
        self.runs.append((self.x, self.y, self._fontname, self._fontsize, text, self.bold))
        self.x += pdfmetrics.stringWidth(text, self._fontname, self._fontsize)


class RecordingCanvas:
    """Records the layout's drawing per page (page size, operations); `pages` after `finish`."""

    def __init__(self) -> None:
        self._pagesize = A4
        self.footer_left = ""
        self.show_footer = True
        self.late: dict[int, list[Any]] = {}
        self._pages: list[dict] = []
        self._ops: list[tuple] = []
        self._fill = QColor("black")
        self._stroke = QColor("black")
        self._width = 1.0

    # page bookkeeping ----------------------------------------------------------------
    def setPageSize(self, size: tuple[float, float]) -> None:  # noqa: N802
        self._pagesize = size

    def showPage(self) -> None:  # noqa: N802
        self._pages.append({"size": self._pagesize, "ops": self._ops, "footer_left": self.footer_left})
        self._ops = []

    def setTitle(self, _t: str) -> None:  # noqa: N802
        pass

    def setAuthor(self, _t: str) -> None:  # noqa: N802
        pass

    # drawing ---------------------------------------------------------------------------
    def setFillColor(self, color: Any) -> None:  # noqa: N802
        self._fill = _rgb(color)

    def setStrokeColor(self, color: Any) -> None:  # noqa: N802
        self._stroke = _rgb(color)

    def setLineWidth(self, width: float) -> None:  # noqa: N802
        self._width = width

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        self._ops.append(("line", QColor(self._stroke), self._width, x1, y1, x2, y2))

    def rect(self, x: float, y: float, w: float, h: float, stroke: int = 1, fill: int = 0) -> None:
        self._ops.append(("rect", QColor(self._fill) if fill else None, QColor(self._stroke) if stroke else None,
                          self._width, x, y, w, h))

    def beginText(self, x: float = 0.0, y: float = 0.0) -> _Text:  # noqa: N802
        return _Text(x, y)

    def drawText(self, t: _Text) -> None:  # noqa: N802
        self._ops.append(("text", QColor(self._fill), t.runs))

    def chart(self, report: Report, x: float, y: float, w: float, h: float) -> None:
        self._ops.append(("chart", report.chart, x, y, w, h))

    # the footer, drawn by the PDF writer's own code once the page count is known ------
    def finish(self) -> list[dict]:
        pages = self._pages
        total = len(pages)
        for number, page in enumerate(pages, 1):
            self._ops, self._pagesize, self.footer_left = page["ops"], page["size"], page["footer_left"]
            if self.show_footer:
                pdf_writer.NumberedCanvas._footer(self, number, total)  # type: ignore[arg-type]
            for draw in self.late.get(number, []):
                draw(self)
        return pages


class _PrintPages(pdf_writer._ReportPages):
    """The PDF layout with the chart recorded as a box (painted by Qt when replayed)."""

    def _chart(self) -> None:
        height = pdf_writer.CHART_HEIGHT
        self._room(height + 20)
        self.c.chart(self.report, MARGIN, self.y - height, usable_width(self.pagesize), height)
        self.y -= height + 14


def layout_pages(report: Report, progress: Any = None) -> list[dict]:
    """The report's pages as the PDF lays them out."""
    register_font()
    canvas = RecordingCanvas()
    _PrintPages(canvas, report, Ticker(progress, report.total_rows())).draw()  # type: ignore[arg-type]
    return canvas.finish()


def _layout_for(size: tuple[float, float]) -> QPageLayout:
    landscape = size[0] > size[1]
    return QPageLayout(QPageSize(QPageSize.A4), QPageLayout.Landscape if landscape else QPageLayout.Portrait,
                       QMarginsF(0, 0, 0, 0))


def paint_pages(printer: QPrinter, pages: list[dict]) -> None:
    """Replay recorded pages onto a printer (print or preview); 1 PDF point = 1/72 inch on paper."""
    if not pages:
        return
    printer.setFullPage(True)
    printer.setPageLayout(_layout_for(pages[0]["size"]))
    painter = QPainter()
    if not painter.begin(printer):
        return
    try:
        for i, page in enumerate(pages):
            if i:
                printer.setPageLayout(_layout_for(page["size"]))
                printer.newPage()
            _paint_page(painter, printer, page)
    finally:
        painter.end()


def _paint_page(p: QPainter, printer: QPrinter, page: dict) -> None:
    k = printer.resolution() / 72.0
    p.setRenderHint(QPainter.Antialiasing, True)
    p.setRenderHint(QPainter.TextAntialiasing, True)
    height = page["size"][1]
    fonts: dict[tuple[str, float, bool], QFont] = {}

    def pt(x: float, y: float) -> QPointF:
        return QPointF(x * k, (height - y) * k)

    for op in page["ops"]:
        kind = op[0]
        if kind == "line":
            _k, color, width, x1, y1, x2, y2 = op
            p.setPen(QPen(color, max(width, 0.3) * k))
            p.drawLine(pt(x1, y1), pt(x2, y2))
        elif kind == "rect":
            _k, fill, stroke, width, x, y, w, h = op
            r = QRectF(pt(x, y + h), QSizeF(w * k, h * k))
            if fill is not None:
                p.fillRect(r, fill)
            if stroke is not None:
                p.setPen(QPen(stroke, width * k))
                p.drawRect(r)
        elif kind == "text":
            _k, color, runs = op
            p.setPen(color)
            for x, y, name, size, text, bold in runs:
                key = (name, size, bold)
                font = fonts.get(key)
                if font is None:
                    font = qt_font(name)
                    font.setPointSizeF(size * k * 72.0 / printer.logicalDpiY())
                    fonts[key] = font
                if bold:  # the PDF "bolds" by stroking the regular glyphs: same widths, so do the same
                    pfont = QFont(font)
                    pfont.setPixelSize(max(1, round(size * k)))  # device-independent, for the outline
                    path = QPainterPath()
                    path.addText(pt(x, y), pfont, text)
                    p.fillPath(path, color)
                    p.strokePath(path, QPen(color, size / 40 * k))
                else:
                    p.setFont(font)
                    p.drawText(pt(x, y), text)
        elif kind == "chart":
            _k, chart, x, y, w, h = op
            font = qt_font(LATIN)
            font.setPointSizeF(7 * k * 72.0 / printer.logicalDpiY())
            paint_chart(p, QRectF(pt(x, y + h), QSizeF(w * k, h * k)), chart, font)


def print_report(printer: QPrinter, report: Report) -> None:
    paint_pages(printer, layout_pages(report))
