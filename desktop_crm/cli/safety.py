"""`backup [--out FILE]`, `restore FILE`, `check [BACKUP-FILE]`.

Exit status: 0 done / all checks passed, 1 failed (one line on stderr), 2 bad usage.
`restore` also works when the database file is damaged and cannot be opened: the
damaged file is moved aside (kept) and the backup copied in its place.
"""

from __future__ import annotations

import argparse

from desktop_crm.cli import CliError
from desktop_crm.core.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    b = sub.add_parser("backup", help=_("write a checked backup of the database"))
    b.add_argument("--out", metavar="FILE", help=_("where to write it (default: the backups folder)"))
    b.set_defaults(func=cmd_backup)
    r = sub.add_parser("restore", help=_("replace the database by a backup (the replaced data is kept)"))
    r.add_argument("file", metavar="FILE", help=_("a backup (.sqlite3 or .crmarchive)"))
    r.set_defaults(func=cmd_restore)
    c = sub.add_parser("check", help=_("check integrity, foreign keys and the audit-log chain"))
    c.add_argument("file", metavar="BACKUP-FILE", nargs="?", help=_("check this backup file instead"))
    c.set_defaults(func=cmd_check)
    ls = sub.add_parser("backups", help=_("list the backups"))
    ls.set_defaults(func=cmd_list)


def cmd_backup(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.services import safety

    made = safety.backup_now(env.ctx, args.out)
    print(_("Backup written and checked: {path}").format(path=made.path))
    return 0


def cmd_restore(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from pathlib import Path

    from desktop_crm.core.app_setup import DamagedDatabase
    from desktop_crm.core.services import safety

    path = Path(args.file).expanduser()
    if not path.exists():
        raise CliError(_("File not found: {path}").format(path=path), 2)
    try:
        ctx = env.ctx
    except DamagedDatabase:
        kept = safety.restore_damaged(args.db, path)
        print(_("The damaged database was moved to {kept}.").format(kept=kept))
        print(_("Restored from {path}.").format(path=path))
        return 0
    result = safety.restore(ctx, path)
    if result.kept:
        print(_("The replaced database was kept as {kept}.").format(kept=result.kept))
    print(_("Restored from {path}.").format(path=path))
    return 0


def cmd_check(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.services import safety

    if args.file:
        problems = safety.verify_backup(args.file)
        if problems:
            raise CliError(_("{file}: {problems}").format(file=args.file, problems="; ".join(problems)))
        print(_("{file}: ok").format(file=args.file))
        return 0
    report = safety.check(env.ctx)
    for item in report.items:
        print(f"{item.name}: {item.detail}")
    if not report.ok:
        raise CliError(_("The check found problems (see above). Restore the latest good backup: "
                         "desktop-crm restore FILE"))
    return 0


def cmd_list(args: argparse.Namespace, env) -> int:  # noqa: ANN001
    from desktop_crm.core.services import safety

    for b in safety.list_backups(env.ctx):
        print(f"{b.made_at:%Y-%m-%d %H:%M:%S}  {b.reason or '-':<15} {b.size / 1024:>10.0f} KB  {b.path}")
    return 0
