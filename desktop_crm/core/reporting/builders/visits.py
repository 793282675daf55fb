"""10. Return visits 回访报告: visit plans due in the period — planned vs done (and cancelled,
still open past due), done rate, scores — by purpose and by assignee, and the feedback tags
of the visits done."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from desktop_crm.core.enums import VISIT_FEEDBACK, VISIT_PURPOSE
from desktop_crm.core.i18n import _
from desktop_crm.core.models import User
from desktop_crm.core.models.visits import VisitPlan
from desktop_crm.core.reporting.builders.common import DRILL, KEYS, col, mean, ratio, shell, step
from desktop_crm.core.reporting.builders.params import ReportParams, header, resolve_scope
from desktop_crm.core.reporting.model import ChartSeries, Report, Section, Table, total_label
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.customer_query import IDS


def build(ctx: Ctx, p: ReportParams, progress: Any = None, today: date | None = None) -> Report:
    today = today or date.today()
    step(progress, 0, 2, _("Reading visits…"))
    who = aliased(User)
    with ctx.db.read() as s:
        scope = resolve_scope(s, ctx, p.scope)
        head = header(s, ctx)
        data = s.execute(
            select(VisitPlan.purpose, VisitPlan.status, VisitPlan.due, VisitPlan.score, VisitPlan.feedback_tags,
                   who.display_name, who.username, VisitPlan.customer_id)
            .outerjoin(who, who.id == VisitPlan.assignee_id)
            .where(VisitPlan.due >= p.date_from, VisitPlan.due <= p.date_to,
                   scope.customers_of(VisitPlan.customer_id))).all()
    step(progress, 1, 2)
    items = [{"purpose": purpose, "status": status, "overdue": status == "planned" and due < today, "score": score,
              "tags": [t for t in (tags or "").split(",") if t], "assignee": dn or un or _("(unassigned)"),
              "customer_id": cid}
             for purpose, status, due, score, tags, dn, un, cid in data]
    main = _table(items, "purpose", _("Purpose"), lambda k: VISIT_PURPOSE.label(k) if k else _("(not set)"),
                  list(VISIT_PURPOSE.keys))
    by_assignee = _table(items, "assignee", _("Assignee"), lambda k: k, [])
    done = [i for i in items if i["status"] == "done"]
    tag_rows = []
    for key in VISIT_FEEDBACK.keys:
        n = sum(1 for i in done if key in i["tags"])
        tag_rows.append({"tag": VISIT_FEEDBACK.label(key), "visits": n, "share": ratio(n, len(done)), KEYS: {"tag": key},
                         DRILL: {IDS: sorted({i["customer_id"] for i in done if key in i["tags"]})}})
    tags = Table([col("tag", _("Feedback tag")), col("visits", _("Visits done with it"), "int"),
                  col("share", _("Share of visits done"), "percent")], tag_rows)
    chart = ChartSeries("bar", _("Planned and done by purpose"), [r["purpose"] for r in main.rows],
                        [(_("Planned"), [r["planned"] for r in main.rows]),
                         (_("Done"), [r["done"] for r in main.rows])])
    step(progress, 2, 2)
    return shell("visits", _("Return visits"), p, scope, head, main, chart=chart,
                 sections=[Section("by_assignee", _("By assignee"), by_assignee),
                           Section("feedback_tags", _("Feedback tags"), tags)],
                 notes=[_("Visits due in the period; open past due as of {day}.").format(day=today.isoformat())])


def _figures(group: list[dict]) -> dict[str, Any]:
    planned = len(group)
    done = [g for g in group if g["status"] == "done"]
    cancelled = sum(1 for g in group if g["status"] == "cancelled")
    scores = [g["score"] for g in done if g["score"] is not None]
    return {"planned": planned, "done": len(done), "cancelled": cancelled,
            "overdue": sum(1 for g in group if g["overdue"]), "done_rate": ratio(len(done), planned - cancelled),
            "avg_score": mean(scores), "scores_4plus": ratio(sum(1 for x in scores if x >= 4), len(scores))}


def _table(items: list[dict], field: str, title: str, label: Any, order: list[str]) -> Table:
    groups: dict[Any, list[dict]] = {}
    for item in items:
        groups.setdefault(item[field], []).append(item)
    keys = sorted(groups, key=lambda k: (order.index(k) if k in order else 99, -len(groups[k]), str(k or "")))
    rows = [{field: label(k), **_figures(groups[k]), DRILL: {IDS: sorted({g["customer_id"] for g in groups[k]})},
             **({KEYS: {field: k}} if order else {})} for k in keys]
    columns = [col(field, title), col("planned", _("Planned"), "int"), col("done", _("Done"), "int"),
               col("cancelled", _("Cancelled"), "int"), col("overdue", _("Open past due"), "int"),
               col("done_rate", _("Done rate"), "percent"), col("avg_score", _("Avg. score (1–5)"), "number"),
               col("scores_4plus", _("Scores ≥ 4"), "percent")]
    return Table(columns, rows, {field: total_label(), **_figures(items)})
