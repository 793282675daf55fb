"""Reading the audit log (managers, administrators, auditors): filter, page, export.

The log is append-only through the app: there is no call here (or anywhere) that
changes or deletes an entry, and nothing deletes entries automatically.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Select, func, or_, select

from desktop_crm.core.db import like_pattern
from desktop_crm.core.i18n import _
from desktop_crm.core.models import AuditEntry, Department, User
from desktop_crm.core.services import audit_labels
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.permissions import require_export
from desktop_crm.core.services.safety import require_auditor


@dataclass(frozen=True)
class AuditFilter:
    user: str = ""  # username, exact
    entity: str = ""  # customer, contact, user, setting, complaint, order, database …
    date_from: date | None = None
    date_to: date | None = None  # inclusive
    text: str = ""  # in record, field, old or new value


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    user: str
    entity: str
    entity_id: int | None
    record: str
    action: str
    field: str
    old: str
    new: str


COLUMNS = ["id", "at", "user", "entity", "record", "action", "field", "old", "new"]


def _conditions(flt: AuditFilter) -> list[ColumnElement[bool]]:
    cond: list[ColumnElement[bool]] = []
    if flt.user:
        cond.append(AuditEntry.username == flt.user)
    if flt.entity:
        cond.append(AuditEntry.entity == flt.entity)
    if flt.date_from:
        cond.append(AuditEntry.at >= datetime.combine(flt.date_from, time()))
    if flt.date_to:
        cond.append(AuditEntry.at < datetime.combine(flt.date_to + timedelta(days=1), time()))
    if flt.text.strip():
        pattern = like_pattern(flt.text.strip())
        cond.append(or_(*(c.like(pattern, escape="\\") for c in
                          (AuditEntry.record, AuditEntry.field, AuditEntry.old, AuditEntry.new))))
    return cond


def _query(flt: AuditFilter) -> Select:
    return select(AuditEntry).where(*_conditions(flt)).order_by(AuditEntry.id.desc())


def raw(e: AuditEntry) -> AuditRow:
    return AuditRow(e.id, e.at, e.username, e.entity, e.entity_id, e.record or "", e.action, e.field or "",
                    e.old or "", e.new or "")


def labelled(s, entries: list[AuditEntry]) -> list[AuditRow]:  # noqa: ANN001
    """Rows as the reader says them (the stored keys stay language-free; see audit_labels)."""
    users = {i: dn or un for i, dn, un in s.execute(select(User.id, User.display_name, User.username))}
    departments = {i: n for i, n in s.execute(select(Department.id, Department.name))}
    out = []
    for e in entries:
        r = raw(e)
        out.append(replace(
            r, entity=audit_labels.entity(r.entity), record=audit_labels.record(r.entity, r.record),
            action=audit_labels.action(r.action, r.entity), field=audit_labels.field(r.entity, r.field),
            old=audit_labels.value(r.entity, r.field, r.old, users, departments),
            new=audit_labels.value(r.entity, r.field, r.new, users, departments)))
    return out


def count(ctx: Ctx, flt: AuditFilter) -> int:
    require_auditor(ctx)
    with ctx.db.read() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry).where(*_conditions(flt))) or 0


def page(ctx: Ctx, flt: AuditFilter, offset: int = 0, limit: int = 200, *, labels: bool = True) -> list[AuditRow]:
    """Entries matching the filter, newest first; `labels`: in the reader's language, else the stored keys."""
    require_auditor(ctx)
    with ctx.db.read() as s:
        entries = list(s.scalars(_query(flt).offset(offset).limit(limit)))
        return labelled(s, entries) if labels else [raw(e) for e in entries]


def choices(ctx: Ctx) -> tuple[list[str], list[str]]:
    """The user names and entity kinds (keys; audit_labels.entity names them) present in the log."""
    require_auditor(ctx)
    with ctx.db.read() as s:
        names = list(s.scalars(select(AuditEntry.username).distinct().order_by(AuditEntry.username)))
        kinds = list(s.scalars(select(AuditEntry.entity).distinct().order_by(AuditEntry.entity)))
    return names, kinds


def export_xlsx(ctx: Ctx, flt: AuditFilter, path: str | os.PathLike, progress=None) -> int:  # noqa: ANN001
    """The filtered log as an Excel sheet (cells never become formulas); returns the row count."""
    require_auditor(ctx)
    require_export(ctx.actor)
    from desktop_crm.core.exporting.excel import write_table_xlsx
    from desktop_crm.core.reporting.model import Column

    titles = {"id": _("No."), "at": _("Time"), "user": _("User"), "entity": _("Record type"),
              "record": _("Record"), "action": _("Action"), "field": _("Field"), "old": _("Old value"),
              "new": _("New value")}
    kinds = {"id": "int", "at": "datetime"}
    cols = [Column(k, titles[k], kinds.get(k, "text")) for k in COLUMNS]
    with ctx.db.read() as s:
        rows = [{k: getattr(r, k) for k in COLUMNS} for r in labelled(s, list(s.scalars(_query(flt))))]
    write_table_xlsx(cols, rows, path, sheet_title=_("Audit log"), progress=progress)
    return len(rows)
