"""PDF rendering of the report model, drawn straight onto a reportlab canvas.

Every page carries a header (company, report title, period, scope, who produced
it and when) and a footer "Page x of y" (the canvas keeps its pages until
`save`, when the total is known). The first page shows the parameters and the
chart; the main table follows with its header row repeated on every page and a
totals row; each section follows with its title. Rows are drawn directly with
one text object per page (no platypus tables), which keeps a 10,000-row report
close to the cost of drawing its strings (see `bench/bench_pdf_export.py`).
"""

from __future__ import annotations

import os
import threading
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import STATE_DEFAULTS
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas as rl_canvas

from desktop_crm.core.exporting.common import Ticker, atomic_path
from desktop_crm.core.exporting.pdf_chart import chart_drawing
from desktop_crm.core.exporting.pdf_layout import (
    LATIN,
    MARGIN,
    PAD_X,
    PAD_Y,
    TableLayout,
    choose_pagesize,
    clean,
    draw_text,
    ellipsize,
    layout_table,
    put,
    register_font,
    text_width,
    usable_width,
    wrap,
)
from desktop_crm.core.i18n import _
from desktop_crm.core.reporting.model import Report, Table

HEADER_FILL = colors.HexColor("#DDEBF7")
TOTAL_FILL = colors.HexColor("#F2F2F2")
STRIPE_FILL = colors.HexColor("#F7F9FC")
RULE = colors.HexColor("#808080")
CHART_HEIGHT = 200.0
FOOTER_Y = 20.0
BOTTOM = MARGIN + 6
_render_lock = threading.Lock()


