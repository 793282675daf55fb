"""`complaint add|move|list|show|assign` (import: `import complaints FILE`)."""

from __future__ import annotations

import argparse
import sys

from desktop_crm.cli import CliError
from desktop_crm.cli.output import add_list_options, check_format, emit
from desktop_crm.core.enums import COMPLAINT_STATE
from desktop_crm.core.i18n import _
from desktop_crm.core.rules.validation import parse_datetime

JSON_COLUMNS = ["number", "customer_code", "customer_name", "status", "severity", "category", "channel",
                "received_at", "handler", "response_due", "resolution_due", "first_response_at", "resolved_at",
                "closed_at", "overdue", "order_no", "satisfaction"]
TABLE_COLUMNS = ["number", "customer_code", "customer_name", "status", "severity", "category", "received_at",
                 "handler", "overdue"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("complaint", help=_("complaints (投诉)"))
    csub = p.add_subparsers(dest="complaint_command", metavar="ACTION", required=True)
    add = csub.add_parser("add", help=_("register a complaint; prints its number"))
    add.add_argument("--customer", required=True, help=_("customer code"))
    add.add_argument("--channel", required=True, help=_("hotline, phone, email, web, letter, visit, wechat"))
    add.add_argument("--category", required=True, help=_("quality, attitude, delay, damage, billing, misleading, other"))
    add.add_argument("--severity", required=True, help=_("normal, major, critical"))
    add.add_argument("--description", required=True, help=_("what the customer said"))
    add.add_argument("--demand", help=_("what the customer asks for"))
    add.add_argument("--received-at", help=_("ISO date-time (default: now)"))
    add.add_argument("--order-no", help=_("related order or waybill number"))
    add.add_argument("--handler", help=_("username of the handler (default: you, if you handle complaints)"))
    add.set_defaults(func=cmd_add)
    mv = csub.add_parser("move", help=_("move a complaint to another state"))
    mv.add_argument("number")
    mv.add_argument("state", help=", ".join(COMPLAINT_STATE.keys))
    mv.add_argument("--note")
    mv.add_argument("--at", help=_("ISO date-time of the move (default: now)"))
    mv.add_argument("--plan", help=_("solution plan (accepted → processing)"))
    mv.add_argument("--result", help=_("result (processing → resolved)"))
    mv.add_argument("--compensation", help=_("compensation amount, 0 allowed (processing → resolved)"))
    mv.add_argument("--informed-at", help=_("when the customer was told (default: the time of the move)"))
    mv.add_argument("--satisfaction", help=_("follow-up satisfaction 1–5 (resolved → closed)"))
    mv.add_argument("--reason", help=_("reason (reject, reopen, re-register)"))
    mv.set_defaults(func=cmd_move)
    ls = csub.add_parser("list", help=_("list complaints (most urgent first)"))
    ls.add_argument("--status", action="append", help=_("state key (repeatable)"))
    ls.add_argument("--overdue", action="store_true", help=_("only open complaints past a due time"))
    ls.add_argument("--search", default="", help=_("number, customer, phone, order no or text"))
    add_list_options(ls, limit=False)
    ls.set_defaults(func=cmd_list)
    sh = csub.add_parser("show", help=_("a complaint with its timeline"))
    sh.add_argument("number")
    sh.set_defaults(func=cmd_show)
    asg = csub.add_parser("assign", help=_("assign a handler (supervisor and above)"))
    asg.add_argument("number")
    asg.add_argument("user", help=_("username, or 'none'"))
    asg.add_argument("--note")
    asg.set_defaults(func=cmd_assign)


def _when(value: str | None, flag: str):  # noqa: ANN202
    if not value:
        return None
    try:
        return parse_datetime(value)
    except ValueError as exc:
        raise CliError(f"{flag}: {exc}", 2) from None


def _user_id(env, username: str) -> int:  # noqa: ANN001
    from desktop_crm.core.services import users

    found = [u.id for u in users.list_users(env.ctx) if u.username == username]
    if not found:
        raise CliError(_("No user '{name}'.").format(name=username), 2)
    return found[0]


def cmd_add(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.services import complaints

    customer_id = complaints.intake_customer_id(env.ctx, args.customer)  # as the app's intake: any caller
    handler: object = _user_id(env, args.handler) if args.handler else "self"
    c = complaints.register(env.ctx, customer_id=customer_id, channel=args.channel, category=args.category,
                            severity=args.severity, description=args.description, demand=args.demand,
                            received_at=_when(args.received_at, "--received-at"), order_no=args.order_no,
                            handler_id=handler, source="cli")  # type: ignore[arg-type]
    print(c.number)
    return 0


def cmd_move(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.services import complaint_workflow, complaints

    try:
        state = COMPLAINT_STATE.parse(args.state)
    except ValueError as exc:
        raise CliError(f"STATE: {exc}", 2) from None
    cid = complaints.id_by_number(env.ctx, args.number)
    inputs = {"reason": args.reason, "solution_plan": args.plan, "result": args.result,
              "compensation": args.compensation, "customer_informed_at": args.informed_at,
              "satisfaction": args.satisfaction}
    complaint_workflow.move(env.ctx, cid, state, note=args.note, at=_when(args.at, "--at"),
                            **{k: v for k, v in inputs.items() if v is not None})
    print(_("{number}: {state}").format(number=args.number, state=state))
    return 0


def cmd_list(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.services import complaints_query
    from desktop_crm.core.services.complaints_query import ComplaintFilter

    try:
        status = [COMPLAINT_STATE.parse(s) for s in args.status or []]
    except ValueError as exc:
        raise CliError(f"--status: {exc}", 2) from None
    check_format(env.ctx, args.format)
    flt = ComplaintFilter(search=args.search, status=status, overdue=args.overdue)
    if args.format == "table":  # viewing
        rows, offset = [], 0
        while True:
            page = complaints_query.page(env.ctx, flt, columns=JSON_COLUMNS, offset=offset, limit=2000)
            rows.extend(page)
            if len(page) < 2000:
                break
            offset += 2000
    else:  # a file for another program: an export (viewers need the export right)
        rows = list(complaints_query.export_rows(env.ctx, flt, columns=JSON_COLUMNS))
    out = []
    for r in rows:
        d = dict(zip(JSON_COLUMNS, r[2:], strict=True))
        d["overdue"] = bool(d["overdue"])
        out.append(d)
    emit(out, JSON_COLUMNS if args.format != "table" else TABLE_COLUMNS, args.format, sys.stdout, ctx=env.ctx)
    return 0


def cmd_show(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.cli.output import _cell
    from desktop_crm.core.services import complaints

    d = complaints.get(env.ctx, complaints.id_by_number(env.ctx, args.number))
    print(f"{d.number}  {d.customer_code} {d.customer_name}  [{d.status}]")
    for key in ("channel", "category", "severity", "received_at", "response_due", "resolution_due", "order_no",
                "description", "demand", "solution_plan", "result", "compensation", "satisfaction"):
        if d[key] not in (None, ""):
            print(f"  {key}: {_cell(d[key])}")
    print(f"  handler: {d.handler}")
    for e in d.timeline:
        move = f"{e.from_state or ''} → {e.to_state}" if e.to_state else e.kind
        print(f"  {_cell(e.at)}  {e.user}  {move}  {e.note}".rstrip())
    return 0


def cmd_assign(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.services import complaints

    target = None if args.user == "none" else _user_id(env, args.user)
    complaints.assign(env.ctx, complaints.id_by_number(env.ctx, args.number), target, note=args.note)
    print(_("{number}: handler {user}").format(number=args.number, user=args.user))
    return 0
