"""`order list`, `contract add`, `opportunity add|move`, `recompute`, `metrics`."""

from __future__ import annotations

import argparse
import json
import sys

from desktop_crm.cli import CliError
from desktop_crm.cli.output import add_list_options, check_format, emit
from desktop_crm.core.enums import GRADE, LOYALTY
from desktop_crm.core.i18n import _
from desktop_crm.core.rules.parsing import parse_date
from desktop_crm.core.services import contracts, customers, grading, metrics, opportunities, orders


def _date(text: str | None, option: str):  # noqa: ANN202
    if not text:
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        raise CliError(f"{option}: {exc}", 2) from None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("order", help=_("orders"))
    osub = p.add_subparsers(dest="order_command", metavar="ACTION", required=True)
    ls = osub.add_parser("list", help=_("list orders"))
    ls.add_argument("--customer", help=_("customer code"))
    ls.add_argument("--from", dest="date_from")
    ls.add_argument("--to", dest="date_to")
    ls.add_argument("--search", default="")
    ls.add_argument("--category", default="")
    ls.add_argument("--unpaid", action="store_true")
    add_list_options(ls)
    ls.set_defaults(func=cmd_order_list)

    p = sub.add_parser("contract", help=_("contracts"))
    csub = p.add_subparsers(dest="contract_command", metavar="ACTION", required=True)
    add = csub.add_parser("add", help=_("add a contract"))
    add.add_argument("customer", help=_("customer code"))
    add.add_argument("number")
    add.add_argument("--title")
    add.add_argument("--signed")
    add.add_argument("--start")
    add.add_argument("--end")
    add.add_argument("--amount", default="0")
    add.add_argument("--status", default="active")
    add.set_defaults(func=cmd_contract_add)
    ls = csub.add_parser("list", help=_("list contracts"))
    ls.add_argument("--customer")
    ls.add_argument("--ending", action="store_true", help=_("only contracts ending soon"))
    add_list_options(ls, limit=False)
    ls.set_defaults(func=cmd_contract_list)

    p = sub.add_parser("opportunity", help=_("sales opportunities"))
    psub = p.add_subparsers(dest="opportunity_command", metavar="ACTION", required=True)
    add = psub.add_parser("add", help=_("add an opportunity"))
    add.add_argument("customer", help=_("customer code"))
    add.add_argument("name")
    add.add_argument("--amount", default="0")
    add.add_argument("--close", help=_("expected close date"))
    add.add_argument("--stage", default="lead")
    add.set_defaults(func=cmd_opportunity_add)
    mv = psub.add_parser("move", help=_("move an opportunity to a stage"))
    mv.add_argument("id", type=int)
    mv.add_argument("stage")
    mv.add_argument("--reason", default="")
    mv.set_defaults(func=cmd_opportunity_move)
    ls = psub.add_parser("list", help=_("the pipeline"))
    add_list_options(ls, limit=False)
    ls.set_defaults(func=cmd_opportunity_list)

    rc = sub.add_parser("recompute", help=_("recompute grades, loyalty stages and ABC classes"))
    rc.add_argument("--as-of", dest="as_of", help=_("date (default: today)"))
    add_list_options(rc, ("table", "json"), limit=False)
    rc.set_defaults(func=cmd_recompute)

    mt = sub.add_parser("metrics", help=_("period metrics (churn, retention, repurchase, complaints, satisfaction)"))
    mt.add_argument("--from", dest="date_from", required=True)
    mt.add_argument("--to", dest="date_to", required=True)
    mt.add_argument("--scope", default="all", help=_("all | owner:USER | department:NAME | category:NAME"))
    add_list_options(mt, ("table", "json"), limit=False)
    mt.set_defaults(func=cmd_metrics)


