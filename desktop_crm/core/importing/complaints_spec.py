"""Importing historical complaints (投诉导入): the `complaints` ImportSpec.

A complaint is identified by its number (投诉编号); an empty number is assigned from the received
day (TSYYYYMMDD-NNNN). Imported history keeps its times, which drive response and resolution
times in reports, so the row's times must be in order (received ≤ accepted ≤ resolved ≤ closed,
none in the future) and the status must match them:

| status | needs | must be empty |
|---|---|---|
| registered | — | accepted, resolved, closed |
| accepted, processing | accepted | resolved, closed |
| resolved | accepted, resolved | closed |
| closed | accepted, resolved, closed | — |
| rejected | accepted (when it was judged) | resolved |

Due times follow the SLA settings in force at import. Create mode skips a number that exists;
update/upsert change the record's fields (channel, category, severity, description, demand,
order no, handler, root cause, compensation, satisfaction) — never the status or the times, which
only move through the workflow.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select

from desktop_crm.core.enums import COMPLAINT_STATE
from desktop_crm.core.errors import ValidationError
from desktop_crm.core.i18n import N_, _
from desktop_crm.core.importing.headers import ImportColumn
from desktop_crm.core.importing.spec import (
    CREATE,
    CREATED,
    SKIP,
    UPDATE,
    UPDATED,
    ImportSpec,
    Planned,
    RowContext,
    RowError,
    cell_text,
)
from desktop_crm.core.models import Complaint, ComplaintEvent, Customer, User
from desktop_crm.core.models.types import to_money
from desktop_crm.core.rules.parsing import parse_datetime, parse_decimal
from desktop_crm.core.services import audit, complaints
from desktop_crm.core.services.permissions import customer_scope, require_role, user_in_scope

C = ImportColumn
COLUMNS = (
    C("number", ("投诉编号", "编号"), label=N_("Number"), help=N_("TSYYYYMMDD-NNNN; assigned when empty.")),
    C("customer_code", ("客户编号", "客户代码"), required=True, label=N_("Customer code")),
    C("received_at", ("投诉时间", "受理日期", "登记时间"), required=True, label=N_("Received")),
    C("channel", ("渠道", "投诉渠道"), required=True, label=N_("Channel"),
      help=N_("hotline, phone, email, web, letter, visit, wechat (or 热线, 电话 …)")),
    C("category", ("类别", "投诉类别"), required=True, label=N_("Complaint category"),
      help=N_("quality, attitude, delay, damage, billing, misleading, other (or 质量, 服务态度 …)")),
    C("severity", ("严重程度",), required=True, label=N_("Severity"), help=N_("normal, major, critical (一般, 重大, 紧急)")),
    C("description", ("投诉内容", "内容"), required=True, label=N_("What the customer said")),
    C("demand", ("客户诉求", "诉求"), label=N_("Demand")),
    C("order_no", ("单号", "运单号", "订单号"), label=N_("Order / waybill no")),
    C("handler", ("处理人",), label=N_("Handler"), help=N_("Username or name of the user who handled it.")),
    C("status", ("状态",), label=N_("Status"),
      help=N_("registered, accepted, rejected, processing, resolved, closed; default registered")),
    C("accepted_at", ("受理时间",), label=N_("Accepted at")),
    C("resolved_at", ("解决时间",), label=N_("Resolved at")),
    C("closed_at", ("结案时间",), label=N_("Closed at")),
    C("root_cause", ("原因", "原因分类"), label=N_("Root cause")),
    C("compensation", ("赔偿金额", "赔偿"), label=N_("Compensation")),
    C("satisfaction", ("满意度",), label=N_("Satisfaction"), help=N_("1–5")),
)
RECORD = ("channel", "category", "severity", "description", "demand", "order_no", "root_cause")
TIMES = ("received_at", "accepted_at", "resolved_at", "closed_at")
NEEDS = {
    "registered": ((), ("accepted_at", "resolved_at", "closed_at")),
    "accepted": (("accepted_at",), ("resolved_at", "closed_at")),
    "processing": (("accepted_at",), ("resolved_at", "closed_at")),
    "resolved": (("accepted_at", "resolved_at"), ("closed_at",)),
    "closed": (("accepted_at", "resolved_at", "closed_at"), ()),
    "rejected": (("accepted_at",), ("resolved_at",)),
}


def _cached(rc: RowContext, kind: str, key: str, query) -> object:  # noqa: ANN001
    cache = rc.state.setdefault(kind, {})
    if key not in cache:
        cache[key] = rc.session.scalar(query)
    return cache[key]


def _clean(rc: RowContext, raw: dict[str, object]) -> tuple[dict[str, object], dict[str, str]]:
    errors: dict[str, str] = {}
    given = {k: v for k, v in raw.items() if cell_text(v) != ""}
    values: dict[str, object] = {}
    try:
        values.update(complaints.clean_fields({k: given.get(k) for k in RECORD}))
    except ValidationError as exc:
        errors.update(exc.errors)
    values["number"] = cell_text(given.get("number")) or None
    if values["number"] and len(str(values["number"])) > 20:
        errors["number"] = _("is longer than {n} characters").format(n=20)
    code = cell_text(given.get("customer_code"))
    if not code:
        errors["customer_code"] = _("is required")
    else:
        values["customer_id"] = _cached(rc, "customers", code, select(Customer.id).where(
            Customer.code == code, customer_scope(rc.ctx.actor)))
        if values["customer_id"] is None:
            errors["customer_code"] = _("no customer {code} that you can see").format(code=code)
    for key in TIMES:
        if key in given:
            try:
                values[key] = parse_datetime(given[key]).replace(microsecond=0)
            except ValueError as exc:
                errors[key] = str(exc)
        else:
            values[key] = None
    if values.get("received_at") is None and "received_at" not in errors:
        errors["received_at"] = _("is required")
    try:
        values["status"] = COMPLAINT_STATE.parse(given["status"]) if "status" in given else "registered"
    except ValueError as exc:
        errors["status"] = str(exc)
    if "handler" in given:
        name = cell_text(given["handler"])
        values["handler_id"] = _cached(rc, "users", name, select(User.id).where(
            or_(User.username == name, User.display_name == name)).order_by(User.id).limit(1))
        if values["handler_id"] is None:
            errors["handler"] = _("no user {name}").format(name=name)
        elif not user_in_scope(rc.session, rc.ctx.actor, values["handler_id"]):
            errors["handler"] = _("{name} is not in your team").format(name=name)
    if "compensation" in given:
        try:
            amount = to_money(parse_decimal(given["compensation"]))
            if amount < 0:
                errors["compensation"] = _("cannot be negative")
            values["compensation"] = amount
        except ValueError as exc:
            errors["compensation"] = str(exc)
    if "satisfaction" in given:
        try:
            score = int(str(cell_text(given["satisfaction"])))
        except ValueError:
            score = 0
        if not 1 <= score <= 5:
            errors["satisfaction"] = _("must be a whole number from 1 to 5")
        values["satisfaction"] = score
    return values, errors


def _check_times(values: dict[str, object], errors: dict[str, str]) -> None:
    now = datetime.now()
    previous: tuple[str, datetime] | None = None
    for key in TIMES:
        when = values.get(key)
        if not isinstance(when, datetime) or key in errors:
            continue
        if when > now:
            errors[key] = _("is in the future")
        if previous is not None and when < previous[1]:
            errors[key] = _("is before {other} ({when})").format(other=previous[0],
                                                                 when=previous[1].strftime("%Y-%m-%d %H:%M"))
        previous = (key, when)
    status = values.get("status")
    if status not in NEEDS or "status" in errors:
        return
    need, empty = NEEDS[str(status)]
    for key in need:
        if values.get(key) is None and key not in errors:
            errors[key] = _("is required for a {status} complaint").format(status=status)
    for key in empty:
        if values.get(key) is not None and key not in errors:
            errors[key] = _("must be empty for a {status} complaint").format(status=status)
    if values.get("satisfaction") is not None and status != "closed" and "satisfaction" not in errors:
        errors["satisfaction"] = _("is given only for a closed complaint")


def validate(rc: RowContext, raw: dict[str, object]) -> Planned:
    require_role(rc.ctx.actor, "supervisor", _("Only supervisors and above import complaints."))
    values, errors = _clean(rc, raw)
    _check_times(values, errors)
    number = values.get("number")
    if number:
        seen = rc.state.setdefault("seen", {})
        if number in seen:
            errors["number"] = _("{number} appears twice in the file (row {n})").format(number=number, n=seen[number])
        else:
            seen[number] = rc.row_no
    if errors:
        raise RowError(errors)
    existing = rc.session.scalars(select(Complaint).where(Complaint.number == number)).first() if number else None
    if existing is not None and rc.mode != CREATE and rc.session.scalar(select(Complaint.id).where(
            Complaint.id == existing.id, complaints.complaint_scope(rc.ctx.actor))) is None:
        raise RowError({"number": _("{number} is a complaint you cannot see").format(number=number)})
    if existing is None:
        if rc.mode == UPDATE:
            raise RowError({"number": _("no complaint {number}").format(number=number or "—")})
        return Planned(CREATE, values)
    if rc.mode == CREATE:
        return Planned(SKIP, warning=_("{number} already exists; skipped").format(number=number))
    if existing.customer_id != values["customer_id"]:
        raise RowError({"customer_code": _("{number} belongs to another customer").format(number=number)})
    for key in ("status", *TIMES):
        if raw.get(key) not in (None, "") and values.get(key) != getattr(existing, key):
            raise RowError({key: _("cannot be changed by an import; use the complaint's workflow")})
    fields = (*RECORD, "handler_id", "compensation", "satisfaction")
    changes = {k: values[k] for k in fields if k in values and values[k] is not None
               and values[k] != getattr(existing, k)}
    if not changes:
        return Planned(SKIP)
    return Planned(UPDATE, changes, existing.id)


def write(rc: RowContext, plan: Planned) -> str:
    s, ctx = rc.session, rc.ctx
    if plan.action == UPDATE:
        c = s.get(Complaint, plan.target)
        before = complaints.snapshot(c)
        for k, v in plan.values.items():
            setattr(c, k, v)
        c.updated_at, c.updated_by_id = datetime.now().replace(microsecond=0), ctx.actor.id
        s.flush()
        audit.record(s, ctx.actor, "complaint", c.id, "import", audit.diff(before, complaints.snapshot(c)),
                     label=c.number)
        return UPDATED
    v = dict(plan.values)
    status = str(v.pop("status"))
    number = v.pop("number")
    handler_id = v.get("handler_id")
    if handler_id is not None:
        v["department_id"] = s.scalar(select(User.department_id).where(User.id == handler_id))
    v["register_note"] = rc.source  # the file name: the timeline says "imported from" in the reader's language
    c = complaints.insert(s, ctx, v, source="import", number=number, action="import")
    steps = [("accepted_at", "registered", "rejected" if status == "rejected" else "accepted")]
    if status in ("processing", "resolved", "closed"):
        steps.append(("accepted_at", "accepted", "processing"))
    steps += [("resolved_at", "processing", "resolved"), ("closed_at", "resolved", "closed")]
    before = complaints.snapshot(c)
    for key, src, dst in steps:
        when = v.get(key)
        if when is None or (dst in ("resolved", "closed") and status not in ("resolved", "closed")):
            continue
        s.add(ComplaintEvent(complaint_id=c.id, at=when, user_id=ctx.actor.id, kind="import", from_state=src,
                             to_state=dst, note=rc.source))
    c.status = status
    c.first_response_at = v.get("accepted_at")
    c.accepted_at = v.get("accepted_at") if status != "rejected" else None
    c.resolved_at, c.closed_at = v.get("resolved_at"), v.get("closed_at")
    s.flush()
    changed = audit.diff(before, complaints.snapshot(c))
    if changed:
        audit.record(s, ctx.actor, "complaint", c.id, "import", changed, label=c.number)
    return CREATED


COMPLAINTS = ImportSpec(
    name="complaints", title=N_("Complaints"), columns=COLUMNS, validate=validate, write=write,
    match_key="number", batch_size=500,
)
