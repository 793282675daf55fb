"""`import customers|contacts|… FILE` and `export customers OUT.xlsx|OUT.csv`."""

from __future__ import annotations

import argparse
import sys

from desktop_crm.cli import CliError
from desktop_crm.core.i18n import _

MAX_LINES = 20


def register(sub: argparse._SubParsersAction) -> None:
    from desktop_crm.core.importing.spec import MODES, spec_names

    imp = sub.add_parser("import", help=_("import customers, contacts … from .xlsx, .xls or .csv"))
    imp.add_argument("target", choices=spec_names(), help=_("what the file holds"))
    imp.add_argument("file", help=_(".xlsx, .xls or .csv (UTF-8 or GB18030)"))
    imp.add_argument("--mode", choices=MODES, default="create",
                     help=_("create (existing rows skipped), update (match by code) or upsert"))
    imp.add_argument("--dry-run", action="store_true", help=_("check and count only; save nothing"))
    imp.add_argument("--errors", metavar="OUT.xlsx", help=_("write the failed rows with their reasons here"))
    imp.add_argument("--skip-invalid", action="store_true",
                     help=_("import the good rows and leave out the rows with errors (listed in --errors)"))
    imp.set_defaults(func=cmd_import)

    exp = sub.add_parser("export", help=_("export a list"))
    esub = exp.add_subparsers(dest="export_target", metavar="LIST", required=True)
    ec = esub.add_parser("customers", help=_("export the customer list to .xlsx or .csv"))
    ec.add_argument("out", metavar="OUT", help=_("OUT.xlsx or OUT.csv"))
    from desktop_crm.cli.customers import add_filter_args

    add_filter_args(ec)
    ec.add_argument("--columns", help=_("comma-separated field keys (default: the list's default columns)"))
    ec.set_defaults(func=cmd_export_customers)


def cmd_import(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.importing import run_import

    if args.errors and not args.errors.lower().endswith(".xlsx"):
        raise CliError(_("--errors must name an .xlsx file"), 2)
    result = run_import(env.ctx, args.target, args.file, mode=args.mode, dry_run=args.dry_run, errors_out=args.errors,
                        skip_invalid=args.skip_invalid)
    for label, n in ((_("created"), result.created), (_("updated"), result.updated),
                     (_("unchanged or existing"), result.skipped), (_("rejected"), result.failed),
                     (_("not saved"), result.not_saved)):
        print(f"{label}: {n}")
    for line in result.warning_lines()[:MAX_LINES]:
        print(_("warning: {text}").format(text=line), file=sys.stderr)
    if len(result.warnings) > MAX_LINES:
        print(_("… and {n} more warnings").format(n=len(result.warnings) - MAX_LINES), file=sys.stderr)
    for line in result.error_lines()[:MAX_LINES]:
        print(_("error: {text}").format(text=line), file=sys.stderr)
    if len(result.errors) > MAX_LINES:
        print(_("… and {n} more failed rows").format(n=len(result.errors) - MAX_LINES), file=sys.stderr)
    if result.rejected or result.failed:
        print(result.summary(), file=sys.stderr)
    if result.stopped:
        print(result.stopped, file=sys.stderr)
    if result.errors_path:
        print(_("Failed rows written to {path}").format(path=result.errors_path), file=sys.stderr)
    if result.dry_run:
        print(_("Dry run: nothing was saved."), file=sys.stderr)
    return 0 if result.failed == 0 or (args.skip_invalid and not result.stopped) else 1


def cmd_export_customers(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.cli.customers import filter_from_args
    from desktop_crm.core.exporting.lists import FORMATS, export_customers

    if not args.out.lower().endswith(FORMATS):
        raise CliError(_("OUT must end in .xlsx or .csv"), 2)
    columns = [c.strip() for c in args.columns.split(",") if c.strip()] if args.columns else None
    flt = filter_from_args(env, args)
    n = export_customers(env.ctx, flt, columns, args.out)
    print(_("{n} customers exported to {path}").format(n=n, path=args.out))
    return 0
