"""`task add|list|done|move|cancel`, `calendar export`, `inbox list`, `jobs run|list`,
`pool rule add|list|delete`, `pool limit set|list`, `pool claim`, `pool pin`."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, time, timedelta

from desktop_crm.cli import CliError
from desktop_crm.cli.output import add_list_options, check_format, emit, positive_int
from desktop_crm.core.enums import REPEAT, TASK_KIND, TASK_PRIORITY, TASK_STATUS
from desktop_crm.core.i18n import _
from desktop_crm.core.rules.validation import parse_date

TASK_COLUMNS = ["id", "type", "title", "kind", "start", "end", "status", "priority", "owner", "customer_code",
                "customer", "reminders", "repeat", "result"]


def _date(text: str, option: str):  # noqa: ANN202
    try:
        return parse_date(text)
    except ValueError as exc:
        raise CliError(f"{option}: {exc}", 2) from None


def _datetime(text: str, option: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip().replace(" ", "T"))
    except ValueError:
        raise CliError(_("{option}: '{value}' is not a date and time like 2027-03-05T15:00").format(
            option=option, value=text), 2) from None


def _enum(enum, text: str, option: str) -> str:  # noqa: ANN001
    try:
        return enum.parse(text)
    except ValueError as exc:
        raise CliError(f"{option}: {exc}", 2) from None


def _user_id(env, username: str) -> int:  # noqa: ANN001
    from desktop_crm.cli.visits import _user_id as find

    return find(env, username)


def register(sub: argparse._SubParsersAction) -> None:
    t = sub.add_parser("task", help=_("tasks and appointments (work plan)"))
    tsub = t.add_subparsers(dest="task_command", metavar="ACTION", required=True)
    add = tsub.add_parser("add", help=_("add a task (--due) or an appointment (--start)"))
    add.add_argument("title")
    when = add.add_mutually_exclusive_group(required=True)
    when.add_argument("--due", help=_("the day a task is due, e.g. 2027-03-05"))
    when.add_argument("--start", help=_("an appointment's start, e.g. 2027-03-05T15:00"))
    add.add_argument("--end", help=_("an appointment's end (default: one hour after the start)"))
    add.add_argument("--kind", default="call", help=", ".join(TASK_KIND.keys))
    add.add_argument("--priority", default="normal", help=", ".join(TASK_PRIORITY.keys))
    add.add_argument("--customer", metavar="CODE")
    add.add_argument("--owner", metavar="USER", help=_("username (default: yourself)"))
    add.add_argument("--with", dest="participants", action="append", default=[], metavar="USER",
                     help=_("a participant (repeat for more)"))
    add.add_argument("--remind", action="append", type=int, default=[], metavar="MINUTES",
                     help=_("a reminder this many minutes before (repeat for more)"))
    add.add_argument("--repeat", help=", ".join(REPEAT.keys))
    add.add_argument("--count", type=positive_int, help=_("how many occurrences"))
    add.add_argument("--until", help=_("repeat until this date"))
    add.add_argument("--note", default="")
    add.set_defaults(func=cmd_add)

    lst = tsub.add_parser("list", help=_("tasks and appointments you may see"))
    lst.add_argument("--owner", metavar="USER")
    lst.add_argument("--customer", metavar="CODE")
    lst.add_argument("--from", dest="date_from", metavar="DATE")
    lst.add_argument("--to", dest="date_to", metavar="DATE", help=_("up to and including this date"))
    lst.add_argument("--status", help=", ".join(TASK_STATUS.keys))
    add_list_options(lst)
    lst.set_defaults(func=cmd_list)

    done = tsub.add_parser("done", help=_("mark done, with what came of it"))
    done.add_argument("id", type=int)
    done.add_argument("--result", default="", help=_("what came of it (a follow-up task records it as the "
                                                     "follow-up)"))
    done.set_defaults(func=cmd_done)
    cancel = tsub.add_parser("cancel", help=_("cancel a task or appointment"))
    cancel.add_argument("id", type=int)
    cancel.add_argument("--reason", default="")
    cancel.set_defaults(func=cmd_cancel)
    mv = tsub.add_parser("move", help=_("move to another time (reminders follow)"))
    mv.add_argument("id", type=int)
    mv.add_argument("--start", required=True)
    mv.add_argument("--end")
    mv.set_defaults(func=cmd_move)

    cal = sub.add_parser("calendar", help=_("calendar files"))
    csub = cal.add_subparsers(dest="calendar_command", metavar="ACTION", required=True)
    exp = csub.add_parser("export", help=_("write a user's calendar to an .ics file (Outlook, Apple Calendar, WPS)"))
    exp.add_argument("--owner", metavar="USER", help=_("whose calendar (default: yours)"))
    exp.add_argument("--from", dest="date_from", required=True, metavar="DATE")
    exp.add_argument("--to", dest="date_to", required=True, metavar="DATE", help=_("up to and including this date"))
    exp.add_argument("--out", required=True, metavar="FILE.ics")
    exp.set_defaults(func=cmd_calendar_export)

    ib = sub.add_parser("inbox", help=_("your fired reminders and what is due"))
    isub = ib.add_subparsers(dest="inbox_command", metavar="ACTION", required=True)
    il = isub.add_parser("list", help=_("your fired reminders and care reminders"))
    il.add_argument("--unread", action="store_true", help=_("only the unread reminders"))
    add_list_options(il, limit=False)
    il.set_defaults(func=cmd_inbox)

    register_pool(sub)
    j = sub.add_parser("jobs", help=_("background jobs (reminders, pool rules)"))
    jsub = j.add_subparsers(dest="jobs_command", metavar="ACTION", required=True)
    run = jsub.add_parser("run", help=_("run the jobs once (for the system's scheduler)"))
    run.add_argument("--only", metavar="NAME", help=_("one job: ") + ", ".join(_job_names()))
    run.add_argument("--now", metavar="ISO-DATETIME", help=_("run as if it were then (administrators)"))
    run.set_defaults(func=cmd_jobs_run)
    jl = jsub.add_parser("list", help=_("recent runs (administrators)"))
    add_list_options(jl)
    jl.set_defaults(func=cmd_jobs_list)


def register_pool(sub: argparse._SubParsersAction) -> None:
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
        name=args.name, condition=_enum(POOL_CONDITION, args.condition, "--condition"), days=args.days,
        grades=[_enum(GRADE, g, "--grade") for g in args.grade],
        statuses=[_enum(CUSTOMER_STATUS, x, "--status") for x in args.status], industries=args.industry,
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
        holding.set_limit(env.ctx, user_id=_user_id(env, args.target), max_customers=args.max,
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


def _job_names() -> list[str]:
    from desktop_crm.core.workplan import jobs

    return list(jobs.registry())


def cmd_add(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.services import customers
    from desktop_crm.core.workplan import tasks

    data = tasks.TaskInput(title=args.title, kind=_enum(TASK_KIND, args.kind, "--kind"),
                           priority=_enum(TASK_PRIORITY, args.priority, "--priority"), note=args.note,
                           reminders=args.remind)
    if args.due:
        data.due = _date(args.due, "--due")
    else:
        data.is_appointment, data.start = True, _datetime(args.start, "--start")
        data.end = _datetime(args.end, "--end") if args.end else None
    if args.repeat:
        data.repeat = _enum(REPEAT, args.repeat, "--repeat")
        data.repeat_count = args.count
        data.repeat_until = _date(args.until, "--until") if args.until else None
    if args.customer:
        data.customer_id = customers.id_by_code(env.ctx, args.customer)
    if args.owner:
        data.owner_id = _user_id(env, args.owner)
    data.participant_ids = [_user_id(env, u) for u in args.participants]
    made = tasks.create(env.ctx, data)
    for t in made:
        print(_("Task {id} added: {title}, {when}.").format(id=t.id, title=t.title, when=_when(t)))
    return 0


def _when(t) -> str:  # noqa: ANN001
    if not t.is_appointment:
        return t.start.date().isoformat()
    if t.all_day:
        return t.start.date().isoformat()
    return f"{t.start:%Y-%m-%d %H:%M}–{(t.end or t.start):%H:%M}"


def cmd_list(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.services import customers
    from desktop_crm.core.workplan import tasks

    check_format(env.ctx, args.format)
    start = datetime.combine(_date(args.date_from, "--from"), time.min) if args.date_from else None
    end = datetime.combine(_date(args.date_to, "--to"), time.min) + timedelta(days=1) if args.date_to else None
    f = tasks.TaskFilter(owner_ids=(_user_id(env, args.owner),) if args.owner else (),
                         customer_id=customers.id_by_code(env.ctx, args.customer) if args.customer else None,
                         start=start, end=end,
                         statuses=(_enum(TASK_STATUS, args.status, "--status"),) if args.status else ())
    rows = [t.as_json() for t in tasks.page(env.ctx, f, limit=args.limit or 1000)]
    emit(rows, TASK_COLUMNS, args.format, sys.stdout, ctx=env.ctx)
    return 0


def cmd_done(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.workplan import tasks

    t = tasks.complete(env.ctx, args.id, args.result)
    print(_("Task {id} done: {title}.").format(id=t.id, title=t.title))
    return 0


def cmd_cancel(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.workplan import tasks

    t = tasks.cancel(env.ctx, args.id, args.reason)
    print(_("Task {id} cancelled: {title}.").format(id=t.id, title=t.title))
    return 0


def cmd_move(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.workplan import tasks

    t = tasks.move(env.ctx, args.id, _datetime(args.start, "--start"),
                   _datetime(args.end, "--end") if args.end else None)
    print(_("Task {id} moved to {when}.").format(id=t.id, when=_when(t)))
    return 0


def cmd_calendar_export(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.services.permissions import require_export
    from desktop_crm.core.workplan import ics, tasks

    require_export(env.ctx.actor)
    start = datetime.combine(_date(args.date_from, "--from"), time.min)
    end = datetime.combine(_date(args.date_to, "--to"), time.min) + timedelta(days=1)
    owner = _user_id(env, args.owner) if args.owner else env.ctx.actor.id
    items = tasks.between(env.ctx, start, end, (owner,), statuses=("open", "done", "cancelled"))
    path = ics.write(args.out, items, name=args.owner or env.ctx.actor.username)
    print(_("{n} items written to {path}.").format(n=len(items), path=path))
    return 0


def cmd_inbox(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.services import reminders as care
    from desktop_crm.core.workplan import reminders

    check_format(env.ctx, args.format)
    rows = [{**i.as_json(), "customer_code": ""} for i in reminders.inbox(env.ctx, unread_only=args.unread)]
    if not args.unread:
        for r in care.flat(care.for_user(env.ctx)):
            d = r.as_json()
            rows.append({"id": "", "kind": d["kind"], "task_id": "", "title": d["title"], "starts": None,
                         "due": d["due"], "read": "", "customer_code": d["customer_code"]})
    emit(rows, ["kind", "due", "title", "customer_code", "starts", "read", "task_id"], args.format, sys.stdout,
         ctx=env.ctx)
    return 0


def cmd_jobs_run(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.services.permissions import require_role
    from desktop_crm.core.workplan import jobs

    ctx = env.ctx  # the command line logs in like the app before any job runs
    require_role(ctx.actor, "staff", _("Read-only users cannot run jobs."))
    at = None
    if args.now:
        require_role(ctx.actor, "admin", _("Only administrators may run the jobs as of another time."))
        at = _datetime(args.now, "--now")
    failed = 0
    for out in jobs.run_due(env.db, at, only=args.only, force=True):
        if out.ran and out.ok:
            print(f"{out.job}: {out.message}")
        elif out.ran:
            failed += 1
            print(_("{job}: failed: {error}").format(job=out.job, error=out.message))
        else:
            print(f"{out.job}: {out.message}")
    return 1 if failed else 0


def cmd_jobs_list(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.workplan import jobs

    check_format(env.ctx, args.format)
    rows = [{"id": r.id, "job": r.job, "desk": r.desk, "started": r.started_at, "finished": r.finished_at,
             "ok": r.ok, "result": r.result, "error": r.error.strip().splitlines()[-1] if r.error else ""}
            for r in jobs.recent_runs(env.ctx, limit=args.limit or 200)]
    emit(rows, ["id", "job", "desk", "started", "finished", "ok", "result", "error"], args.format, sys.stdout,
         ctx=env.ctx)
    return 0
