"""Users, departments, login and deactivation (with the handover of DOMAIN §4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_crm.core import security
from desktop_crm.core.db import Database
from desktop_crm.core.enums import ROLE
from desktop_crm.core.errors import CrmError, NotFound, ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Customer, Department, User
from desktop_crm.core.services import audit, settings
from desktop_crm.core.services.context import Actor, Ctx
from desktop_crm.core.services.permissions import require_role


@dataclass(frozen=True)
class UserView:
    id: int
    username: str
    display_name: str
    role: str
    department_id: int | None
    department: str
    active: bool
    email: str | None
    phone: str | None
    can_export: bool
    customers: int = 0


@dataclass(frozen=True)
class DepartmentView:
    id: int
    name: str
    active: bool
    users: int


class LoginError(CrmError):
    pass


def names(s: Session) -> dict[int, str]:
    """Every user's name as screens show it (`User.label`), by id: one query for a list's people."""
    return {uid: dn or un for uid, dn, un in s.execute(select(User.id, User.display_name, User.username))}


def actor_of(user: User) -> Actor:
    return Actor(id=user.id, username=user.username, role=user.role, department_id=user.department_id,
                 display_name=user.display_name or "", can_export=bool(user.can_export))


def _view(u: User, customers: int = 0) -> UserView:
    return UserView(u.id, u.username, u.display_name or "", u.role, u.department_id,
                    u.department.name if u.department else "", u.active, u.email, u.phone,
                    bool(u.can_export), customers)


SYSTEM = Actor(id=0, username="system", role="admin", department_id=None, display_name="system")


def has_users(db: Database) -> bool:
    with db.read() as s:
        return bool(s.scalar(select(func.count(User.id))))


def _check_new_user(s, username: str, role: str, password: str) -> dict[str, str]:  # noqa: ANN001
    errors: dict[str, str] = {}
    if not username or not username.strip():
        errors["username"] = _("is required")
    elif s.scalar(select(User.id).where(User.username == username.strip())):
        errors["username"] = _("'{name}' is already taken").format(name=username)
    if role not in ROLE.keys:
        errors["role"] = _("must be one of: {keys}").format(keys=", ".join(ROLE.keys))
    problem = security.check_password_rules(password or "")
    if problem:
        errors["password"] = problem
    return errors


def bootstrap_admin(db: Database, username: str, password: str) -> UserView:
    """First run: create the admin account. Refused once any user exists."""
    with db.write() as s:
        if s.scalar(select(func.count(User.id))):
            raise CrmError(_("The database already has users."))
        errors = _check_new_user(s, username, "admin", password)
        if errors:
            raise ValidationError(errors)
        u = User(username=username.strip(), display_name=username.strip(), role="admin",
                 password_hash=security.hash_password(password), active=True, can_export=True)
        s.add(u)
        s.flush()
        audit.record(s, SYSTEM, "user", u.id, "create", {"username": (None, u.username), "role": (None, "admin")},
                     label=u.username)
        return _view(u)


def authenticate(db: Database, username: str, password: str, *, via: str = "app") -> Actor:
    """Check a login; locks the account for a while after repeated failures. Every failed attempt is
    in the audit log (`via`: app or command line), a lockout too."""
    now = datetime.now()
    name = (username or "").strip()
    with db.write() as s:
        # locked: two logins at once (two desks, two scripts) update the row one after the other
        u = s.scalars(select(User).where(User.username == name).with_for_update(of=User)).first()
        if u is None:
            security.verify_password(password, security.hash_password("x" * 8))  # same cost either way
            audit.record(s, None, "user", None, "login failed", {"via": (None, via)}, label=name[:64])
            s.commit()
            raise LoginError(_("Wrong user name or password."))
        failed = None
        if not u.active:
            failed = _("This account is deactivated.")
        elif u.locked_until and u.locked_until > now:
            minutes = max(1, int((u.locked_until - now).total_seconds() // 60) + 1)
            failed = _("Too many failed logins; try again in {n} minutes.").format(n=minutes)
        elif not security.verify_password(password, u.password_hash):
            failed = _("Wrong user name or password.")
            u.failed_logins = (u.failed_logins or 0) + 1
            if u.failed_logins >= int(settings.read(s, "login_max_failures")):
                u.locked_until = now + timedelta(minutes=int(settings.read(s, "login_lockout_minutes")))
                u.failed_logins = 0
                audit.record(s, actor_of(u), "user", u.id, "lockout", label=u.username)
        if failed is not None:
            audit.record(s, actor_of(u), "user", u.id, "login failed", {"via": (None, via)}, label=u.username)
            s.commit()
            raise LoginError(failed)
        if security.needs_rehash(u.password_hash):
            u.password_hash = security.hash_password(password)
        u.failed_logins, u.locked_until, u.last_login_at = 0, None, now
        audit.record(s, actor_of(u), "user", u.id, "login", {"via": (None, via)} if via != "app" else None,
                     label=u.username)
        return actor_of(u)


def actor_by_name(db: Database, username: str | None) -> Actor:
    """For the command line: the named active user, or the first admin."""
    with db.read() as s:
        q = select(User).where(User.active.is_(True))
        q = q.where(User.username == username) if username else q.where(User.role == "admin").order_by(User.id)
        u = s.scalars(q).first()
        if u is None:
            raise NotFound(_("No active user '{name}'.").format(name=username) if username
                           else _("No administrator yet: run 'desktop-crm init' first."))
        return actor_of(u)


def list_users(ctx: Ctx, *, include_inactive: bool = True, with_counts: bool = False) -> list[UserView]:
    """Users by name. Roles, departments, contact details and customer counts (`with_counts`: a scan
    of all customers) are for administrators and managers; a supervisor sees them for the team;
    everyone else the names only (for choosing a colleague)."""
    full = ctx.actor.role in ("admin", "manager")
    team = ctx.actor.role == "supervisor" and ctx.actor.department_id is not None
    with ctx.db.read() as s:
        counts = (dict(s.execute(select(Customer.owner_id, func.count()).group_by(Customer.owner_id)).all())
                  if with_counts and full else {})
        q = select(User).order_by(User.username)
        if not include_inactive:
            q = q.where(User.active.is_(True))
        out = []
        for u in s.scalars(q):
            view = _view(u, counts.get(u.id, 0))
            if not (full or (team and u.department_id == ctx.actor.department_id) or u.id == ctx.actor.id):
                view = UserView(u.id, u.username, u.display_name or "", "", None, "", u.active, None, None, False)
            out.append(view)
        return out


def assignable(ctx: Ctx) -> list[UserView]:
    """Whom the actor may give work to (tasks, visits, leads): active users who do work — oneself
    (staff), the department (supervisors), anyone (managers and administrators)."""
    working = [u for u in list_users(ctx, include_inactive=False) if u.role != "viewer"]
    if ctx.actor.sees_all:
        return working
    if ctx.actor.role == "supervisor":
        return [u for u in working if u.department_id == ctx.actor.department_id or u.id == ctx.actor.id]
    return [u for u in working if u.id == ctx.actor.id]


def get_user(ctx: Ctx, user_id: int) -> UserView:
    with ctx.db.read() as s:
        u = s.get(User, user_id)
        if u is None:
            raise NotFound(_("No such user."))
        return _view(u)


def find_user_id(session, username: str) -> int:  # noqa: ANN001
    uid = session.scalar(select(User.id).where(User.username == username))
    if uid is None:
        raise NotFound(_("No user '{name}'.").format(name=username))
    return uid


def create_user(ctx: Ctx, username: str, role: str, password: str, *, department_id: int | None = None,
                display_name: str = "", email: str | None = None, phone: str | None = None,
                can_export: bool = False) -> UserView:
    require_role(ctx.actor, "admin", _("Only administrators manage users."))
    with ctx.db.write() as s:
        errors = _check_new_user(s, username, role, password)
        if department_id is not None and s.get(Department, department_id) is None:
            errors["department"] = _("does not exist")
        if errors:
            raise ValidationError(errors)
        u = User(username=username.strip(), display_name=(display_name or username).strip(), role=role,
                 department_id=department_id, email=email, phone=phone, can_export=can_export,
                 password_hash=security.hash_password(password), active=True)
        s.add(u)
        s.flush()
        audit.record(s, ctx.actor, "user", u.id, "create",
                     {"username": (None, u.username), "role": (None, role), "department_id": (None, department_id)},
                     label=u.username)
        s.refresh(u)
        return _view(u)


def update_user(ctx: Ctx, user_id: int, *, role: str | None = None, department_id: int | None | str = "keep",
                display_name: str | None = None, email: str | None = None, phone: str | None = None,
                can_export: bool | None = None) -> UserView:
    require_role(ctx.actor, "admin", _("Only administrators manage users."))
    with ctx.db.write() as s:
        u = s.get(User, user_id)
        if u is None:
            raise NotFound(_("No such user."))
        if role is not None and role not in ROLE.keys:
            raise ValidationError({"role": _("must be one of: {keys}").format(keys=", ".join(ROLE.keys))})
        before = {"role": u.role, "department_id": u.department_id, "display_name": u.display_name,
                  "email": u.email, "phone": u.phone, "can_export": u.can_export}
        if role is not None:
            if u.role == "admin" and role != "admin" and _active_admins(s) <= 1:
                raise ValidationError({"role": _("the last administrator cannot lose the role")})
            u.role = role
        if department_id != "keep":
            u.department_id = department_id  # type: ignore[assignment]
        for name, value in (("display_name", display_name), ("email", email), ("phone", phone),
                            ("can_export", can_export)):
            if value is not None:
                setattr(u, name, value)
        after = {k: getattr(u, k) for k in before}
        audit.record(s, ctx.actor, "user", u.id, "update", audit.diff(before, after), label=u.username)
        s.flush()
        s.refresh(u)
        return _view(u)


def _active_admins(s) -> int:  # noqa: ANN001
    return s.scalar(select(func.count(User.id)).where(User.role == "admin", User.active.is_(True))) or 0


def reset_password(ctx: Ctx, user_id: int, password: str) -> None:
    if ctx.actor.id != user_id:
        require_role(ctx.actor, "admin", _("Only administrators reset passwords."))
    problem = security.check_password_rules(password or "")
    if problem:
        raise ValidationError({"password": problem})
    with ctx.db.write() as s:
        u = s.get(User, user_id)
        if u is None:
            raise NotFound(_("No such user."))
        u.password_hash = security.hash_password(password)
        u.failed_logins, u.locked_until = 0, None
        audit.record(s, ctx.actor, "user", u.id, "reset_password", {"password": (None, None)}, label=u.username)


def deactivate_user(ctx: Ctx, user_id: int, *, handover_to: int | None | str = "none",
                    reason: str = "") -> int:
    """Lock the account at once; their customers go to `handover_to` (a user id, or None = pool)
    in the same transaction. Refused while they still own customers and no handover is given.
    Returns the number of customers handed over."""
    from desktop_crm.core.services import transfers

    require_role(ctx.actor, "admin", _("Only administrators deactivate users."))
    with ctx.db.write() as s:
        u = s.get(User, user_id)
        if u is None:
            raise NotFound(_("No such user."))
        if u.id == ctx.actor.id:
            raise ValidationError({"user": _("you cannot deactivate yourself")})
        if u.role == "admin" and _active_admins(s) <= 1:
            raise ValidationError({"user": _("the last administrator cannot be deactivated")})
        owned = s.scalars(select(Customer.id).where(Customer.owner_id == u.id)).all()
        moved = 0
        if owned:
            if handover_to == "none":
                raise ValidationError({"handover_to": _("{user} still owns {n} customers: choose who takes them over")
                                       .format(user=u.username, n=len(owned))})
            if handover_to == u.id:
                raise ValidationError({"handover_to": _("cannot hand over to the user being deactivated")})
            moved = transfers.move_customers(s, ctx, list(owned), handover_to,  # type: ignore[arg-type]
                                             reason or _("Handover: {user} left").format(user=u.username))
        u.active = False
        audit.record(s, ctx.actor, "user", u.id, "deactivate", {"active": (True, False)}, label=u.username)
        return moved


def list_departments(ctx: Ctx) -> list[DepartmentView]:
    with ctx.db.read() as s:
        counts = dict(s.execute(select(User.department_id, func.count()).group_by(User.department_id)).all())
        return [DepartmentView(d.id, d.name, d.active, counts.get(d.id, 0))
                for d in s.scalars(select(Department).order_by(Department.name))]


def save_department(ctx: Ctx, name: str, *, department_id: int | None = None, active: bool = True) -> DepartmentView:
    require_role(ctx.actor, "admin", _("Only administrators manage departments."))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("is required")})
    with ctx.db.write() as s:
        clash = s.scalar(select(Department.id).where(Department.name == name))
        if clash and clash != department_id:
            raise ValidationError({"name": _("'{name}' already exists").format(name=name)})
        if department_id is None:
            d = Department(name=name, active=active)
            s.add(d)
            s.flush()
            audit.record(s, ctx.actor, "department", d.id, "create", {"name": (None, name)}, label=name)
        else:
            d = s.get(Department, department_id)
            if d is None:
                raise NotFound(_("No such department."))
            changes = audit.diff({"name": d.name, "active": d.active}, {"name": name, "active": active})
            d.name, d.active = name, active
            audit.record(s, ctx.actor, "department", d.id, "update", changes, label=name)
        return DepartmentView(d.id, d.name, d.active, 0)
