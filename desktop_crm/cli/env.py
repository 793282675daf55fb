"""What a command handler gets: the database (opened on first use) and the acting user."""

from __future__ import annotations

import argparse

from desktop_crm.core.app_setup import open_database
from desktop_crm.core.db import Database
from desktop_crm.core.services import users
from desktop_crm.core.services.context import Ctx


class CliEnv:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self._db: Database | None = None
        self._ctx: Ctx | None = None

    @property
    def db(self) -> Database:
        if self._db is None:
            self._db = open_database(self.args.db).db
        return self._db

    @property
    def ctx(self) -> Ctx:
        if self._ctx is None:
            self._ctx = Ctx(self.db, users.actor_by_name(self.db, self.args.user))
        return self._ctx

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()
