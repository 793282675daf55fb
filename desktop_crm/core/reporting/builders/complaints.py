"""8. Complaints 投诉分析: complaints received in the period by category, with share, mean first
response and resolution times (calendar hours from received), overdue now (open past a due
time, DOMAIN §5) and the mean follow-up satisfaction; the same figures by root cause,
severity, status, channel and handler. Permission: the complaints the user may see."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from desktop_crm.core import enums
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Complaint, User
from desktop_crm.core.reporting.builders.common import DRILL, KEYS, col, mean, shares, shell, step
from desktop_crm.core.reporting.builders.params import ReportParams, header, resolve_scope
from desktop_crm.core.reporting.model import ChartSeries, Report, Section, Table, total_label
from desktop_crm.core.services.complaints import complaint_scope
from desktop_crm.core.services.complaints_query import OPEN
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.customer_query import IDS

_FIELDS = ["category", "root_cause", "severity", "status", "channel", "handler"]
_ENUMS = {"category": enums.COMPLAINT_CATEGORY, "root_cause": enums.ROOT_CAUSE, "severity": enums.COMPLAINT_SEVERITY,
          "status": enums.COMPLAINT_STATE, "channel": enums.COMPLAINT_CHANNEL}


def _hours(a: datetime | None, b: datetime | None) -> float | None:
    return None if a is None or b is None else (b - a).total_seconds() / 3600


def build(ctx: Ctx, p: ReportParams, progress: Any = None, now: datetime | None = None) -> Report:
    now = now or datetime.now()
    step(progress, 0, 2, _("Reading complaints…"))
    handler = aliased(User)
    with ctx.db.read() as s:
        scope = resolve_scope(s, ctx, p.scope)
        head = header(s, ctx)
        conds = [Complaint.received_at >= p.start, Complaint.received_at <= p.end, complaint_scope(ctx.actor)]
        if scope.key != "all":
            conds.append(scope.customers_of(Complaint.customer_id))
        data = s.execute(
            select(Complaint.category, Complaint.root_cause, Complaint.severity, Complaint.status, Complaint.channel,
                   handler.display_name, handler.username, Complaint.received_at, Complaint.first_response_at,
                   Complaint.resolved_at, Complaint.response_due, Complaint.resolution_due, Complaint.satisfaction,
                   Complaint.customer_id)
            .outerjoin(handler, handler.id == Complaint.handler_id).where(*conds)).all()
    step(progress, 1, 2)
    items = []
    for (cat, root, sev, status, channel, hdn, hun, received, first, resolved, rdue, sdue, sat, cid) in data:
        overdue = status in OPEN and ((first is None and rdue < now) or sdue < now)
        items.append({"category": cat, "root_cause": root, "severity": sev, "status": status, "channel": channel,
                      "handler": hdn or hun, "response": _hours(received, first),
                      "resolution": _hours(received, resolved), "overdue": overdue, "satisfaction": sat,
                      "customer_id": cid})
    tables = {f: _group(items, f, _label(f)) for f in _FIELDS}
    main = tables.pop("category")
    sections = [Section(f"by_{f}", title, tables[f]) for f, title in (
        ("root_cause", _("By root cause")), ("severity", _("By severity")), ("status", _("By status")),
        ("channel", _("By channel")), ("handler", _("By handler")))]
    chart = ChartSeries("pie", _("Complaints by category"), [r["category"] for r in main.rows],
                        [(_("Complaints"), [r["complaints"] for r in main.rows])])
    step(progress, 2, 2)
    return shell("complaints", _("Complaint analysis"), p, scope, head, main, sections=sections, chart=chart,
                 notes=[_("Times in calendar hours from receipt; overdue = still open and past a due time "
                          "at {now}.").format(now=now.strftime("%Y-%m-%d %H:%M"))])


def _label(field: str) -> Callable[[Any], str]:
    enum = _ENUMS.get(field)
    if field == "handler":
        return lambda v: v or _("(unassigned)")
    return lambda v: enum.label(v) if v else _("(not set)")


def _figures(group: list[dict]) -> dict[str, Any]:
    return {"complaints": len(group),
            "avg_response_hours": mean([g["response"] for g in group if g["response"] is not None]),
            "avg_resolution_hours": mean([g["resolution"] for g in group if g["resolution"] is not None]),
            "overdue": sum(1 for g in group if g["overdue"]),
            "satisfaction_mean": mean([g["satisfaction"] for g in group if g["satisfaction"] is not None])}


def _group(items: list[dict], field: str, label: Callable[[Any], str]) -> Table:
    groups: dict[Any, list[dict]] = {}
    for item in items:
        groups.setdefault(item[field], []).append(item)
    enum = _ENUMS.get(field)
    order = list(enum.keys) if enum else []
    keys = sorted(groups, key=lambda k: (-len(groups[k]), order.index(k) if k in order else 99, str(k or "")))
    rows = []
    for k, share in zip(keys, shares([len(groups[k]) for k in keys]), strict=True):
        rows.append({field: label(k), **_figures(groups[k]), "share": share,
                     DRILL: {IDS: sorted({g["customer_id"] for g in groups[k]})},
                     **({KEYS: {field: k}} if field != "handler" else {})})
    totals = {field: total_label(), **_figures(items), "share": 1 if items else None}
    title = {"category": _("Category"), "root_cause": _("Root cause"), "severity": _("Severity"),
             "status": _("Status"), "channel": _("Channel"), "handler": _("Handler")}[field]
    columns = [col(field, title), col("complaints", _("Complaints"), "int"), col("share", _("Share"), "percent"),
               col("avg_response_hours", _("Avg. response (h)"), "number"),
               col("avg_resolution_hours", _("Avg. resolution (h)"), "number"),
               col("overdue", _("Overdue"), "int"), col("satisfaction_mean", _("Satisfaction (1–5)"), "number")]
    return Table(columns, rows, totals)
