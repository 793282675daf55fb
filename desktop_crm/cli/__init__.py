"""`desktop-crm`: with no command starts the GUI; commands run headless over the same
services and permissions. One module per area registers its commands."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from desktop_crm import __version__

# Area modules; each has `register(subparsers)` and is loaded only for the command line.
AREAS = ["setup", "users", "customers", "importing", "complaints", "visits", "sales", "reports", "safety"]


class CliError(Exception):
    """A one-line message for stderr and an exit status."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.status = status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="desktop-crm", description="Desktop CRM (客户关系管理系统)")
    parser.add_argument("--version", action="version", version=f"desktop-crm {__version__}")
    parser.add_argument("--db", help="database URL or SQLite file (default: user data folder; env DESKTOP_CRM_DB)")
    parser.add_argument("--user", help="act as this user (default: the first administrator)")
    parser.add_argument("--lang", choices=["en", "zh_CN", "system"], help="language of messages")
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
    argv = list(sys.argv[1:] if argv is None else argv)
    if not _has_command(argv):
        # No command: the GUI. Parse only the global options, cheaply, to keep start-up fast.
        from desktop_crm.ui.launch import run_gui

        return run_gui(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from desktop_crm.cli.env import CliEnv
    from desktop_crm.core import i18n
    from desktop_crm.core.errors import CrmError

    i18n.set_language(args.lang or "system")
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
