"""The manager's monthly pack 月度报告: a chosen set of reports for one month, as one PDF (a cover
page with contents, then each report from a new page, pages numbered across the pack) or one
workbook (a sheet per report). The chosen set is the business setting `report_pack`
(shared by every desk, audited); a manager or administrator may change it.

The seasonal report covers the full years before the month (its own rule); a report that
cannot be computed for the month (e.g. no sales at all for the seasonal index) is left out
and named in the first report's notes — never a blank page.

The PDF is a summary a manager reads: a list longer than TOP rows shows its first TOP rows (lists
come sorted by what matters: sales, time, urgency) with its totals for all rows, and says so; the
full lists go to a workbook written beside the PDF ("NAME (full lists).xlsx").
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from desktop_crm.core.errors import CrmError, ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.reporting.builders import registry
from desktop_crm.core.reporting.builders.params import ReportParams, month_period
from desktop_crm.core.reporting.model import Report, Section, Table
from desktop_crm.core.services import settings
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.permissions import require_export, require_role

FORMATS = (".pdf", ".xlsx")
TOP = 20  # rows of a list in the PDF pack


def chosen(ctx: Ctx) -> list[str]:
    keys = settings.get(ctx, "report_pack") or []
    return [k for k in keys if k in registry.REPORTS]  # type: ignore[union-attr]


def remember(ctx: Ctx, keys: list[str]) -> list[str]:
    """Store the chosen set for every desk (manager or administrator; audited)."""
    require_role(ctx.actor, "manager", _("Only managers can change the monthly pack."))
    bad = [k for k in keys if k not in registry.REPORTS]
    if bad or not keys:
        raise ValidationError({"reports": _("choose from: {names}").format(names=", ".join(registry.REPORTS))})
    ordered = [k for k in registry.REPORTS if k in keys]
    with ctx.db.write() as s:
        settings.write(s, ctx, "report_pack", ordered)
    return ordered


class _Slice:
    """Progress of one report within the pack's whole."""

    def __init__(self, progress: Any, index: int, count: int):
        self.progress, self.index, self.count = progress, index, count

    def step(self, done: int, total: int | None = None, message: str = "") -> None:
        if self.progress is not None:
            frac = (done / total) if total else 0.0
            self.progress.step(int((self.index + min(frac, 1.0)) * 100), self.count * 100, message)

    def cancelled(self) -> bool:
        return bool(self.progress is not None and self.progress.cancelled())


def build_pack(ctx: Ctx, month: str, keys: list[str] | None = None, scope: str = "all",
               progress: Any = None) -> tuple[list[Report], list[str]]:
    """The month's reports (in registry order) and the titles of those that could not be computed."""
    d0, d1 = month_period(month)
    keys = keys or chosen(ctx)
    if not keys:
        raise ValidationError({"reports": _("choose at least one report for the pack")})
    reports, skipped = [], []
    for i, key in enumerate(keys):
        d = registry.report_def(key)
        try:
            reports.append(registry.build(ctx, key, ReportParams(d0, d1, scope), _Slice(progress, i, len(keys))))
        except ValidationError as exc:
            skipped.append(f"{_(d.title)}: {exc}")
    if not reports:
        raise CrmError(_("None of the chosen reports could be computed: {why}").format(why="; ".join(skipped)))
    return reports, skipped


def _top(table: Table) -> Table:
    return replace(table, rows=table.rows[:TOP]) if len(table.rows) > TOP else table


def summarised(report: Report, workbook: str) -> Report:
    """The report for the PDF pack: long lists cut to their first TOP rows, each cut named in the notes."""
    cut = [(title, len(t.rows)) for _k, title, t in report.tables() if len(t.rows) > TOP]
    if not cut:
        return report
    notes = [_("{table}: the first {n} of {total} rows are shown (totals are for all rows); the full list "
               "is in {workbook}.").format(table=title, n=TOP, total=total, workbook=workbook)
             for title, total in cut]
    return replace(report, main=_top(report.main), notes=[*report.notes, *notes],
                   sections=[Section(s.key, s.title, _top(s.table)) for s in report.sections])


def write_pack(ctx: Ctx, month: str, path: str | os.PathLike, keys: list[str] | None = None, scope: str = "all",
               progress: Any = None) -> list[Path]:
    """Write the pack; returns the files written: the PDF and, when it cut a long list, the workbook
    beside it with every row; or the workbook alone."""
    require_export(ctx.actor)
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise ValidationError({"out": _("use a .pdf or .xlsx file name")})
    month_period(month)
    reports, skipped = build_pack(ctx, month, keys, scope, progress)
    if skipped:
        reports[0].notes = [*reports[0].notes, *(_("Not included: {why}").format(why=w) for w in skipped)]
    from desktop_crm.core.exporting.excel import write_reports_workbook

    if suffix == ".xlsx":
        write_reports_workbook(reports, target)
        return [target]
    from desktop_crm.core.exporting.pdf import write_pack_pdf

    workbook = target.with_name(_("{name} (full lists)").format(name=target.stem) + ".xlsx")
    shown = [summarised(r, workbook.name) for r in reports]
    written = []
    if any(a is not b for a, b in zip(shown, reports, strict=True)):
        write_reports_workbook(reports, workbook)
        written.append(workbook)
    write_pack_pdf(shown, target, _("Monthly report"), month)
    return [target, *written]
