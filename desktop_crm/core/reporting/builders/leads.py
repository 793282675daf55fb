"""Leads 线索分析: the leads created in the period by source — how many, how many reached, qualified
and converted, the conversion rate and the days from lead to customer — and the same by month."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from desktop_crm.core.enums import LEAD_STATUS, SOURCE
from desktop_crm.core.i18n import _
from desktop_crm.core.leads.service import scope as lead_scope
from desktop_crm.core.models import Lead, User
from desktop_crm.core.reporting.builders.common import KEYS, col, mean, ratio, shell, step
from desktop_crm.core.reporting.builders.params import ReportParams, header, resolve_scope
from desktop_crm.core.reporting.model import ChartSeries, Section, Table, total_label
from desktop_crm.core.services.context import Ctx

REACHED = ("contacted", "qualified", "disqualified", "converted")


def _row(label: str, key: object, leads: list[tuple]) -> dict[str, Any]:
    converted = [lead for lead in leads if lead[1] == "converted"]
    days = [max(0, (lead[3] - lead[2]).days) for lead in converted if lead[3] is not None]
    return {"group": label, "leads": len(leads), "reached": sum(lead[1] in REACHED for lead in leads),
            "qualified": sum(lead[1] in ("qualified", "converted") for lead in leads), "converted": len(converted),
            "rate": ratio(len(converted), len(leads)), "days": mean(days), KEYS: {"group": key}}


def build(ctx: Ctx, p: ReportParams, progress: Any = None) -> Any:
    step(progress, 0, 1, _("Counting leads…"))
    with ctx.db.read() as s:
        scope = resolve_scope(s, ctx, p.scope)
        head = header(s, ctx)
        q = select(Lead.source, Lead.status, Lead.created_at, Lead.converted_at).where(
            lead_scope(ctx.actor), Lead.created_at >= p.start, Lead.created_at <= p.end)
        if scope.key != "all" and scope.users is not None:  # a department or an owner; "all": what one may see
            q = q.where(Lead.owner_id.in_(select(User.id).where(scope.users)))
        rows = s.execute(q).all()
    by_source: dict[str | None, list[tuple]] = {}
    by_month: dict[str, list[tuple]] = {}
    for r in rows:
        by_source.setdefault(r[0], []).append(r)
        by_month.setdefault(r[2].strftime("%Y-%m"), []).append(r)
    order = sorted(by_source, key=lambda k: (-len(by_source[k]), k is None, k or ""))
    main_rows = [_row(SOURCE.label(k) if k else _("(not set)"), k, by_source[k]) for k in order]
    totals = _row(total_label(), None, list(rows))
    totals.pop(KEYS)
    columns = [col("group", _("Source")), col("leads", _("Leads"), "int"), col("reached", _("Reached"), "int"),
               col("qualified", _("Qualified"), "int"), col("converted", _("Converted"), "int"),
               col("rate", _("Conversion rate"), "percent"), col("days", _("Days to convert"), "number")]
    month_rows = []
    for m in p.months():
        key = m.strftime("%Y-%m")
        month_rows.append(_row(key, key, by_month.get(key, [])))
    month_table = Table([col("group", _("Month")), *columns[1:]], month_rows, dict(totals, group=total_label()))
    chart = ChartSeries("bar", _("Leads and conversions by source"), [r["group"] for r in main_rows],
                        [(_("Leads"), [r["leads"] for r in main_rows]),
                         (_("Converted"), [r["converted"] for r in main_rows])])
    notes = [_("Leads created in the period; a lead counts as converted when it became a customer, whenever "
               "that was. Statuses: {list}.").format(list=", ".join(LEAD_STATUS.label(k) for k in LEAD_STATUS.keys))]
    step(progress, 1, 1)
    return shell("leads", _("Leads"), p, scope, head, Table(columns, main_rows, totals),
                 sections=[Section("months", _("By month"), month_table)], chart=chart, notes=notes)
