"""`customer list|set-status|transfer|merge`."""

from __future__ import annotations

import argparse
import sys

from desktop_crm.cli import CliError
from desktop_crm.cli.output import add_list_options, check_format, emit
from desktop_crm.core.enums import CUSTOMER_STATUS
from desktop_crm.core.i18n import _
from desktop_crm.core.rules.validation import parse_datetime
from desktop_crm.core.services import customer_query, customers, merge, transfers
from desktop_crm.core.services.customer_query import CustomerFilter

JSON_COLUMNS = ["code", "name", "kind", "status", "owner", "grade", "loyalty", "credit_rating", "source",
                "industry", "province", "city", "mobile", "phone", "email", "created_at"]


def add_filter_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--search", default="", help=_("search text (code, name, contact, phone, email, pinyin)"))
    p.add_argument("--status", action="append", help=_("status key (repeatable)"))
    p.add_argument("--owner", action="append", help=_("owner username, or 'pool' (repeatable)"))
    p.add_argument("--grade", action="append")
    p.add_argument("--city")
    p.add_argument("--industry")


def filter_from_args(env, args: argparse.Namespace) -> CustomerFilter:  # noqa: ANN001
    from desktop_crm.core.services import users

    fields: dict[str, object] = {}
    if args.status:
        try:
            fields["status"] = [CUSTOMER_STATUS.parse(s) for s in args.status]
        except ValueError as exc:
            raise CliError(f"--status: {exc}", 2) from None
    if args.owner:
        names = {u.username: u.id for u in users.list_users(env.ctx)}
        owners: list[object] = []
        for o in args.owner:
            if o == "pool":
                owners.append("pool")
            elif o in names:
                owners.append(names[o])
            else:
                raise CliError(_("No user '{name}'.").format(name=o), 2)
        fields["owner"] = owners
    if args.grade:
        fields["grade"] = args.grade
    if args.city:
        fields["city"] = args.city
    if args.industry:
        fields["industry"] = args.industry
    return CustomerFilter(search=args.search, fields=fields)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("customer", help=_("customers"))
    csub = p.add_subparsers(dest="customer_command", metavar="ACTION", required=True)
    ls = csub.add_parser("list", help=_("list customers"))
    add_filter_args(ls)
    add_list_options(ls)
    ls.set_defaults(func=cmd_list)
    st = csub.add_parser("set-status", help=_("change a customer's status"))
    st.add_argument("code")
    st.add_argument("status")
    st.add_argument("--at", help=_("ISO date-time of a back-dated change"))
    st.add_argument("--reason")
    st.set_defaults(func=cmd_set_status)
    tr = csub.add_parser("transfer", help=_("hand customers to a user or the pool"))
    tr.add_argument("codes", nargs="+")
    tr.add_argument("--to", required=True, help=_("a username, or 'pool'"))
    tr.add_argument("--reason", default="")
    tr.set_defaults(func=cmd_transfer)
    mg = csub.add_parser("merge", help=_("merge OTHER_CODE into KEEP_CODE"))
    mg.add_argument("keep_code")
    mg.add_argument("other_code")
    mg.set_defaults(func=cmd_merge)


def cmd_list(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    check_format(env.ctx, args.format)
    flt = filter_from_args(env, args)
    rows = []
    for r in customer_query.all_rows(env.ctx, flt, columns=JSON_COLUMNS):
        rows.append(dict(zip(JSON_COLUMNS, r[2:], strict=True)))
        if args.limit is not None and len(rows) >= args.limit:
            break
    cols = JSON_COLUMNS if args.format == "json" else ["code", "name", "kind", "status", "owner", "grade", "mobile",
                                                      "email"]
    emit(rows, cols, args.format, sys.stdout, ctx=env.ctx)
    return 0


def cmd_set_status(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    try:
        status = CUSTOMER_STATUS.parse(args.status)
    except ValueError as exc:
        raise CliError(f"STATUS: {exc}", 2) from None
    try:
        at = parse_datetime(args.at) if args.at else None
    except ValueError as exc:
        raise CliError(f"--at: {exc}", 2) from None
    customers.set_status(env.ctx, customers.id_by_code(env.ctx, args.code), status, at=at, reason=args.reason)
    print(_("{code}: status {status}").format(code=args.code, status=status))
    return 0


def cmd_transfer(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.services import users

    target = None
    if args.to != "pool":
        found = [u for u in users.list_users(env.ctx) if u.username == args.to]
        if not found:
            raise CliError(_("No user '{name}'.").format(name=args.to), 2)
        target = found[0].id
    ids = [customers.id_by_code(env.ctx, code) for code in args.codes]
    moved = transfers.transfer(env.ctx, ids, target, args.reason or _("Transferred from the command line"))
    print(_("{n} customers transferred.").format(n=moved))
    return 0


def cmd_merge(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    keep = customers.id_by_code(env.ctx, args.keep_code)
    other = customers.id_by_code(env.ctx, args.other_code)
    merge.merge_customers(env.ctx, keep, other)
    print(_("{other} merged into {keep}.").format(other=args.other_code, keep=args.keep_code))
    return 0
