"""Fonts, column widths, orientation and text fitting for the PDF renderer.

Two bundled TrueType fonts (`resources/fonts`, embedded as subsets): Droid Sans
Fallback for Chinese — it has no Latin letters, digits or punctuation — and
DejaVu Sans Condensed for everything it covers. Text is drawn as runs, each in
the font that has its characters (`runs`, `text_width`, `put`). Column widths come
from the titles and a sample of formatted values; the page turns landscape when
the natural widths do not fit portrait A4, and text columns give way (wrapping
up to `MAX_LINES` lines) before the font shrinks.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from desktop_crm.core.paths import cjk_font_path, resources_dir
from desktop_crm.core.reporting.formatting import formatter
from desktop_crm.core.reporting.model import Table

FONT = "DroidSansFallback"  # CJK
LATIN = "DejaVuSansCondensed"  # Latin, digits, punctuation, Greek, Cyrillic
MARGIN = 36.0
FONT_SIZE = 8.0
MIN_FONT_SIZE = 5.5
PAD_X = 3.0
PAD_Y = 2.5
MAX_LINES = 3
WIDTH_SAMPLE_ROWS = 300
MAX_TEXT_WIDTH = 220.0
MIN_TEXT_WIDTH = 40.0
_lock = threading.Lock()


_latin: frozenset[int] = frozenset()


def register_font() -> str:
    """Register the bundled fonts once (thread-safe); return the CJK font's name."""
    global _latin
    with _lock:
        if FONT not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(FONT, str(cjk_font_path())))
        if LATIN not in pdfmetrics.getRegisteredFontNames():
            latin = TTFont(LATIN, str(resources_dir() / "fonts" / "DejaVuSansCondensed.ttf"))
            pdfmetrics.registerFont(latin)
            _latin = frozenset(latin.face.charToGlyph)
    return FONT


def runs(text: str) -> list[tuple[str, str]]:
    """Split text into (font name, substring) runs."""
    if text.isascii():
        return [(LATIN, text)]
    latin = _latin
    out: list[tuple[str, str]] = []
    current, start = None, 0
    for i, ch in enumerate(text):
        font = LATIN if ord(ch) in latin else FONT
        if font is not current:
            if current is not None and i > start:
                out.append((current, text[start:i]))
            current, start = font, i
    out.append((current or LATIN, text[start:]))
    return out


def text_width(text: str, size: float) -> float:
    if text.isascii():
        return pdfmetrics.stringWidth(text, LATIN, size)
    return sum(pdfmetrics.stringWidth(run, font, size) for font, run in runs(text))


def put(t, text: str, size: float) -> None:  # noqa: ANN001 - reportlab text object
    """Write text at the text object's cursor, switching fonts per run."""
    if text.isascii():
        if t._fontname != LATIN:
            t.setFont(LATIN, size)
        t.textOut(text)
        return
    for font, run in runs(text):
        if t._fontname != font:
            t.setFont(font, size)
        t.textOut(run)


def draw_text(c, x: float, y: float, text: str, size: float, align: str = "left", bold: bool = False) -> None:  # noqa: ANN001
    """One line of mixed-script text on a canvas; `bold` fills and strokes the glyphs."""
    if align != "left":
        w = text_width(text, size)
        x -= w / 2 if align == "center" else w
    t = c.beginText(x, y)
    t.setFont(LATIN, size)
    if bold:
        c.setLineWidth(size / 40)
        t.setTextRenderMode(2)
    put(t, text, size)
    if bold:
        t.setTextRenderMode(0)
    c.drawText(t)


def _char_widths():
    faces = pdfmetrics.getFont(LATIN).face, pdfmetrics.getFont(FONT).face
    latin = _latin

    def width(ch: str, scale: float) -> float:
        face = faces[0] if ord(ch) in latin else faces[1]
        return face.charWidths.get(ord(ch), face.defaultWidth) * scale

    return width


def usable_width(pagesize: tuple[float, float]) -> float:
    return pagesize[0] - 2 * MARGIN


