"""First run with `--demo`: the administrator account and the demo business."""

from __future__ import annotations

from desktop_crm.core.db import Database

DEMO_ADMIN = ("admin", "admin1234")


def create_demo_database(db: Database, customers: int | None = None, seed: int = 1,
                         progress=None) -> tuple[str, str]:  # noqa: ANN001
    """Create admin/admin1234 and the demo business; returns the credentials (shown by the caller)."""
    from desktop_crm.core import demo
    from desktop_crm.core.services import users
    from desktop_crm.core.services.context import Ctx

    users.bootstrap_admin(db, *DEMO_ADMIN)
    admin = Ctx(db, users.authenticate(db, *DEMO_ADMIN, via="demo"))
    demo.generate(db, customers=demo.DEFAULT_CUSTOMERS if customers is None else customers, seed=seed,
                  progress=progress, ctx=admin)
    print(f"Demo database created. Log in as {DEMO_ADMIN[0]} / {DEMO_ADMIN[1]}", flush=True)
    return DEMO_ADMIN
