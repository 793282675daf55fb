"""`pool rule add|list|delete`, `pool limit set|list`, `pool claim`, `pool pin`: the customer pool's
rules, holding limits and claims."""

from __future__ import annotations

import argparse
import sys

from desktop_crm.cli import CliError
from desktop_crm.cli.args import enum_arg, user_id
from desktop_crm.cli.output import add_list_options, check_format, emit, positive_int
from desktop_crm.core.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    from desktop_crm.core.enums import CUSTOMER_STATUS, GRADE, POOL_CONDITION

    pool = sub.add_parser("pool", help=_("the customer pool: rules, holding limits, claims"))
    psub = pool.add_subparsers(dest="pool_command", metavar="ACTION", required=True)
    rule = psub.add_parser("rule", help=_("pool rules (administrators)"))
    rsub = rule.add_subparsers(dest="rule_command", metavar="ACTION", required=True)
    add = rsub.add_parser("add", help=_("add a rule that returns customers to the pool"))
    add.add_argument("name")
    add.add_argument("--condition", required=True, help=", ".join(POOL_CONDITION.keys))
    add.add_argument("--days", type=positive_int, required=True)
    add.add_argument("--grade", action="append", default=[], help=", ".join(GRADE.keys))
    add.add_argument("--status", action="append", default=[], help=", ".join(CUSTOMER_STATUS.keys))
    add.add_argument("--industry", action="append", default=[])
    add.add_argument("--department", help=_("only customers of this department's owners"))
    add.add_argument("--warn-days", type=int, default=3, help=_("warn the owner this many days before"))
    add.add_argument("--exempt-open-contract", action="store_true",
                     help=_("never customers with a contract in force"))
    add.add_argument("--exempt-deal-days", type=positive_int, metavar="N",
                     help=_("never customers with an order in the last N days"))
    add.set_defaults(func=cmd_rule_add)
    rl = rsub.add_parser("list", help=_("the pool rules"))
    add_list_options(rl, limit=False)
    rl.set_defaults(func=cmd_rule_list)
    rd = rsub.add_parser("delete", help=_("delete a rule"))
    rd.add_argument("name")
    rd.set_defaults(func=cmd_rule_delete)
    limit = psub.add_parser("limit", help=_("holding limits (administrators)"))
    lsub = limit.add_subparsers(dest="limit_command", metavar="ACTION", required=True)
    ls = lsub.add_parser("set", help=_("how many customers a role or a user may hold"))
    ls.add_argument("target", metavar="ROLE|USER")
    ls.add_argument("max", type=positive_int, metavar="N")
    ls.add_argument("--reclaim-days", type=int, metavar="N",
                    help=_("days before a customer returned to the pool may be claimed back by its previous owner"))
    ls.set_defaults(func=cmd_limit_set)
    ll = lsub.add_parser("list", help=_("the holding limits"))
    add_list_options(ll, limit=False)
    ll.set_defaults(func=cmd_limit_list)
    claim = psub.add_parser("claim", help=_("take customers from the pool as your own"))
    claim.add_argument("codes", nargs="+", metavar="CODE")
    claim.set_defaults(func=cmd_claim)
    pin = psub.add_parser("pin", help=_("keep a customer with its owner whatever the rules say (managers)"))
    pin.add_argument("code")
    pin.add_argument("--reason", default="")
    pin.add_argument("--off", action="store_true", help=_("let the rules apply again"))
    pin.set_defaults(func=cmd_pin)


def cmd_rule_add(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.enums import CUSTOMER_STATUS, GRADE, POOL_CONDITION
    from desktop_crm.core.workplan import pool_rules

    dept = None
    if args.department:
        from desktop_crm.core.services import users

        found = [d for d in users.list_departments(env.ctx) if d.name == args.department]
        if not found:
            raise CliError(_("No department '{name}'.").format(name=args.department), 2)
        dept = found[0].id
    data = pool_rules.RuleInput(
        name=args.name, condition=enum_arg(POOL_CONDITION, args.condition, "--condition"), days=args.days,
        grades=[enum_arg(GRADE, g, "--grade") for g in args.grade],
        statuses=[enum_arg(CUSTOMER_STATUS, x, "--status") for x in args.status], industries=args.industry,
        department_id=dept, warn_days=args.warn_days, exempt_open_contract=args.exempt_open_contract,
        exempt_deal_days=args.exempt_deal_days)
    r = pool_rules.save_rule(env.ctx, data)
    print(_("Pool rule {id} added: {name} ({what}).").format(id=r.id, name=r.name, what=r.describe()))
    return 0


def cmd_rule_list(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.workplan import pool_rules

    check_format(env.ctx, args.format)
    rows = [{"id": r.id, "name": r.name, "condition": r.condition, "days": r.days, "warn_days": r.warn_days,
             "active": r.active, "rule": r.describe()} for r in pool_rules.list_rules(env.ctx)]
    emit(rows, ["id", "name", "condition", "days", "warn_days", "active", "rule"], args.format, sys.stdout,
         ctx=env.ctx)
    return 0


def cmd_rule_delete(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.workplan import pool_rules

    found = [r for r in pool_rules.list_rules(env.ctx) if r.name == args.name]
    if not found:
        raise CliError(_("No pool rule '{name}'.").format(name=args.name), 2)
    pool_rules.delete_rule(env.ctx, found[0].id)
    print(_("Pool rule deleted: {name}.").format(name=args.name))
    return 0


def cmd_limit_set(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.enums import ROLE
    from desktop_crm.core.workplan import holding

    if args.target in ROLE.keys:
        holding.set_limit(env.ctx, role=args.target, max_customers=args.max, reclaim_days=args.reclaim_days)
    else:
        holding.set_limit(env.ctx, user_id=user_id(env, args.target), max_customers=args.max,
                          reclaim_days=args.reclaim_days)
    print(_("Holding limit of {target}: {n} customers.").format(target=args.target, n=args.max))
    return 0


def cmd_limit_list(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.workplan import holding

    check_format(env.ctx, args.format)
    rows = [{"role": lim.role or "", "user": lim.user, "max_customers": lim.max_customers,
             "reclaim_days": lim.reclaim_days} for lim in holding.list_limits(env.ctx)]
    emit(rows, ["role", "user", "max_customers", "reclaim_days"], args.format, sys.stdout, ctx=env.ctx)
    return 0


def cmd_claim(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.services import customers, pool

    ids = [customers.id_by_code(env.ctx, code) for code in args.codes]
    done = pool.claim(env.ctx, ids)
    print(_("{n} customers claimed; {left} claims left today.").format(n=done.claimed, left=done.left_today))
    return 0


def cmd_pin(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.services import customers
    from desktop_crm.core.workplan import pool_rules

    pool_rules.pin(env.ctx, customers.id_by_code(env.ctx, args.code), args.reason, pinned=not args.off)
    print((_("{code} stays with its owner.") if not args.off else _("{code}: the pool rules apply again."))
          .format(code=args.code))
    return 0
