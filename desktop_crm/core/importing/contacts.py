"""Importing contacts (联系人导入): the `contacts` ImportSpec.

Each row names its customer by `customer_code` (客户编号, a customer you can
see). A contact is identified by its customer and its name (姓名): in create
mode an existing one is skipped (so importing twice adds nothing); update and
upsert change the non-empty columns given; a row that changes nothing is
skipped as identical. The same customer and name twice in one file is an error.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from desktop_crm.core import search
from desktop_crm.core.i18n import N_, _
from desktop_crm.core.importing.headers import ImportColumn
from desktop_crm.core.importing.spec import (
    CREATE,
    CREATED,
    SKIP,
    UPDATE,
    UPDATED,
    ImportSpec,
    Planned,
    RowContext,
    RowError,
    cell_text,
)
from desktop_crm.core.models import Contact
from desktop_crm.core.services import audit, contacts
from desktop_crm.core.services.customer_fields import CONTACT_FIELD, CONTACT_FIELDS, clean

_ALIASES = {
    "name": ("联系人", "联系人姓名"),
    "title": ("职位",),
    "mobile": ("手机号", "手机号码"),
    "phone": ("固定电话", "座机"),
    "email": ("电子邮件", "电子邮箱"),
    "wechat": ("微信号",),
    "is_primary": ("主要联系人", "首要联系人"),
}


def _columns() -> tuple[ImportColumn, ...]:
    cols = [ImportColumn("customer_code", ("客户编号", "客户代码", "code"), required=True, label=N_("Customer code"),
                         help=N_("Code of the customer the contact belongs to (C000001 …)."))]
    for f in CONTACT_FIELDS:
        help_text = N_("yes/no, 是/否, 1/0") if f.kind == "bool" else ""
        cols.append(ImportColumn(f.key, (f.zh, *_ALIASES.get(f.key, ())), required=f.key == "name", label=f.label,
                                 help=help_text))
    return tuple(cols)


def validate(rc: RowContext, raw: dict[str, object]) -> Planned:
    code = cell_text(raw.get("customer_code"))
    data = {k: v for k, v in raw.items() if k in CONTACT_FIELD and v is not None and cell_text(v) != ""}
    values, errors, _w = clean(CONTACT_FIELD, data)
    if not values.get("name"):
        errors.setdefault("name", _("is required"))
    cid = None
    if not code:
        errors["customer_code"] = _("is required")
    else:
        cid = rc.visible_customer_id(code)
        if cid is None:
            errors["customer_code"] = _("no customer {code} that you can see").format(code=code)
    name = str(values.get("name") or "")
    seen = rc.state.setdefault("seen", {})
    if cid is not None and name:
        if (cid, name) in seen:
            errors["name"] = _("{name} of {code} appears twice in the file (row {n})").format(
                name=name, code=code, n=seen[(cid, name)])
        else:
            seen[(cid, name)] = rc.row_no
    if errors:
        raise RowError(errors)
    found = rc.session.scalars(select(Contact).where(Contact.customer_id == cid, Contact.name == name)
                               .order_by(Contact.id).limit(2)).all()
    target = {"customer_id": cid, "code": code, "data": data}
    if not found:
        if rc.mode == UPDATE:
            raise RowError({"name": _("{code} has no contact named {name}").format(code=code, name=name)})
        return Planned(CREATE, values, target)
    if rc.mode == CREATE:
        return Planned(SKIP, warning=_("{code} already has a contact named {name}; skipped").format(code=code, name=name))
    if len(found) > 1:
        raise RowError({"name": _("{code} has several contacts named {name}; edit them in the app").format(
            code=code, name=name)})
    c = found[0]
    changes = {k: v for k, v in values.items() if v is not None and getattr(c, k) != v}
    if not changes:
        return Planned(SKIP)
    return Planned(UPDATE, changes, {**target, "id": c.id})


def write(rc: RowContext, plan: Planned) -> str:
    x, s = plan.target, rc.session
    plan.touched.append(x["customer_id"])
    if plan.action == CREATE:
        contacts.add_in_session(s, rc.ctx, x["customer_id"], x["data"], label=x["code"], reindex=False)
        return CREATED
    c = s.get(Contact, x["id"])
    values = plan.values
    if values.get("is_primary"):
        s.execute(update(Contact).where(Contact.customer_id == c.customer_id, Contact.id != c.id)
                  .values(is_primary=False))
    before = {k: getattr(c, k) for k in values}
    for k, v in values.items():
        setattr(c, k, v)
    c.updated_at = datetime.now().replace(microsecond=0)
    audit.record(s, rc.ctx.actor, "contact", c.id, "update", audit.diff(before, values), label=f"{x['code']} / {c.name}")
    s.flush()
    return UPDATED


def after_batch(rc: RowContext, ids: list[int]) -> None:
    search.reindex(rc.session, ids)


CONTACTS = ImportSpec(
    name="contacts", title=N_("Contacts"), columns=_columns(), validate=validate, write=write,
    match_key="customer_code", update_keys=("customer_code", "name"), after_batch=after_batch,
)