def clean(text: str) -> str:
    """Single-line text for the canvas: tabs, newlines and control characters become spaces."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else " " for ch in text)


@dataclass
class TableLayout:
    keys: list[str]
    titles: list[str]
    numeric: list[bool]
    formats: list[Any]
    widths: list[float]
    xs: list[float]  # left edge of each column
    size: float
    leading: float

    @property
    def width(self) -> float:
        return sum(self.widths)


def natural_widths(table: Table, size: float = FONT_SIZE) -> list[float]:
    sample = table.rows[:WIDTH_SAMPLE_ROWS]
    if table.totals:
        sample = [*sample, table.totals]
    widths = []
    for col in table.columns:
        fmt = formatter(col.kind)
        title = max((text_width(w, size) for w in col.title.split()), default=0.0)
        best = max(title, min(text_width(col.title, size), 90.0))
        for row in sample:
            best = max(best, text_width(clean(fmt(row.get(col.key))), size))
        if col.width:
            best = col.width * size * 0.6
        if not col.numeric:
            best = min(best, MAX_TEXT_WIDTH)
        widths.append(best + 2 * PAD_X)
    return widths


def choose_pagesize(tables: list[Table]) -> tuple[float, float]:
    """Portrait A4 unless some table's natural width exceeds the portrait text width."""
    register_font()
    widest = max((sum(natural_widths(t)) for t in tables if t.columns), default=0.0)
    return landscape(A4) if widest > usable_width(A4) else A4


def layout_table(table: Table, pagesize: tuple[float, float]) -> TableLayout:
    widths = natural_widths(table)
    numeric = [c.numeric for c in table.columns]
    usable = usable_width(pagesize)
    size = FONT_SIZE
    total = sum(widths)
    fixed = sum(w for w, n in zip(widths, numeric, strict=True) if n)
    flexible = total - fixed
    if total > usable:
        room = usable - fixed
        if flexible and room >= MIN_TEXT_WIDTH * (len(widths) - sum(numeric)):
            factor = room / flexible
            widths = [w if n else w * factor for w, n in zip(widths, numeric, strict=True)]
        else:
            pads = 2 * PAD_X * len(widths)
            factor = (usable - pads) / (total - pads)
            widths = [(w - 2 * PAD_X) * factor + 2 * PAD_X for w in widths]
            size = max(MIN_FONT_SIZE, FONT_SIZE * factor)
    elif flexible:
        factor = (usable - fixed) / flexible
        widths = [w if n else w * factor for w, n in zip(widths, numeric, strict=True)]
    xs, x = [], MARGIN
    for w in widths:
        xs.append(x)
        x += w
    return TableLayout(
        keys=[c.key for c in table.columns],
        titles=[c.title for c in table.columns],
        numeric=numeric,
        formats=[formatter(c.kind) for c in table.columns],
        widths=widths,
        xs=xs,
        size=size,
        leading=size * 1.25,
    )


def wrap(text: str, width: float, size: float, max_lines: int = MAX_LINES) -> list[str]:
    """Break text into lines no wider than `width` (at spaces when possible, anywhere for CJK)."""
    text = clean(text.replace("\r\n", "\n").replace("\n", " "))
    if text_width(text, size) <= width:
        return [text]
    char_width = _char_widths()
    scale = size / 1000.0
    lines: list[str] = []
    start, used, last_space = 0, 0.0, -1
    i = 0
    while i < len(text):
        ch = text[i]
        w = char_width(ch, scale)
        if used + w > width and i > start:
            cut = last_space + 1 if last_space > start else i
            lines.append(text[start:cut].rstrip())
            start, last_space = cut, -1
            used = sum(char_width(c, scale) for c in text[start:i])
            if len(lines) == max_lines:
                break
        if ch == " ":
            last_space = i
        used += w
        i += 1
    if len(lines) < max_lines:
        lines.append(text[start:])
    elif start < len(text):
        lines[-1] = ellipsize(lines[-1] + text[start:], width, size)
    return [line for line in lines if line] or [""]


def ellipsize(text: str, width: float, size: float) -> str:
    if text_width(text, size) <= width:
        return text
    ell = "…"
    while text and text_width(text + ell, size) > width:
        text = text[: max(len(text) - max(1, len(text) // 8), 0)] if len(text) > 16 else text[:-1]
    return text + ell