class NumberedCanvas(rl_canvas.Canvas):
    """Keeps every page until `save` so the footer can say "Page x of y"."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []
        self.footer_left = ""
        self.show_footer = True
        # page number -> callables drawn on that page at save time (e.g. contents with page numbers)
        self.late: dict[int, list[Any]] = {}

    def showPage(self) -> None:  # noqa: N802 - reportlab API
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, 1):
            self.__dict__.update(state)
            if self.show_footer:
                self._footer(number, total)
            for draw in self.late.get(number, []):
                draw(self)
            super().showPage()
        super().save()

    def _footer(self, number: int, total: int) -> None:
        width = self._pagesize[0]
        self.setFillColor(colors.black)
        footer = _("Page {page} of {pages}").format(page=number, pages=total)
        draw_text(self, width / 2, FOOTER_Y, footer, 7.5, "center")
        if self.footer_left:
            draw_text(self, MARGIN, FOOTER_Y, ellipsize(self.footer_left, width / 2 - MARGIN - 40, 7.5), 7.5)


def write_report_pdf(report: Report, path: str | os.PathLike, progress: Any = None) -> None:
    """One report: header and footer on every page, chart first, then the tables."""
    register_font()
    ticker = Ticker(progress, report.total_rows())
    with atomic_path(path) as tmp:
        c = NumberedCanvas(str(tmp), pagesize=A4, pageCompression=1, initialFontName=LATIN)
        c.setTitle(report.title)
        c.setAuthor(report.produced_by)
        _ReportPages(c, report, ticker).draw()
        c.save()
    ticker.finish()


def write_pack_pdf(reports: list[Report], path: str | os.PathLike, cover_title: str, month: str,
                   progress: Any = None) -> None:
    """The monthly pack: a cover page, then each report from a new page; pages numbered across the pack."""
    register_font()
    ticker = Ticker(progress, sum(r.total_rows() for r in reports))
    with atomic_path(path) as tmp:
        c = NumberedCanvas(str(tmp), pagesize=A4, pageCompression=1, initialFontName=LATIN)
        c.setTitle(cover_title)
        starts: list[int] = []
        cover = _cover(c, reports, cover_title, month, starts)
        for report in reports:
            starts.append(len(c._pages) + 1)
            _ReportPages(c, report, ticker).draw()
        c.late.setdefault(1, []).append(cover)
        c.save()
    ticker.finish()


def _cover(c: NumberedCanvas, reports: list[Report], cover_title: str, month: str, starts: list[int]):
    """Draw the cover page; return the drawing of its contents, done at save when page numbers are known."""
    width, height = A4
    c.setPageSize(A4)
    c.footer_left = ""
    first = reports[0] if reports else None
    y = height * 0.68
    if first and first.company:
        draw_text(c, width / 2, y + 50, clean(first.company), 16, "center", bold=True)
    draw_text(c, width / 2, y, clean(cover_title), 24, "center", bold=True)
    draw_text(c, width / 2, y - 32, clean(month), 14, "center")
    if first:
        stamp = first.produced_at.strftime("%Y-%m-%d %H:%M") if first.produced_at else ""
        text = _("Produced by {user} at {time}").format(user=clean(first.produced_by), time=stamp)
        draw_text(c, width / 2, MARGIN * 2, text, 10, "center")
    c.showPage()

    def contents(canvas: NumberedCanvas) -> None:
        canvas.setFillColor(colors.black)
        top = y - 90
        draw_text(canvas, MARGIN * 3, top, _("Contents"), 11, bold=True)
        for i, (report, page) in enumerate(zip(reports, starts, strict=False), 1):
            line_y = top - 18 * i
            title = ellipsize(f"{i}. {clean(report.title)}", width - MARGIN * 8, 10)
            draw_text(canvas, MARGIN * 3 + 10, line_y, title, 10)
            draw_text(canvas, width - MARGIN * 3, line_y, str(page), 10, "right")

    return contents


class _ReportPages:
    """Draws one report onto a canvas, starting on a new page."""

    def __init__(self, c: NumberedCanvas, report: Report, ticker: Ticker):
        self.c = c
        self.report = report
        self.ticker = ticker
        self.pagesize = choose_pagesize([t for _k, _t, t in report.tables()])
        self.y = 0.0

    # pages ------------------------------------------------------------------------------------

    def draw(self) -> None:
        self.c.footer_left = self.report.title
        self._new_page(first=True)
        self._parameters()
        if self.report.chart is not None:
            self._chart()
        self._table(self.report.main)
        for _key, title, table in self.report.tables()[1:]:
            self._section_title(title, table)
            self._table(table)
        self._notes()
        self.c.showPage()

    def _new_page(self, first: bool = False) -> None:
        c = self.c
        if not first:
            c.showPage()
        c.setPageSize(self.pagesize)
        width, height = self.pagesize
        r = self.report
        top = height - MARGIN
        c.setFillColor(colors.black)
        c.setStrokeColor(colors.black)
        if r.company:
            draw_text(c, MARGIN, top, clean(r.company), 8)
        stamp = r.produced_at.strftime("%Y-%m-%d %H:%M") if r.produced_at else ""
        produced = _("Produced by {user} at {time}").format(user=clean(r.produced_by), time=stamp)
        draw_text(c, width - MARGIN, top, produced, 8, "right")
        draw_text(c, MARGIN, top - 20, ellipsize(clean(r.title), usable_width(self.pagesize), 14), 14, bold=True)
        facts = []
        if r.period:
            facts.append(_("Period: {period}").format(period=clean(r.period)))
        if r.scope:
            facts.append(_("Scope: {scope}").format(scope=clean(r.scope)))
        draw_text(c, MARGIN, top - 34, ellipsize("    ".join(facts), usable_width(self.pagesize), 8.5), 8.5)
        c.setStrokeColor(RULE)
        c.setLineWidth(0.6)
        c.line(MARGIN, top - 40, width - MARGIN, top - 40)
        self.y = top - 52

    def _room(self, needed: float) -> None:
        if self.y - needed < BOTTOM:
            self._new_page()

    def _parameters(self) -> None:
        params = self.report.parameters
        if not params:
            return
        c = self.c
        width = usable_width(self.pagesize)
        text = "    ".join(f"{clean(str(p.label))}: {clean(_plain(p.value))}" for p in params)
        for line in wrap(text, width, 8.5, max_lines=6):
            self._room(12)
            draw_text(c, MARGIN, self.y - 9, line, 8.5)
            self.y -= 12
        self.y -= 4

    def _chart(self) -> None:
        self._room(CHART_HEIGHT + 20)
        drawing, labels = chart_drawing(self.report.chart, usable_width(self.pagesize), CHART_HEIGHT)
        x0, y0 = MARGIN, self.y - CHART_HEIGHT
        _render_drawing(drawing, self.c, x0, y0)
        c = self.c
        c.setFillColor(colors.black)
        for label in labels:
            if label.angle:
                c.saveState()
                c.translate(x0 + label.x, y0 + label.y)
                c.rotate(label.angle)
                draw_text(c, 0, 0, label.text, label.size, label.align)
                c.restoreState()
            else:
                draw_text(c, x0 + label.x, y0 + label.y, label.text, label.size, label.align)
        self.y -= CHART_HEIGHT + 14

    def _section_title(self, title: str, table: Table) -> None:
        self.y -= 10
        self._room(16 + 40)  # keep the title with the table header and a first row
        draw_text(self.c, MARGIN, self.y - 11, clean(title), 11, bold=True)
        self.y -= 20

    def _notes(self) -> None:
        notes = self.report.notes
        if not notes:
            return
        c = self.c
        self.y -= 8
        self._room(30)
        draw_text(c, MARGIN, self.y - 9, _("Notes"), 9, bold=True)
        self.y -= 14
        for note in notes:
            for line in wrap(note, usable_width(self.pagesize), 8.5, max_lines=50):
                self._room(12)
                draw_text(c, MARGIN, self.y - 9, line, 8.5)
                self.y -= 12

    # tables -----------------------------------------------------------------------------------

    def _table(self, table: Table) -> None:
        if not table.columns:
            return
        lay = layout_table(table, self.pagesize)
        header = [wrap(t, w - 2 * PAD_X, lay.size, 2) for t, w in zip(lay.titles, lay.widths, strict=True)]
        header_h = max(len(h) for h in header) * lay.leading + 2 * PAD_Y
        if not table.rows and not table.totals:
            self._room(header_h + 14)
            self._header_row(lay, header, header_h)
            draw_text(self.c, MARGIN + PAD_X, self.y - lay.leading, _("No data"), lay.size)
            self.y -= lay.leading + 2 * PAD_Y
            return
        self._room(header_h + lay.leading + 2 * PAD_Y)
        self._header_row(lay, header, header_h)
        tick = self.ticker.tick
        for i, row in enumerate(table.rows):
            self._row(lay, row, header, header_h, stripe=bool(i % 2))
            tick()
        if table.totals:
            self._row(lay, table.totals, header, header_h, total=True)
        self.ticker.check()
        self.y -= 6

    def _header_row(self, lay: TableLayout, header: list[list[str]], height: float) -> None:
        c = self.c
        c.setFillColor(HEADER_FILL)
        c.rect(MARGIN, self.y - height, lay.width, height, stroke=0, fill=1)
        c.setFillColor(colors.black)
        c.setStrokeColor(RULE)
        c.setLineWidth(0.5)
        c.line(MARGIN, self.y, MARGIN + lay.width, self.y)
        c.line(MARGIN, self.y - height, MARGIN + lay.width, self.y - height)
        c.setStrokeColor(colors.black)
        c.setLineWidth(lay.size / 40)
        t = c.beginText()
        t.setFont(LATIN, lay.size)
        t.setTextRenderMode(2)
        for lines, x, w, num in zip(header, lay.xs, lay.widths, lay.numeric, strict=True):
            y = self.y - PAD_Y - lay.size
            for line in lines:
                lx = x + w - PAD_X - text_width(line, lay.size) if num else x + PAD_X
                t.setTextOrigin(lx, y)
                put(t, line, lay.size)
                y -= lay.leading
        t.setTextRenderMode(0)
        c.drawText(t)
        self.y -= height

    def _row(self, lay: TableLayout, row: dict, header: list[list[str]], header_h: float,
             stripe: bool = False, total: bool = False) -> None:
        size, leading = lay.size, lay.leading
        cells = []
        lines_max = 1
        for key, fmt, w, num in zip(lay.keys, lay.formats, lay.widths, lay.numeric, strict=True):
            value = row.get(key)
            if value is None:
                cells.append(None)
                continue
            text = fmt(value)
            if num and not isinstance(value, str):
                cells.append((text, text_width(text, size)))
                continue
            text = clean(text)
            tw = text_width(text, size)
            if tw <= w - 2 * PAD_X:
                cells.append((text, tw) if num else text)
            else:
                lines = wrap(text, w - 2 * PAD_X, size)
                lines_max = max(lines_max, len(lines))
                cells.append(lines)
        height = lines_max * leading + 2 * PAD_Y
        if self.y - height < BOTTOM:
            self._new_page()
            self._header_row(lay, header, header_h)
        c = self.c
        top = self.y
        if total or stripe:
            c.setFillColor(TOTAL_FILL if total else STRIPE_FILL)
            c.rect(MARGIN, top - height, lay.width, height, stroke=0, fill=1)
            c.setFillColor(colors.black)
        if total:
            c.setStrokeColor(RULE)
            c.line(MARGIN, top, MARGIN + lay.width, top)
            c.line(MARGIN, top - height, MARGIN + lay.width, top - height)
        t = c.beginText()
        t.setFont(LATIN, size)
        if total:
            c.setStrokeColor(colors.black)
            c.setLineWidth(size / 40)
            t.setTextRenderMode(2)
        base = top - PAD_Y - size
        for cell, x, w in zip(cells, lay.xs, lay.widths, strict=True):
            if cell is None:
                continue
            if cell.__class__ is str:
                t.setTextOrigin(x + PAD_X, base)
                put(t, cell, size)
            elif cell.__class__ is tuple:
                t.setTextOrigin(x + w - PAD_X - cell[1], base)
                put(t, cell[0], size)
            else:
                y = base
                for line in cell:
                    t.setTextOrigin(x + PAD_X, y)
                    put(t, line, size)
                    y -= leading
        if total:
            t.setTextRenderMode(0)
        c.drawText(t)
        self.y = top - height


def _render_drawing(drawing: Any, c: rl_canvas.Canvas, x: float, y: float) -> None:
    """renderPDF starts from the graphics default font (Helvetica, not embedded); start from ours."""
    with _render_lock:
        saved = STATE_DEFAULTS["fontName"]
        STATE_DEFAULTS["fontName"] = LATIN
        try:
            renderPDF.draw(drawing, c, x, y)
        finally:
            STATE_DEFAULTS["fontName"] = saved


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M") if hasattr(value, "hour") else value.isoformat()
    return str(value)
