"""`visit plan|done`, `interaction add`, `reminders`."""

from __future__ import annotations

import argparse
import sys

from desktop_crm.cli import CliError
from desktop_crm.cli.args import date_arg, user_id
from desktop_crm.cli.output import add_list_options, emit
from desktop_crm.core.enums import INTERACTION_CHANNEL, INTERACTION_KIND, VISIT_FEEDBACK, VISIT_PURPOSE
from desktop_crm.core.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    v = sub.add_parser("visit", help=_("return visits"))
    vsub = v.add_subparsers(dest="visit_command", metavar="ACTION", required=True)
    plan = vsub.add_parser("plan", help=_("plan return visits for customers"))
    plan.add_argument("--customers", nargs="+", required=True, metavar="CODE")
    plan.add_argument("--due", required=True, help=_("due date, e.g. 2024-03-05"))
    plan.add_argument("--assignee", help=_("username (default: yourself)"))
    plan.add_argument("--purpose", default="old_customer", help=", ".join(VISIT_PURPOSE.keys))
    plan.add_argument("--note", default="")
    plan.set_defaults(func=cmd_plan)
    done = vsub.add_parser("done", help=_("record a return visit's result"))
    done.add_argument("id", type=int)
    done.add_argument("--score", type=int, required=True, help=_("satisfaction 1-5"))
    done.add_argument("--feedback", default="", help=_("tags, comma separated: ") + ", ".join(VISIT_FEEDBACK.keys))
    done.add_argument("--note", default="")
    done.set_defaults(func=cmd_done)

    i = sub.add_parser("interaction", help=_("interactions (follow-ups)"))
    isub = i.add_subparsers(dest="interaction_command", metavar="ACTION", required=True)
    add = isub.add_parser("add", help=_("log an interaction with a customer"))
    add.add_argument("code")
    add.add_argument("--channel", required=True, help=", ".join(INTERACTION_CHANNEL.keys))
    add.add_argument("--kind", default="follow_up", help=", ".join(INTERACTION_KIND.keys))
    add.add_argument("--summary", required=True)
    add.add_argument("--outcome")
    add.add_argument("--next", help=_("next follow-up date"))
    add.set_defaults(func=cmd_interaction_add)

    r = sub.add_parser("reminders", help=_("what is due: follow-ups, visits, birthdays, care"))
    r.add_argument("--user", "--for", dest="for_user", metavar="USER",
                   help=_("whose reminders (default: the acting user); given after the command it does not "
                          "change who acts"))
    r.add_argument("--date", help=_("as of this date (default: today)"))
    add_list_options(r, limit=False)
    r.set_defaults(func=cmd_reminders)


def cmd_plan(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.services import customers, visits

    try:
        purpose = VISIT_PURPOSE.parse(args.purpose)
    except ValueError as exc:
        raise CliError(f"--purpose: {exc}", 2) from None
    due = date_arg(args.due, "--due")
    assignee = user_id(env, args.assignee) if args.assignee else None
    ids = [customers.id_by_code(env.ctx, code) for code in args.customers]
    made = visits.plan_visits(env.ctx, ids, due, assignee_id=assignee, purpose=purpose, note=args.note)
    for vid, code in zip(made, args.customers, strict=False):
        print(_("Return visit {id} planned for {code} on {date}.").format(id=vid, code=code, date=due.isoformat()))
    return 0


def cmd_done(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.services import visits

    try:
        tags = [VISIT_FEEDBACK.parse(t) for t in args.feedback.replace("，", ",").split(",") if t.strip()]
    except ValueError as exc:
        raise CliError(f"--feedback: {exc}", 2) from None
    v = visits.complete_visit(env.ctx, args.id, score=args.score, tags=tags, feedback=args.note, note=args.note)
    print(_("Return visit {id} done: {code}, satisfaction {score}/5.").format(id=v.id, code=v.customer_code,
                                                                             score=v.score))
    return 0


def cmd_interaction_add(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.services import customers, interactions

    try:
        channel = INTERACTION_CHANNEL.parse(args.channel)
        kind = INTERACTION_KIND.parse(args.kind)
    except ValueError as exc:
        raise CliError(str(exc), 2) from None
    nxt = date_arg(args.next, "--next") if args.next else None
    i = interactions.log_interaction(env.ctx, customers.id_by_code(env.ctx, args.code), channel=channel, kind=kind,
                                     summary=args.summary, outcome=args.outcome, next_follow_up=nxt)
    print(_("Interaction {id} logged for {code}.").format(id=i.id, code=args.code))
    return 0


def cmd_reminders(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.services import reminders

    uid = user_id(env, args.for_user) if args.for_user else None
    today = date_arg(args.date, "--date") if args.date else None
    rows = [r.as_json() for r in reminders.flat(reminders.for_user(env.ctx, uid, today))]
    emit(rows, ["kind", "due", "customer_code", "customer", "title", "overdue"], args.format, sys.stdout, ctx=env.ctx)
    return 0
