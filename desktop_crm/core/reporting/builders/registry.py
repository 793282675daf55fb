"""The reports by name (DOMAIN §7), their specific parameters, and writing one to a file.

`build(ctx, name, params, progress)` computes a report once into the report model; the
screen, print, xlsx, pdf, csv and json all render that one object. Report 12 of DOMAIN §7
("any customer list as shown") is the list export (`core/exporting/lists.py`,
`ui/reports/list_output.py`), not a builder.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_crm.core.errors import ValidationError
from desktop_crm.core.i18n import N_, _
from desktop_crm.core.reporting.builders.params import UNITS, ReportParams
from desktop_crm.core.reporting.model import Report
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.permissions import require_export

FORMATS = (".xlsx", ".pdf", ".csv", ".json")


@dataclass(frozen=True)
class ReportDef:
    key: str
    title: str  # English source, translated when shown
    module: str
    options: tuple[str, ...] = ()  # report-specific parameters: "by", "years", "target"

    def builder(self):  # noqa: ANN201
        return importlib.import_module(f"desktop_crm.core.reporting.builders.{self.module}").build


REPORTS: dict[str, ReportDef] = {d.key: d for d in [
    ReportDef("composition", N_("Customer composition"), "composition", ("by",)),
    ReportDef("abc", N_("ABC analysis"), "abc"),
    ReportDef("pyramid", N_("Value pyramid"), "pyramid"),
    ReportDef("performance", N_("Customer transaction performance"), "performance"),
    ReportDef("products", N_("Product sales composition"), "products"),
    ReportDef("seasonal", N_("Seasonal index and monthly targets"), "seasonal", ("years", "target")),
    ReportDef("churn", N_("Churn and retention"), "churn"),
    ReportDef("complaints", N_("Complaint analysis"), "complaints"),
    ReportDef("satisfaction", N_("Satisfaction and loyalty"), "satisfaction"),
    ReportDef("visits", N_("Return visits"), "visits"),
    ReportDef("staff", N_("Staff activity"), "staff"),
    ReportDef("leads", N_("Leads"), "leads"),
]}


def report_def(name: str) -> ReportDef:
    d = REPORTS.get(name)
    if d is None:
        raise ValidationError({"report": _("unknown report '{name}'; use one of: {names}").format(
            name=name, names=", ".join(REPORTS))})
    return d


def build(ctx: Ctx, name: str, params: ReportParams, progress: Any = None) -> Report:
    """Compute one report (permissions applied inside, on every query); money in the unit asked for."""
    report = report_def(name).builder()(ctx, params, progress)
    if params.unit == "wan":
        in_wan(report)
    return report


def in_wan(report: Report) -> None:
    """Money columns shown in 万元 (ten thousands of yuan): the values stay yuan (JSON too); the screen,
    the workbook and the PDF show them ÷ 10,000."""
    from dataclasses import replace

    from desktop_crm.core.reporting.model import Parameter

    for _key, _title, table in report.tables():
        table.columns = [replace(c, kind="wan") if c.kind == "money" else c for c in table.columns]
    report.parameters.append(Parameter(_("Money in"), _(UNITS["wan"]), "unit"))
    if hasattr(report, "json_params"):
        report.json_params["unit"] = "wan"


def write(ctx: Ctx, report: Report, path: str | os.PathLike, progress: Any = None) -> Path:
    """Write a built report to .xlsx, .pdf, .csv (main table and sections) or .json."""
    require_export(ctx.actor)
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".xlsx":
        from desktop_crm.core.exporting.excel import write_report_xlsx

        write_report_xlsx(report, target, progress)
    elif suffix == ".pdf":
        from desktop_crm.core.exporting.pdf import write_report_pdf

        write_report_pdf(report, target, progress)
    elif suffix == ".csv":
        from desktop_crm.core.exporting.csvjson import write_csv

        write_csv(report, target, include_sections=True, progress=progress)
    elif suffix == ".json":
        from desktop_crm.core.exporting.csvjson import write_json

        write_json(report, target)
    else:
        raise ValidationError({"out": _("use a .xlsx, .pdf, .csv or .json file name")})
    return target
