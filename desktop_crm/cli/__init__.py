"""`desktop-crm`: with no command starts the GUI; commands run headless over the same
services and permissions. One module per area registers its commands."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from desktop_crm import __version__

# Area modules; each has `register(subparsers)` and is loaded only for the command line.
AREAS = ["setup", "users", "customers", "importing", "complaints", "visits", "sales", "reports", "safety",
         "workplan", "pool", "leads"]


class CliError(Exception):
    """A one-line message for stderr and an exit status."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.status = status


def build_parser() -> argparse.ArgumentParser:
    """The parser, in the language set (argparse's own words included)."""
    from desktop_crm.core import i18n
    from desktop_crm.core.i18n import _

    argparse._ = i18n.gettext  # type: ignore[attr-defined]  # argparse looks its words up here
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]
    parser = argparse.ArgumentParser(prog="desktop-crm", description=_("Desktop CRM (客户关系管理系统)"))
    parser.add_argument("--version", action="version", version=f"desktop-crm {__version__}",
                        help=_("show the version and exit"))
    parser.add_argument("--db", help=_("database URL or SQLite file (default: user data folder; env DESKTOP_CRM_DB)"))
    parser.add_argument("--user", help=_("log in as this user (or DESKTOP_CRM_USER); the password is asked for, "
                                         "or read from DESKTOP_CRM_PASSWORD"))
    parser.add_argument("--lang", choices=["en", "zh_CN", "system"], help=_("language of messages"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for area in AREAS:
        try:
            module = importlib.import_module(f"desktop_crm.cli.{area}")
        except ModuleNotFoundError as exc:
            if exc.name == f"desktop_crm.cli.{area}":
                continue
            raise
        module.register(sub)
    return parser


_VALUE_OPTIONS = {"--db", "--user", "--lang"}


def _has_command(argv: list[str]) -> bool:
    """True when argv holds a command (or --help/--version) besides the global options."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in _VALUE_OPTIONS:
            skip = True
        elif arg in ("--version", "-h", "--help") or not arg.startswith("-"):
            return True
    return False


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command (or the GUI). Never a traceback: an unexpected error is one line on stderr
    naming the log file that holds the details, with a non-zero exit status."""
    from desktop_crm.core import logs

    logs.setup()
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("desktop-crm: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the promise: one readable line, details in the log
        return _unexpected(exc, " ".join(argv[:3]) or "start")


def _unexpected(exc: BaseException, what: str) -> int:
    from desktop_crm.core import logs
    from desktop_crm.core.i18n import _

    path = logs.record_unexpected(exc, what)
    where = _("details in {path}").format(path=path) if path else _("details were written to stderr")
    print("desktop-crm: " + _("unexpected error ({kind}): {message}; {where}").format(
        kind=type(exc).__name__, message=str(exc).splitlines()[0] if str(exc) else "—", where=where),
        file=sys.stderr)
    return 70  # EX_SOFTWARE


def _lang_option(argv: list[str]) -> str:
    """--lang as given before the parser is built (its help is in that language)."""
    for k, arg in enumerate(argv):
        if arg == "--lang" and k + 1 < len(argv):
            return argv[k + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return "system"


def _main(argv: list[str]) -> int:
    if not _has_command(argv):
        # No command: the GUI. Parse only the global options, cheaply, to keep start-up fast.
        from desktop_crm.ui.launch import run_gui

        return run_gui(argv)
    from desktop_crm.core import i18n

    i18n.set_language(_lang_option(argv))
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from desktop_crm.cli.env import CliEnv
    from desktop_crm.core.errors import CrmError

    env = CliEnv(args)
    try:
        return int(args.func(args, env) or 0)
    except CliError as exc:
        print(f"desktop-crm: error: {exc}", file=sys.stderr)
        return exc.status
    except CrmError as exc:
        print(f"desktop-crm: error: {exc}", file=sys.stderr)
        return 1
    except (OSError, ValueError) as exc:
        print(f"desktop-crm: error: {exc}", file=sys.stderr)
        return 1
    finally:
        env.close()
