"""First run with `--demo`: the administrator account and a realistic demo archive."""

from __future__ import annotations

from desktop_crm.core.db import Database

DEMO_ADMIN = ("admin", "admin1234")


def create_demo_database(db: Database, customers: int = 300, seed: int = 1) -> tuple[str, str]:
    """Create admin/admin1234 and demo data; returns the credentials (printed by the caller)."""
    from desktop_crm.core import demo
    from desktop_crm.core.services import users

    users.bootstrap_admin(db, *DEMO_ADMIN)
    demo.generate(db, customers=customers, seed=seed)
    print(f"Demo database created. Log in as {DEMO_ADMIN[0]} / {DEMO_ADMIN[1]}", flush=True)
    return DEMO_ADMIN
