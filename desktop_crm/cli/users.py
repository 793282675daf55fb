"""`user add|list|deactivate`."""

from __future__ import annotations

import argparse
import getpass

from desktop_crm.cli import CliError
from desktop_crm.cli.output import add_list_options, emit
from desktop_crm.core.enums import ROLE
from desktop_crm.core.i18n import _
from desktop_crm.core.services import users


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("user", help=_("manage users"))
    usub = p.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    a = usub.add_parser("add", help=_("add a user"))
    a.add_argument("name")
    a.add_argument("--role", required=True, choices=list(ROLE.keys))
    a.add_argument("--department")
    a.add_argument("--password")
    a.add_argument("--display-name", default="")
    a.set_defaults(func=cmd_add)
    ls = usub.add_parser("list", help=_("list users"))
    add_list_options(ls, limit=False)
    ls.set_defaults(func=cmd_list)
    d = usub.add_parser("deactivate", help=_("deactivate a user, handing their customers over"))
    d.add_argument("name")
    d.add_argument("--handover-to", required=True, help=_("a username, or 'pool'"))
    d.add_argument("--reason", default="")
    d.set_defaults(func=cmd_deactivate)


def _department_id(env, name: str | None) -> int | None:  # noqa: ANN001
    if not name:
        return None
    for d in users.list_departments(env.ctx):
        if d.name == name:
            return d.id
    return users.save_department(env.ctx, name).id


def cmd_add(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    password = args.password or getpass.getpass(_("Password for {user}: ").format(user=args.name))
    u = users.create_user(env.ctx, args.name, args.role, password, department_id=_department_id(env, args.department),
                          display_name=args.display_name)
    print(_("Added user {name} ({role}).").format(name=u.username, role=u.role))
    return 0


def cmd_list(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    rows = [{"username": u.username, "display_name": u.display_name, "role": u.role, "department": u.department,
             "active": u.active, "customers": u.customers} for u in users.list_users(env.ctx, with_counts=True)]
    emit(rows, ["username", "display_name", "role", "department", "active", "customers"], args.format,
         ctx=env.ctx)
    return 0


def _user_id(env, name: str) -> int:  # noqa: ANN001
    for u in users.list_users(env.ctx):
        if u.username == name:
            return u.id
    raise CliError(_("No user '{name}'.").format(name=name))


def cmd_deactivate(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    target = None if args.handover_to == "pool" else _user_id(env, args.handover_to)
    moved = users.deactivate_user(env.ctx, _user_id(env, args.name), handover_to=target, reason=args.reason)
    print(_("Deactivated {name}; {n} customers handed over.").format(name=args.name, n=moved))
    return 0
