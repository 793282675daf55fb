"""Importing leads (线索导入): the `leads` ImportSpec.

A lead is found again by its phone (or, without one, its e-mail) among the leads you may see:

* create: a lead already there is skipped ("already exists"), so importing twice adds nothing;
* update: it must exist; the columns present and non-empty change;
* upsert: update when it exists, else create.

`owner` (负责人) is a username of your team; empty = you; `pool` (公海) leaves it in the lead pool.
Cleaning and writing are the leads service's (`clean`, `add_in_session`), so every change is audited.
"""

from __future__ import annotations

from sqlalchemy import select

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
    cell_empty,
    cell_text,
)
from desktop_crm.core.leads import service as leads
from desktop_crm.core.models import Lead, User
from desktop_crm.core.services import audit

COLUMNS = (
    ImportColumn("name", ("姓名", "联系人", "线索名称"), True, N_("Name")),
    ImportColumn("company", ("公司", "公司名称", "单位"), False, N_("Company")),
    ImportColumn("phone", ("电话", "手机", "联系电话"), False, N_("Phone"),
                 N_("With the e-mail, finds the lead again in update/upsert")),
    ImportColumn("email", ("邮箱", "电子邮件"), False, N_("Email")),
    ImportColumn("source", ("来源", "线索来源"), False, N_("Source")),
    ImportColumn("campaign", ("活动", "市场活动"), False, N_("Campaign")),
    ImportColumn("owner", ("负责人",), False, N_("Owner"),
                 N_("Username of a user of your team; empty = you; pool = the lead pool")),
    ImportColumn("notes", ("备注",), False, N_("Notes")),
)


def parse(raw: dict[str, object]) -> tuple[dict[str, object], dict[str, str], str]:
    data = {k: cell_text(v) if k == "phone" else v for k, v in raw.items() if k in leads.FIELDS and not cell_empty(v)}
    values, errors = leads.clean(data)
    if cell_empty(raw.get("name")):
        errors["name"] = _("is required")
    return values, errors, cell_text(raw.get("owner"))


def _find(rc: RowContext, values: dict[str, object]) -> Lead | None:
    key = ("phone", values["phone"]) if values.get("phone") else ("email", values.get("email"))
    if not key[1]:
        return None
    col = Lead.phone if key[0] == "phone" else Lead.email
    return rc.session.scalars(select(Lead).where(col == key[1], leads.scope(rc.ctx.actor)).order_by(Lead.id)
                              .limit(1)).first()


def validate(rc: RowContext, parsed: tuple[dict[str, object], dict[str, str], str]) -> Planned:
    values, errors, owner = dict(parsed[0]), dict(parsed[1]), parsed[2]
    owner_id: object = "self"
    if owner:
        if owner.lower() in ("pool", "公海"):
            owner_id = None
        else:
            owner_id = rc.session.scalar(select(User.id).where(User.username == owner))
            if owner_id is None:
                errors["owner"] = _("no user '{name}'").format(name=owner)
            else:
                errors.update(leads.owner_errors(rc.session, rc.ctx, owner_id))
    if not values.get("phone") and not values.get("email") and not errors:
        errors["phone"] = _("give a phone number or an e-mail address")
    if errors:
        raise RowError(errors)
    seen = rc.state.setdefault("seen", {})
    key = values.get("phone") or values.get("email")
    if key in seen:
        return Planned(SKIP, warning=_("same as row {n}: skipped").format(n=seen[key]))
    seen[key] = rc.row_no
    found = _find(rc, values)
    if found is None:
        if rc.mode == UPDATE:
            raise RowError({"phone": _("no lead with this phone or e-mail")})
        return Planned(CREATE, values, target={"owner_id": owner_id})
    if rc.mode == CREATE:
        return Planned(SKIP, warning=_("already exists: skipped"))
    changes = audit.diff({k: getattr(found, k) for k in values}, values)
    if owner and owner_id != found.owner_id:
        changes["owner_id"] = (found.owner_id, owner_id)
    if not changes:
        return Planned(SKIP, warning=_("identical: skipped"))
    return Planned(UPDATE, {k: values[k] for k in changes if k in values},
                   target={"id": found.id, "owner_id": owner_id if "owner_id" in changes else "keep"})


def write(rc: RowContext, plan: Planned) -> str:
    s, x = rc.session, plan.target
    if plan.action == CREATE:
        leads.add_in_session(s, rc.ctx, dict(plan.values), owner_id=x["owner_id"])
        return CREATED
    lead = s.get(Lead, x["id"])
    changes = audit.diff({k: getattr(lead, k) for k in plan.values}, plan.values)
    for k, v in plan.values.items():
        setattr(lead, k, v)
    if x["owner_id"] != "keep":
        changes["owner_id"] = (lead.owner_id, x["owner_id"])
        lead.owner_id = x["owner_id"]
    lead.updated_at = leads.now()
    audit.record(s, rc.ctx.actor, "lead", lead.id, "import", changes, label=lead.name)
    return UPDATED


LEADS = ImportSpec(
    name="leads", title=N_("Leads"), columns=COLUMNS, validate=validate, write=write, match_key="phone",
    update_keys=("phone",), parse=parse,
)
