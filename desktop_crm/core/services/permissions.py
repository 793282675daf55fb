"""Who sees and changes what (DOMAIN §1), applied in services on every read and write path."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, select, true

from desktop_crm.core.errors import PermissionDenied
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Customer, User
from desktop_crm.core.services.context import Actor


def team_user_ids(actor: Actor):  # noqa: ANN201 - a SQL subquery
    return select(User.id).where(User.department_id == actor.department_id)


def owner_scope(actor: Actor, owner_col) -> ColumnElement[bool]:  # noqa: ANN001
    """Condition on an owner/assignee column: own (staff), team (supervisor), all (manager, admin, viewer)."""
    if actor.sees_all:
        return true()
    if actor.role == "supervisor" and actor.department_id is not None:
        return owner_col.in_(team_user_ids(actor))
    return owner_col == actor.id


def customer_scope(actor: Actor, owner_col=None) -> ColumnElement[bool]:  # noqa: ANN001
    """Customers the actor may see: their scope plus the customer pool (no owner). `owner_col`:
    an expression of customers.owner_id to test instead (`owner_id + 0` keeps SQLite off the
    owner index when a query should walk another index)."""
    if actor.sees_all:
        return true()
    col = Customer.owner_id if owner_col is None else owner_col
    return or_(owner_scope(actor, col), col.is_(None))


def scope_owners(session, actor: Actor) -> list[int | None] | None:  # noqa: ANN001
    """customer_scope as the list of owners it admits (None in it: the pool), for the search
    index; None when the actor sees every customer."""
    if actor.sees_all:
        return None
    if actor.role == "supervisor" and actor.department_id is not None:
        return [*session.scalars(team_user_ids(actor)), None]
    return [actor.id, None]


def intake_customer_scope(actor: Actor) -> ColumnElement[bool]:
    """Customers a caller may be identified among at complaint intake: all of them for anyone who
    registers complaints (a service-desk rep takes calls from every customer, DOMAIN §1: complaints
    received by them), so only identification fields are returned by that look-up."""
    return true() if actor.role != "viewer" else customer_scope(actor)


def require_role(actor: Actor, role: str, what: str | None = None) -> None:
    if actor.role == "viewer" or not actor.at_least(role):
        raise PermissionDenied(what)


def require_write(actor: Actor) -> None:
    if actor.role == "viewer":
        raise PermissionDenied(_("Read-only users cannot change data."))


def require_export(actor: Actor) -> None:
    if actor.role == "viewer" and not actor.can_export:
        raise PermissionDenied(_("You are not allowed to export."))


def user_in_scope(session, actor: Actor, user_id: int | None) -> bool:  # noqa: ANN001
    """Whether `user_id` (None = pool) is within the actor's team for assignments and transfers."""
    if user_id is None or actor.sees_all:
        return True
    if actor.role == "supervisor" and actor.department_id is not None:
        dept = session.scalar(select(User.department_id).where(User.id == user_id))
        return dept == actor.department_id
    return user_id == actor.id


def can_see_owner(session, actor: Actor, owner_id: int | None) -> bool:  # noqa: ANN001
    return owner_id is None or user_in_scope(session, actor, owner_id)


NOTHING = false()
