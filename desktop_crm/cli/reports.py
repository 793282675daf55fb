"""`report NAME --from DATE --to DATE [--scope …] [--by FIELD] [--years N] [--target AMOUNT] --out FILE`
and `report pack --month YYYY-MM --out FILE.pdf|.xlsx [--reports a,b,…]`."""

from __future__ import annotations

import argparse
import sys

from desktop_crm.cli import CliError
from desktop_crm.cli.args import date_arg
from desktop_crm.core.i18n import _
from desktop_crm.core.reporting.builders import pack, registry
from desktop_crm.core.reporting.builders.params import PRESETS, ReportParams, parse_amount, preset


def register(sub: argparse._SubParsersAction) -> None:
    names = [*registry.REPORTS, "pack"]
    p = sub.add_parser(
        "report", help=_("reports: ") + " ".join(names),
        description=_("Compute a report and write it to .xlsx, .pdf, .csv or .json; "
                      "`report pack --month YYYY-MM --out FILE.pdf|.xlsx` writes the monthly pack."))
    p.add_argument("name", choices=names, metavar="NAME", help=" | ".join(names))
    p.add_argument("--from", dest="date_from", help=_("first day of the period (YYYY-MM-DD)"))
    p.add_argument("--to", dest="date_to", help=_("last day of the period (YYYY-MM-DD)"))
    p.add_argument("--period", choices=[k for k, _l in PRESETS], help=_("a period preset instead of --from/--to"))
    p.add_argument("--scope", default="all", help=_("all | department:NAME | owner:USER | category:NAME"))
    p.add_argument("--by", help=_("composition: category | kind | status | grade | source | region"))
    p.add_argument("--unit", choices=["yuan", "wan"], default="yuan", help=_("money in yuan, or in 万元 (wan)"))
    p.add_argument("--years", type=int, help=_("seasonal: N full calendar years back from the period's end"))
    p.add_argument("--target", help=_("seasonal: the annual target amount"))
    p.add_argument("--month", help=_("pack: the month, YYYY-MM"))
    p.add_argument("--reports", help=_("pack: comma-separated report names (default: the remembered set)"))
    p.add_argument("--remember", action="store_true", help=_("pack: remember --reports as the pack's set"))
    p.add_argument("--out", required=True, help=_("output file: .xlsx, .pdf, .csv or .json (pack: .pdf or .xlsx)"))
    p.set_defaults(func=cmd_report)




def cmd_report(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    if args.name == "pack":
        return _pack(args, env)
    if args.period:
        d0, d1 = preset(args.period)
    else:
        if not args.date_from or not args.date_to:
            raise CliError("give --from and --to (or --period)", 2)
        d0, d1 = date_arg(args.date_from, "--from"), date_arg(args.date_to, "--to")
    params = ReportParams(d0, d1, args.scope or "all", by=args.by, years=args.years,
                          target=parse_amount(args.target), unit=args.unit)
    report = registry.build(env.ctx, args.name, params)
    path = registry.write(env.ctx, report, args.out)
    print(f"{path}  ({report.total_rows()} rows)", file=sys.stderr)
    return 0


def _pack(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    if not args.month:
        raise CliError("report pack needs --month YYYY-MM", 2)
    keys = [k.strip() for k in args.reports.split(",") if k.strip()] if args.reports else None
    if keys:
        for k in keys:
            registry.report_def(k)
        if args.remember:
            pack.remember(env.ctx, keys)
    for path in pack.write_pack(env.ctx, args.month, args.out, keys, args.scope or "all"):
        print(str(path), file=sys.stderr)
    return 0
