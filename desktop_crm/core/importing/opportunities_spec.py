"""Importing sales opportunities (销售机会导入): the `opportunities` ImportSpec.

Each row names its customer by `customer_code` (客户编号, a customer you can see). An
opportunity is identified by its customer and its name (机会名称), like contacts:

* create: an existing one is skipped ("already exists"), so importing twice adds nothing;
* update: it must exist; only the columns present and non-empty change; a row that
  changes nothing is skipped as identical;
* upsert: update when it exists, else create.

`stage` (阶段) takes the keys or the Chinese labels (线索 … 赢单 输单); `lost` needs
`lost_reason` (输单原因), as the service requires. A new opportunity enters the stage
history at its stage (default lead); an update that changes the stage is a move, kept in
the history exactly as `opportunities.move` keeps it. `owner` (负责人) is a username of
your team; a new opportunity without one is yours. Cleaning, checks and writing are the
opportunities service's (`clean`, `parse_stage`, `owner_errors`, `*_in_session`), so
every change is audited there. The same customer and name twice in one file is an
error unless the rows are identical (the repeat is then skipped).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from desktop_crm.core.errors import ValidationError
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
from desktop_crm.core.models import Opportunity, User
from desktop_crm.core.services import audit, opportunities

COLUMNS = (
    ImportColumn("customer_code", ("客户编号", "客户代码"), True, N_("Customer code"),
                 N_("Code of a customer you can see (C000001 …)")),
    ImportColumn("name", ("机会名称", "销售机会"), True, N_("Opportunity"),
                 N_("With the customer, identifies the opportunity in update/upsert")),
    ImportColumn("amount", ("预计金额", "金额"), False, N_("Amount"), N_("Exact decimal, e.g. 1234.50")),
    ImportColumn("expected_close", ("预计成交日期", "预计成交"), False, N_("Expected close")),
    ImportColumn("stage", ("阶段",), False, N_("Stage"),
                 N_("lead, contacted, qualified, proposal, negotiation, won or lost (线索, 初步接触, 需求确认, 方案报价, "
                    "谈判, 赢单, 输单); new opportunities: lead")),
    ImportColumn("lost_reason", ("输单原因",), False, N_("Lost reason"), N_("Required when the stage is lost")),
    ImportColumn("owner", ("负责人",), False, N_("Owner"),
                 N_("Username of a user of your team; empty = you (new opportunities)")),
    ImportColumn("notes", ("备注",), False, N_("Notes")),
)


def parse(raw: dict[str, object]) -> tuple[dict[str, object], dict[str, str], dict[str, str]]:
    """The service's cleaning of the non-empty cells (an empty cell never erases a value); the stage checked
    with its reason by `parse_stage`; the code, stage, reason and owner as text."""
    data = {k: v for k, v in raw.items() if k in opportunities.FIELDS and not cell_empty(v)}
    values, errors = opportunities.clean(data)
    extra = {"code": cell_text(raw.get("customer_code")), "stage": "", "reason": cell_text(raw.get("lost_reason")),
             "owner": cell_text(raw.get("owner"))}
    if not extra["code"]:
        errors["customer_code"] = _("is required")
    if not cell_empty(raw.get("stage")):
        try:
            extra["stage"], extra["reason"] = opportunities.parse_stage(raw["stage"], extra["reason"])
        except ValidationError as exc:
            errors.update({"lost_reason" if k == "reason" else k: v for k, v in exc.errors.items()})
    return values, errors, extra


def _owner(rc: RowContext, username: str, errors: dict[str, str]) -> int | None:
    cache = rc.state.setdefault("owners", {})
    if username not in cache:
        cache[username] = rc.session.scalar(select(User.id).where(User.username == username))
    uid = cache[username]
    if uid is None:
        errors["owner"] = _("no user '{name}'").format(name=username)
    else:
        errors.update(opportunities.owner_errors(rc.session, rc.ctx, uid))
    return uid


def _repeat(rc: RowContext, key: tuple, values: dict[str, object], extra: dict[str, str],
            errors: dict[str, str]) -> int | None:
    """The earlier row of the file for this opportunity with the same values (None: first time); else an error."""
    signature = (tuple(sorted((k, str(v)) for k, v in values.items())), tuple(sorted(extra.items())))
    first_row, first_sig = rc.state.setdefault("seen", {}).setdefault(key, (rc.row_no, signature))
    if first_row == rc.row_no:
        return None
    if first_sig != signature:
        errors["name"] = _("appears twice in the file with different values (row {n})").format(n=first_row)
    return first_row


def validate(rc: RowContext, parsed: tuple[dict[str, object], dict[str, str], dict[str, str]]) -> Planned:
    values, errors, extra = dict(parsed[0]), dict(parsed[1]), parsed[2]
    code, name = extra["code"], str(values.get("name") or "")
    cid = None
    if code:
        cid = rc.visible_customer_id(code)
        if cid is None:
            errors["customer_code"] = _("no customer {code} that you can see").format(code=code)
    owner_id = _owner(rc, extra["owner"], errors) if extra["owner"] else None
    earlier = _repeat(rc, (code, name), values, extra, errors) if code and name else None
    if errors:
        raise RowError(errors)
    if earlier is not None:
        return Planned(SKIP, warning=_("same as row {n}: skipped").format(n=earlier))
    found = rc.session.scalars(select(Opportunity).where(Opportunity.customer_id == cid, Opportunity.name == name)
                               .order_by(Opportunity.id).limit(2)).all()
    stage, reason = extra["stage"], extra["reason"]
    if not found:
        if rc.mode == UPDATE:
            raise RowError({"name": _("{code} has no opportunity named {name}").format(code=code, name=name)})
        return Planned(CREATE, values, target={"customer_id": cid, "stage": stage or "lead", "reason": reason,
                                               "owner_id": owner_id if extra["owner"] else rc.ctx.actor.id})
    if len(found) > 1:
        raise RowError({"name": _("{code} has several opportunities named {name}; edit them in the app").format(
            code=code, name=name)})
    o = found[0]
    fields = dict(values)
    if extra["owner"]:
        fields["owner_id"] = owner_id
    if o.stage == "lost" and stage in ("", "lost") and reason:
        fields["lost_reason"] = reason  # a new reason for a lost opportunity; a move to lost carries its own
    changes = audit.diff({f: getattr(o, f) for f in fields}, fields)
    move = stage if stage and stage != o.stage else ""
    if rc.mode == CREATE:
        warning = _("{code} already has an opportunity named {name}; skipped").format(code=code, name=name)
        return Planned(SKIP, warning=warning if changes or move else "")
    if not (changes or move):
        return Planned(SKIP, warning=_("identical: skipped"))
    return Planned(UPDATE, {k: fields[k] for k in changes}, target={"id": o.id, "stage": move, "reason": reason})


def write(rc: RowContext, plan: Planned) -> str:
    s, x = rc.session, plan.target
    now = rc.state.setdefault("now", datetime.now().replace(microsecond=0))
    if plan.action == CREATE:
        opportunities.add_in_session(s, rc.ctx, x["customer_id"], dict(plan.values), stage=x["stage"],
                                     owner_id=x["owner_id"], at=now, reason=x["reason"])
        return CREATED
    o = s.get(Opportunity, x["id"])
    if plan.values:
        opportunities.update_in_session(s, rc.ctx, o, plan.values)
    if x["stage"]:
        opportunities.move_in_session(s, rc.ctx, o, x["stage"], reason=x["reason"], at=now)
    return UPDATED


OPPORTUNITIES = ImportSpec(
    name="opportunities", title=N_("Opportunities"), columns=COLUMNS, validate=validate, write=write,
    match_key="name", update_keys=("customer_code", "name"), parse=parse,
)
