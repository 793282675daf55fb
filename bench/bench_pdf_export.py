"""PDF export speed: write_report_pdf vs a bare reportlab canvas drawing the same strings.

    python bench/bench_pdf_export.py [--rows 10000] [--repeat 2]

The bare loop draws every formatted cell string with `drawString` in the same
fonts (the Latin font for ASCII text, the CJK font otherwise), 40 rows a page.
Target (ratio printed last): write_report_pdf ≤ 1.5 × bare canvas.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reportlab.lib.pagesizes import A4, landscape  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from bench.bench_excel_export import build_report  # noqa: E402
from desktop_crm.core.exporting.pdf import write_report_pdf  # noqa: E402
from desktop_crm.core.exporting.pdf_layout import FONT, LATIN, register_font  # noqa: E402
from desktop_crm.core.reporting.formatting import formatter  # noqa: E402


def cell_strings(report) -> list[list[str]]:  # noqa: ANN001
    cols = report.main.columns
    fmts = [(c.key, formatter(c.kind)) for c in cols]
    rows = [[c.title for c in cols]]
    rows += [[fmt(r.get(k)) for k, fmt in fmts] for r in report.main.rows]
    rows.append([fmt(report.main.totals.get(k)) for k, fmt in fmts])
    return rows


def bare(strings: list[list[str]], path: Path) -> None:
    c = Canvas(str(path), pagesize=landscape(A4), pageCompression=1, initialFontName=LATIN)
    width = (landscape(A4)[0] - 72) / len(strings[0])
    y = 0.0
    for i, row in enumerate(strings):
        if i % 40 == 0:
            if i:
                c.showPage()
            y = landscape(A4)[1] - 60
        for j, text in enumerate(row):
            c.setFont(LATIN if text.isascii() else FONT, 7)
            c.drawString(36 + j * width, y, text)
        y -= 12
    c.showPage()
    c.save()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    register_font()
    report = build_report(args.rows)
    report.chart = None
    best = {"bare": float("inf"), "report": float("inf")}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            bare(cell_strings(report), Path(tmp) / "bare.pdf")
            best["bare"] = min(best["bare"], time.perf_counter() - t0)
            t0 = time.perf_counter()
            write_report_pdf(report, Path(tmp) / "report.pdf")
            best["report"] = min(best["report"], time.perf_counter() - t0)
    print(f"rows={args.rows} cols={len(report.main.columns)} (best of {args.repeat})")
    print(f"bare reportlab canvas : {best['bare']:.2f} s")
    print(f"write_report_pdf      : {best['report']:.2f} s")
    print(f"ratio                 : {best['report'] / best['bare']:.2f}  (target <= 1.50)")


if __name__ == "__main__":
    main()
