"""`task add|list|done|move|cancel`, `calendar export`, `inbox list`, `jobs run|list`."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, time, timedelta

from desktop_crm.cli.args import date_arg, datetime_arg, enum_arg, user_id
from desktop_crm.cli.output import add_list_options, check_format, emit, positive_int
from desktop_crm.core.enums import REPEAT, TASK_KIND, TASK_PRIORITY, TASK_STATUS
from desktop_crm.core.i18n import _

TASK_COLUMNS = ["id", "type", "title", "kind", "start", "end", "status", "priority", "owner", "customer_code",
                "customer", "reminders", "repeat", "result"]










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

    j = sub.add_parser("jobs", help=_("background jobs (reminders, pool rules)"))
    jsub = j.add_subparsers(dest="jobs_command", metavar="ACTION", required=True)
    run = jsub.add_parser("run", help=_("run the jobs once (for the system's scheduler)"))
    run.add_argument("--only", metavar="NAME", help=_("one job: ") + ", ".join(_job_names()))
    run.add_argument("--now", metavar="ISO-DATETIME", help=_("run as if it were then (administrators)"))
    run.set_defaults(func=cmd_jobs_run)
    jl = jsub.add_parser("list", help=_("recent runs (administrators)"))
    add_list_options(jl)
    jl.set_defaults(func=cmd_jobs_list)


def _job_names() -> list[str]:
    from desktop_crm.core.workplan import jobs

    return list(jobs.registry())


def cmd_add(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.services import customers
    from desktop_crm.core.workplan import tasks

    data = tasks.TaskInput(title=args.title, kind=enum_arg(TASK_KIND, args.kind, "--kind"),
                           priority=enum_arg(TASK_PRIORITY, args.priority, "--priority"), note=args.note,
                           reminders=args.remind)
    if args.due:
        data.due = date_arg(args.due, "--due")
    else:
        data.is_appointment, data.start = True, datetime_arg(args.start, "--start")
        data.end = datetime_arg(args.end, "--end") if args.end else None
    if args.repeat:
        data.repeat = enum_arg(REPEAT, args.repeat, "--repeat")
        data.repeat_count = args.count
        data.repeat_until = date_arg(args.until, "--until") if args.until else None
    if args.customer:
        data.customer_id = customers.id_by_code(env.ctx, args.customer)
    if args.owner:
        data.owner_id = user_id(env, args.owner)
    data.participant_ids = [user_id(env, u) for u in args.participants]
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
    start = datetime.combine(date_arg(args.date_from, "--from"), time.min) if args.date_from else None
    end = datetime.combine(date_arg(args.date_to, "--to"), time.min) + timedelta(days=1) if args.date_to else None
    f = tasks.TaskFilter(owner_ids=(user_id(env, args.owner),) if args.owner else (),
                         customer_id=customers.id_by_code(env.ctx, args.customer) if args.customer else None,
                         start=start, end=end,
                         statuses=(enum_arg(TASK_STATUS, args.status, "--status"),) if args.status else ())
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

    t = tasks.move(env.ctx, args.id, datetime_arg(args.start, "--start"),
                   datetime_arg(args.end, "--end") if args.end else None)
    print(_("Task {id} moved to {when}.").format(id=t.id, when=_when(t)))
    return 0


def cmd_calendar_export(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.services.permissions import require_export
    from desktop_crm.core.workplan import ics, tasks

    require_export(env.ctx.actor)
    start = datetime.combine(date_arg(args.date_from, "--from"), time.min)
    end = datetime.combine(date_arg(args.date_to, "--to"), time.min) + timedelta(days=1)
    owner = user_id(env, args.owner) if args.owner else env.ctx.actor.id
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
        at = datetime_arg(args.now, "--now")
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
