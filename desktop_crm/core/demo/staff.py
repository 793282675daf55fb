"""The demo company's people: departments, users of every role (one password, printed once),
a rep who has left, the company name; and who owns, handles and supervises what."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_crm.core import security
from desktop_crm.core.db import Database
from desktop_crm.core.demo import words as W
from desktop_crm.core.errors import PermissionDenied
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Department, User
from desktop_crm.core.services import audit, settings, users
from desktop_crm.core.services.context import Ctx

DEMO_PASSWORD = "demo-pass-2026"
DEPARTMENTS = ["市场销售部", "客户服务部", "口岸作业部", "快件服务中心"]
SERVICE_DESK = "客户服务部"  # takes the complaint calls
LEFT_DAYS_AGO = 200  # when the former rep left


@dataclass(frozen=True)
class Staff:
    """Who is who, read back from the database (also when the demo runs a second time)."""

    admin_id: int
    manager_id: int
    owners: list[int | None]  # weighted picks for a customer's owner; None = the pool
    reps: set[int]  # active staff and supervisors
    department_of: dict[int, int | None]
    desk: list[int]  # active staff and supervisor of the service desk
    desk_supervisor: int
    former: tuple[int, datetime] | None  # the rep who left, and when


def ensure_users(db: Database, ctx: Ctx | None = None) -> tuple[Ctx, str | None, list[tuple[str, str, str]]]:
    """The administrator (on an empty database), departments and demo users; the company name.
    `ctx`: the administrator who asked for the demo (on a database that has users)."""
    admin_pw = None
    if ctx is None:
        if users.has_users(db):
            raise PermissionDenied(_("Only an administrator can add demo data to a database in use."))
        users.bootstrap_admin(db, "admin", DEMO_PASSWORD)
        admin_pw = DEMO_PASSWORD
        ctx = Ctx(db, users.authenticate(db, "admin", DEMO_PASSWORD, via="demo"))
    elif ctx.actor.role != "admin":
        raise PermissionDenied(_("Only an administrator can add demo data to a database in use."))
    with db.read() as s:
        depts = {d.name: d.id for d in s.scalars(select(Department))}
        names = set(s.scalars(select(User.username)))
        company = settings.read(s, "company_name")
    for name in DEPARTMENTS:
        if name not in depts:
            depts[name] = users.save_department(ctx, name).id
    if not company:
        settings.set_many(ctx, {"company_name": W.COMPANY})
    wanted = [("zhaomin", "manager", None, "赵敏"), ("chakan", "viewer", None, "查看员")]
    people = ["王芳", "李强", "张伟", "刘洋", "陈静", "杨磊", "黄丽", "周杰", "吴敏", "徐涛", "孙娜", "马超"]
    for i, dept in enumerate(DEPARTMENTS, start=1):
        wanted.append((f"sup{i}", "supervisor", dept, people[(i - 1) * 3]))
        wanted += [(f"rep{i}{x}", "staff", dept, people[(i - 1) * 3 + k]) for k, x in ((1, "a"), (2, "b"))]
    wanted.append((W.FORMER_REP[0], "staff", DEPARTMENTS[0], W.FORMER_REP[1]))
    created = []
    todo = [w for w in wanted if w[0] not in names]
    if todo:  # one hash for all (the same password): scrypt at full cost takes a while each
        hashed = security.hash_password(DEMO_PASSWORD)
        with db.write() as s:
            for username, role, dept, display in todo:
                active = username != W.FORMER_REP[0]
                u = User(username=username, display_name=display, role=role, password_hash=hashed, active=active,
                         department_id=depts.get(dept) if dept else None, can_export=role != "viewer")
                s.add(u)
                s.flush()
                audit.record(s, ctx.actor, "user", u.id, "create",
                             {"username": (None, username), "role": (None, role), "active": (None, active)},
                             label=username)
                if active:
                    created.append((username, role, dept or ""))
    return ctx, admin_pw, created


def load(s: Session, now: datetime) -> Staff:
    rows = s.execute(select(User.id, User.username, User.role, User.active, User.department_id)
                     .order_by(User.id)).all()
    desk_dept = s.scalar(select(Department.id).where(Department.name == SERVICE_DESK))
    admin = next(r.id for r in rows if r.role == "admin" and r.active)
    manager = next((r.id for r in rows if r.role == "manager" and r.active), admin)
    reps = [r for r in rows if r.active and r.role in ("staff", "supervisor")]
    owners: list[int | None] = []
    for r in reps:
        owners += [r.id] * (3 if r.role == "staff" else 1)
    owners += [None] * max(1, len(owners) // 6)  # about one in seven in the pool
    desk = [r.id for r in reps if r.department_id == desk_dept] or [r.id for r in reps] or [admin]
    desk_sup = next((r.id for r in reps if r.department_id == desk_dept and r.role == "supervisor"), manager)
    former = next((r.id for r in rows if r.username == W.FORMER_REP[0] and not r.active), None)
    left = (now - timedelta(days=LEFT_DAYS_AGO)).replace(hour=17, minute=30, second=0, microsecond=0)
    return Staff(admin, manager, owners, {r.id for r in reps}, {r.id: r.department_id for r in rows}, desk,
                 desk_sup, (former, left) if former is not None else None)
