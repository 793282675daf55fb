"""What a command handler gets: the database (opened on first use) and the acting user, who logs
in like in the app — there is no default user.

The user: `--user NAME`, or the environment variable DESKTOP_CRM_USER. The password: asked for
at the terminal, or taken from DESKTOP_CRM_PASSWORD (for scripts). A wrong password counts towards
the lockout and is in the audit log, as in the app.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from desktop_crm.core.app_setup import open_database
from desktop_crm.core.db import Database
from desktop_crm.core.i18n import _
from desktop_crm.core.services import users
from desktop_crm.core.services.context import Ctx

USER_VAR = "DESKTOP_CRM_USER"
PASSWORD_VAR = "DESKTOP_CRM_PASSWORD"


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
            self._ctx = Ctx(self.db, login(self.db, self.args.user))
        return self._ctx

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()


def login(db: Database, username: str | None):  # noqa: ANN201 - an Actor
    """The acting user, authenticated like in the app."""
    from desktop_crm.cli import CliError

    name = username or os.environ.get(USER_VAR, "")
    if not name:
        if not users.has_users(db):
            raise CliError(_("No administrator yet: run 'desktop-crm init' first."))
        raise CliError(_("Who is acting? Give --user NAME (or set {var}).").format(var=USER_VAR), 2)
    password = os.environ.get(PASSWORD_VAR)
    if password is None:
        if not sys.stdin.isatty():
            raise CliError(_("No password: run the command in a terminal to be asked for it, or set {var}.")
                           .format(var=PASSWORD_VAR), 2)
        password = getpass.getpass(_("Password for {user}: ").format(user=name))
    return users.authenticate(db, name, password, via="command line")
