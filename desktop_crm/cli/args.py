"""Reading the command line's values: dates, times, list words and usernames, each refused with a
usage error (exit status 2) that names the option."""

from __future__ import annotations

from datetime import date, datetime

from desktop_crm.cli import CliError
from desktop_crm.core.enums import Enum
from desktop_crm.core.i18n import _
from desktop_crm.core.rules.validation import parse_date


def date_arg(text: str | None, option: str) -> date:
    try:
        return parse_date(text)
    except ValueError as exc:
        raise CliError(f"{option}: {exc}", 2) from None


def datetime_arg(text: str, option: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip().replace(" ", "T"))
    except ValueError:
        raise CliError(_("{option}: '{value}' is not a date and time like 2027-03-05T15:00").format(
            option=option, value=text), 2) from None


def enum_arg(enum: Enum, text: str, option: str) -> str:
    try:
        return enum.parse(text)
    except ValueError as exc:
        raise CliError(f"{option}: {exc}", 2) from None


def user_id(env, username: str) -> int:  # noqa: ANN001
    from desktop_crm.core.services import users

    with env.db.read() as s:
        try:
            return users.find_user_id(s, username)
        except Exception:  # noqa: BLE001 - NotFound → usage error
            raise CliError(_("No user '{name}'.").format(name=username), 2) from None
