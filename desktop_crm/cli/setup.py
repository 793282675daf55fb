"""`init` and `demo`."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from desktop_crm.cli import CliError
from desktop_crm.core.db import Database
from desktop_crm.core.i18n import _
from desktop_crm.core.services import users


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help=_("create the database and the administrator account"))
    p.add_argument("--admin-user", default="admin")
    p.add_argument("--admin-password")
    p.set_defaults(func=cmd_init)
    p = sub.add_parser("demo", help=_("fill the database with realistic demo data"))
    p.add_argument("--customers", type=int, default=2000)
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(func=cmd_demo)


def cmd_init(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    shown = Database.display_url(env.db.url)  # never a password on the screen
    if users.has_users(env.db):
        print(_("The database is ready: {url}").format(url=shown))
        return 0
    password = args.admin_password or getpass.getpass(_("Password for {user}: ").format(user=args.admin_user))
    users.bootstrap_admin(env.db, args.admin_user, password)
    print(_("Created administrator '{user}' in {url}").format(user=args.admin_user, url=shown))
    return 0


def cmd_demo(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core import demo

    if args.customers < 0:
        raise CliError(_("--customers must be zero or more"), 2)
    ctx = env.ctx if users.has_users(env.db) else None  # a database in use: an administrator's
    result = demo.generate(env.db, customers=args.customers, seed=args.seed, progress=demo.PrintProgress(), ctx=ctx)
    for line in result.summary_lines():
        print(line)
    if os.environ.get("DESKTOP_CRM_DEMO_TIMES"):  # for bench/bench_demo.py
        print("demo times: " + ", ".join(f"{k} {v:.1f} s" for k, v in demo.TIMES.items()), file=sys.stderr)
    return 0