def cmd_order_list(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    check_format(env.ctx, args.format)
    cid = customers.id_by_code(env.ctx, args.customer) if args.customer else None
    flt = orders.OrderFilter(search=args.search, date_from=_date(args.date_from, "--from"),
                             date_to=_date(args.date_to, "--to"), customer_id=cid, category=args.category,
                             unpaid=args.unpaid)
    cols = orders.COLUMNS
    rows, offset = [], 0
    while True:
        batch = orders.page(env.ctx, flt, columns=cols, sort="date", descending=False, offset=offset, limit=5000)
        rows += [dict(zip(cols, r[2:], strict=True)) for r in batch]
        if len(batch) < 5000 or (args.limit is not None and len(rows) >= args.limit):
            break
        offset += 5000
    if args.limit is not None:
        rows = rows[:args.limit]
    emit(rows, cols, args.format, sys.stdout, ctx=env.ctx)
    return 0


def cmd_contract_add(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    cid = customers.id_by_code(env.ctx, args.customer)
    k = contracts.create_contract(env.ctx, cid, {
        "number": args.number, "title": args.title, "signed_on": args.signed, "start_on": args.start,
        "end_on": args.end, "amount": args.amount, "status": args.status})
    print(_("Contract {number} added (id {id}).").format(number=k.number, id=k.id))
    return 0


def cmd_contract_list(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    cid = customers.id_by_code(env.ctx, args.customer) if args.customer else None
    cols = ["number", "customer_code", "customer_name", "title", "signed_on", "start_on", "end_on", "amount",
            "status", "ending_soon"]
    rows = [{c: getattr(r, c) for c in cols} for r in contracts.list_contracts(env.ctx, cid,
                                                                              ending_only=args.ending)]
    emit(rows, cols, args.format, sys.stdout, ctx=env.ctx)
    return 0


def cmd_opportunity_add(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    cid = customers.id_by_code(env.ctx, args.customer)
    o = opportunities.create_opportunity(env.ctx, cid, {"name": args.name, "amount": args.amount,
                                                        "expected_close": args.close}, stage=args.stage)
    print(_("Opportunity {id} added: {name}").format(id=o.id, name=o.name))
    return 0


def cmd_opportunity_move(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    o = opportunities.move(env.ctx, args.id, args.stage, reason=args.reason)
    print(_("Opportunity {id}: stage {stage}").format(id=o.id, stage=o.stage))
    return 0


def cmd_opportunity_list(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    cols = ["id", "name", "customer_code", "customer_name", "stage", "amount", "expected_close", "owner", "stale"]
    rows = [{c: getattr(r, c) for c in cols} for r in opportunities.list_opportunities(env.ctx)]
    emit(rows, cols, args.format, sys.stdout, ctx=env.ctx)
    return 0


def cmd_recompute(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    r = grading.recompute(env.ctx, _date(args.as_of, "--as-of"))
    if args.format == "json":
        json.dump({"as_of": r.params.as_of.isoformat(), "value_from": r.params.value_from.isoformat(),
                   "basis": r.params.basis, "population": r.population, "customers": r.customers,
                   "grades": r.grades, "loyalty": r.loyalty, "abc": r.abc, "pinned": r.pinned,
                   "changed": r.changed, "seconds": round(r.seconds, 3)}, sys.stdout, indent=1)
        print()
        return 0
    print(_("Grades as of {date} ({n} active customers ranked by {basis} since {start}):").format(
        date=r.params.as_of.isoformat(), n=r.population, basis=r.params.basis, start=r.params.value_from))
    for key, n in r.grades.items():
        print(f"  {key:<14} {GRADE.label(key):<12} {n}")
    print(_("Loyalty stages:"))
    for key, n in r.loyalty.items():
        print(f"  {key:<14} {LOYALTY.label(key):<12} {n}")
    print(_("ABC classes:") + " " + ", ".join(f"{k}={v}" for k, v in r.abc.items()))
    print(_("{changed} customers changed, {pinned} pinned grades kept, {s:.1f} s.").format(
        changed=r.changed, pinned=r.pinned, s=r.seconds))
    return 0


def cmd_metrics(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    check_format(env.ctx, args.format)
    d0, d1 = _date(args.date_from, "--from"), _date(args.date_to, "--to")
    m = metrics.period_metrics(env.ctx, d0, d1, args.scope)
    data = m.to_json()
    if args.format == "json":
        json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    for k, v in data.items():  # for a person: rates and shares as percentages, the rest as they are
        if isinstance(v, float) and k.endswith(("_rate", "_share_ge4")):
            v = f"{v * 100:.2f} %"
        elif isinstance(v, float):
            v = f"{v:.2f}"
        elif isinstance(v, dict):
            v = ", ".join(f"{a}={b}" for a, b in v.items())
        print(f"{k:<32} {'—' if v is None else v}")
    return 0
