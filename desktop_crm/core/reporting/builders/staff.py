"""11. Staff activity 工作量: per user of the scope — interactions logged, return visits done,
complaints resolved and how many of them on time, new customers created — in the period.
Users: the actor's own (staff), team (supervisor) or everyone; narrowed by department/owner."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, exists, func, select

from desktop_crm.core.enums import ROLE
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Complaint, Customer, Department, Transfer, User
from desktop_crm.core.models.visits import Interaction, VisitPlan
from desktop_crm.core.reporting.builders.common import DRILL, KEYS, col, ratio, shell, step
from desktop_crm.core.reporting.builders.params import ReportParams, header, resolve_scope
from desktop_crm.core.reporting.model import ChartSeries, Report, Table, total_label
from desktop_crm.core.services.context import Ctx

CHART_USERS = 20


def build(ctx: Ctx, p: ReportParams, progress: Any = None) -> Report:
    step(progress, 0, 2, _("Counting activity…"))
    with ctx.db.read() as s:
        scope = resolve_scope(s, ctx, p.scope)
        head = header(s, ctx)
        conds = [User.role != "viewer"]
        if scope.users is not None:
            conds.append(scope.users)
        people = s.execute(select(User.id, User.username, User.display_name, User.role, Department.name,
                                  User.active).outerjoin(Department, Department.id == User.department_id)
                           .where(*conds).order_by(User.username)).all()
        ids = [r[0] for r in people]

        def per_user(q) -> dict[int, Any]:  # noqa: ANN001
            return {r[0]: r[1:] for r in s.execute(q)} if ids else {}

        inter = per_user(select(Interaction.user_id, func.count()).where(
            Interaction.user_id.in_(ids), Interaction.at >= p.start, Interaction.at <= p.end)
            .group_by(Interaction.user_id))
        visits = per_user(select(VisitPlan.done_by_id, func.count()).where(
            VisitPlan.done_by_id.in_(ids), VisitPlan.done_at >= p.start, VisitPlan.done_at <= p.end)
            .group_by(VisitPlan.done_by_id))
        handled = per_user(select(Complaint.handler_id, func.count(),
                                  func.sum(case((Complaint.resolved_at <= Complaint.resolution_due, 1), else_=0)))
                           .where(Complaint.handler_id.in_(ids), Complaint.resolved_at >= p.start,
                                  Complaint.resolved_at <= p.end).group_by(Complaint.handler_id))
        # a new customer counts for its owner when it was made (who typed or imported it does not matter):
        # the giver of its first transfer, or its owner when it was never transferred
        first = (select(Transfer.from_user_id).where(Transfer.customer_id == Customer.id)
                 .order_by(Transfer.at, Transfer.id).limit(1).scalar_subquery())
        first_owner = case((exists().where(Transfer.customer_id == Customer.id), first), else_=Customer.owner_id)
        new = per_user(select(first_owner, func.count()).where(
            first_owner.in_(ids), Customer.created_at >= p.start, Customer.created_at <= p.end)
            .group_by(first_owner))
    step(progress, 1, 2)
    rows = []
    for uid, username, display, role, dept, active in people:
        n_handled, on_time = handled.get(uid, (0, 0))
        row = {"user": (display or username) + ("" if active else " " + _("(inactive)")),
               "role": ROLE.label(role), "department": dept or "", KEYS: {"role": role},
               "interactions": inter.get(uid, (0,))[0], "visits_done": visits.get(uid, (0,))[0],
               "complaints_handled": int(n_handled or 0), "complaints_on_time": int(on_time or 0),
               "on_time_rate": ratio(int(on_time or 0), int(n_handled or 0)), "new_customers": new.get(uid, (0,))[0],
               DRILL: {"owner": [uid]}}
        if any(row[k] for k in ("interactions", "visits_done", "complaints_handled", "new_customers")) or active:
            rows.append(row)
    sums = {k: sum(r[k] for r in rows) for k in ("interactions", "visits_done", "complaints_handled",
                                                    "complaints_on_time", "new_customers")}
    totals = {"user": total_label(), **sums, "on_time_rate": ratio(sums["complaints_on_time"],
                                                                   sums["complaints_handled"])}
    columns = [col("user", _("User")), col("role", _("Role")), col("department", _("Department")),
               col("interactions", _("Interactions"), "int"), col("visits_done", _("Visits done"), "int"),
               col("complaints_handled", _("Complaints resolved"), "int"),
               col("complaints_on_time", _("Resolved on time"), "int"), col("on_time_rate", _("On-time rate"), "percent"),
               col("new_customers", _("New customers"), "int")]
    top = sorted(rows, key=lambda r: -(r["interactions"] + r["visits_done"]))[:CHART_USERS]
    chart = ChartSeries("bar", _("Interactions and visits by user"), [r["user"] for r in top],
                        [(_("Interactions"), [r["interactions"] for r in top]),
                         (_("Visits done"), [r["visits_done"] for r in top])])
    notes = [_("On time: resolved before the resolution due time."),
             _("New customers: counted for the customer's owner when it was created (its first owner), not for "
               "the person who entered or imported it.")]
    if scope.category:
        notes.append(_("A product category scope does not narrow this report."))
    step(progress, 2, 2)
    return shell("staff", _("Staff activity"), p, scope, head, Table(columns, rows, totals), chart=chart, notes=notes)
