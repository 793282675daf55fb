"""Business settings (database, audited, shared by all desks)."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_crm.core import settings_schema
from desktop_crm.core.errors import ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Sequence, Setting
from desktop_crm.core.services import audit
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.permissions import require_role


def read(session: Session, key: str) -> object:
    row = session.get(Setting, key)
    if row is None:
        return settings_schema.default(key)
    return json.loads(row.value)


def get(ctx: Ctx, key: str) -> object:
    with ctx.db.read() as s:
        return read(s, key)


def get_all(ctx: Ctx) -> dict[str, object]:
    with ctx.db.read() as s:
        stored = {r.key: json.loads(r.value) for r in s.scalars(select(Setting))}
    return {k: stored.get(k, d.default) for k, d in settings_schema.DEFINITIONS.items()}


def _coerce(key: str, value: object) -> object:
    d = settings_schema.DEFINITIONS.get(key)
    if d is None:
        raise ValidationError({key: _("unknown setting")})
    try:
        if d.kind == "int":
            value = int(value)  # type: ignore[arg-type]
            if value < 0:
                raise ValueError
        elif d.kind == "bool":
            value = value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes", "on")
        elif d.kind == "json" and isinstance(value, str):
            value = json.loads(value)
    except (TypeError, ValueError):
        raise ValidationError({key: _("is not a valid value")}) from None
    if d.kind == "json" and isinstance(d.default, dict) and isinstance(value, dict):
        for k, v in value.items():
            if k not in d.default:
                raise ValidationError({key: _("unknown entry '{k}'").format(k=k)})
            if not isinstance(v, (int, float)) or v < 0:
                raise ValidationError({key: _("'{k}' must be a non-negative number").format(k=k)})
        value = {**d.default, **value}
    return value


def write(session: Session, ctx: Ctx, key: str, value: object) -> None:
    value = _coerce(key, value)
    old = read(session, key)
    if old == value:
        return
    row = session.get(Setting, key)
    text = json.dumps(value, ensure_ascii=False)
    if row is None:
        session.add(Setting(key=key, value=text, updated_at=datetime.now(), updated_by_id=ctx.actor.id))
    else:
        row.value, row.updated_at, row.updated_by_id = text, datetime.now(), ctx.actor.id
    audit.record(session, ctx.actor, "setting", None, "update",
                 {key: (json.dumps(old, ensure_ascii=False), text)}, label=key)


def set_many(ctx: Ctx, values: dict[str, object]) -> None:
    """Admins change business settings; all in one transaction."""
    require_role(ctx.actor, "admin", _("Only administrators can change settings."))
    with ctx.db.write() as s:
        for key, value in values.items():
            write(s, ctx, key, value)


def next_number(session: Session, name: str) -> int:
    """The next value of a never-reused counter, inside the caller's write transaction."""
    seq = session.scalars(select(Sequence).where(Sequence.name == name).with_for_update()).first()
    if seq is None:
        seq = Sequence(name=name, next_value=1)
        session.add(seq)
    value = seq.next_value
    seq.next_value = value + 1
    session.flush()
    return value
