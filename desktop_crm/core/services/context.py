"""What every service call receives: the database and the acting user."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_crm.core.db import Database

ROLE_RANK = {"viewer": 0, "staff": 1, "supervisor": 2, "manager": 3, "admin": 4}


@dataclass(frozen=True)
class Actor:
    """The logged-in user, as plain data (never a live ORM object)."""

    id: int
    username: str
    role: str
    department_id: int | None
    display_name: str = ""
    can_export: bool = False

    @property
    def label(self) -> str:
        return self.display_name or self.username

    def at_least(self, role: str) -> bool:
        """True for roles at or above `role` in the hierarchy staff < supervisor < manager < admin.

        viewer is read-only and ranks below staff for writes.
        """
        return ROLE_RANK[self.role] >= ROLE_RANK[role]

    @property
    def sees_all(self) -> bool:
        return self.role in ("admin", "manager", "viewer")


@dataclass(frozen=True)
class Ctx:
    db: Database
    actor: Actor
