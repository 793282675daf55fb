"""Importing customers (客户导入): the `customers` ImportSpec.

Matching is by `code` (客户编号). Decisions (documented for users in the template):

* create: a row whose code exists is skipped ("already exists"); a row without
  a code gets the next code — unless it looks like a customer already in the
  archive or earlier in the file (same mobile, email, credit code or normalised
  name, DOMAIN §2), then it is skipped as a duplicate with a warning. So
  importing the same file twice creates nothing new.
* update: every row needs the code of a customer you can see; only the columns
  present and non-empty are changed (an empty cell never erases a value);
  a row that changes nothing is skipped as identical.
* upsert: update when the code exists, else create as above.
* status (状态) goes through the status history: at `status_since` (状态日期),
  else `created_at` (创建时间), else now. owner (负责人) is a username (or a
  display name that is unique); changing an existing customer's owner is a
  transfer and needs a supervisor or manager.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from desktop_crm.core import search
from desktop_crm.core.enums import CUSTOMER_STATUS
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
from desktop_crm.core.models import Customer, User
from desktop_crm.core.rules.validation import normalize_name, parse_datetime
from desktop_crm.core.services import customers as svc
from desktop_crm.core.services.customer_fields import CUSTOMER_FIELD, EDITABLE, clean
from desktop_crm.core.services.permissions import customer_scope, user_in_scope

# Extra Chinese (and English) spellings seen in real files, besides FieldDef.zh.
_ALIASES = {
    "code": ("客户代码", "客户号", "编号"),
    "name": ("客户名", "名称", "公司名称", "单位名称", "客户"),
    "kind": ("客户类型",),
    "status": ("客户状态",),
    "owner": ("客户经理", "业务员", "所属人", "owner_username", "username"),
    "source": ("客户来源",),
    "industry": ("业种", "行业类别"),
    "mobile": ("手机号", "手机号码", "移动电话"),
    "phone": ("固定电话", "座机", "联系电话"),
    "email": ("电子邮件", "电子邮箱", "e-mail"),
    "credit_code": ("信用代码", "社会信用代码"),
    "created_at": ("创建日期", "建档时间", "建档日期"),
    "status_since": ("状态时间", "状态变更日期"),
    "province": ("省",),
    "city": ("市",),
}
_HELP = {
    "code": N_("Customer code; empty = assigned automatically (C000001 …). Used to match rows in update/upsert."),
    "name": N_("Required for new customers."),
    "kind": N_("individual 个人 or enterprise 企业 (default enterprise)."),
    "status": N_("potential 潜在客户, target 目标客户, active 现实客户, lost 流失客户, invalid 非客户."),
    "owner": N_("The owner's username; empty = yourself (administrators: the customer pool)."),
    "created_at": N_("Date the customer was created, e.g. 2024-03-05 or 2024年3月5日."),
    "status_since": N_("Date of the status; it enters the status history at this date (else created_at, else now)."),
}


_ORDER = ["code", "name", "kind", "status", "industry", "source", "owner", "credit_rating", "province", "city",
          "address", "phone", "mobile", "email", "credit_code", "birthday", "needs", "notes", "created_at",
          "status_since"]


def _column(key: str) -> ImportColumn:
    help_text = _HELP.get(key, "")
    if key == "status_since":
        return ImportColumn(key, ("状态日期", *_ALIASES[key]), label=N_("Status since"), help=help_text)
    f = CUSTOMER_FIELD[key]
    return ImportColumn(key, (f.zh, *_ALIASES.get(key, ())), required=key == "name", label=f.label, help=help_text)


def _columns() -> tuple[ImportColumn, ...]:
    keys = _ORDER + [k for k in EDITABLE if k not in _ORDER]
    return tuple(_column(k) for k in keys)


def _when(value: object, field: str, errors: dict[str, str]) -> datetime | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        at = parse_datetime(value)
    except ValueError as exc:
        errors[field] = str(exc)
        return None
    if at > datetime.now():
        errors[field] = _("cannot be in the future")
        return None
    return at.replace(microsecond=0)


def _owner_id(rc: RowContext, name: str, errors: dict[str, str]) -> int | None:
    cache = rc.state.setdefault("owners", {})
    if name not in cache:
        s = rc.session
        uid = s.scalar(select(User.id).where(User.username == name))
        if uid is None:
            found = s.scalars(select(User.id).where(User.display_name == name).limit(2)).all()
            uid = found[0] if len(found) == 1 else None
        cache[name] = uid
    uid = cache[name]
    if uid is None:
        errors["owner"] = _("no user '{name}'").format(name=name)
    elif not user_in_scope(rc.session, rc.ctx.actor, uid):
        errors["owner"] = _("is outside your team")
    return uid


def _visible(rc: RowContext, customer_id: int) -> bool:
    if rc.ctx.actor.sees_all:
        return True
    return rc.session.scalar(select(Customer.id).where(Customer.id == customer_id,
                                                       customer_scope(rc.ctx.actor))) is not None


def _dup_keys(values: dict[str, object]) -> list[tuple[str, object]]:
    keys = [(k, values[k]) for k in ("mobile", "email", "credit_code") if values.get(k)]
    norm = normalize_name(str(values.get("name") or ""))
    if norm:
        keys.append(("name", norm))
    return keys


def validate(rc: RowContext, raw: dict[str, object]) -> Planned:
    s, state, errors = rc.session, rc.state, {}
    code = cell_text(raw.get("code"))
    data = {k: v for k, v in raw.items() if k in EDITABLE and v is not None and cell_text(v) != ""}
    values, field_errors, _warnings = clean(CUSTOMER_FIELD, data)
    errors.update(field_errors)
    status = None
    if cell_text(raw.get("status")):
        try:
            status = CUSTOMER_STATUS.parse(cell_text(raw["status"]))
        except ValueError:
            errors["status"] = _("'{value}' is not one of: {keys}").format(
                value=cell_text(raw["status"]), keys=", ".join(CUSTOMER_STATUS.keys))
    owner_name = cell_text(raw.get("owner"))
    owner_id = _owner_id(rc, owner_name, errors) if owner_name else None
    created_at = _when(raw.get("created_at"), "created_at", errors)
    since = _when(raw.get("status_since"), "status_since", errors)
    if len(code) > 32:
        errors["code"] = _("is longer than {n} characters").format(n=32)
    seen = state.setdefault("codes", {})
    if code and code in seen:
        errors["code"] = _("{code} appears twice in the file (row {n})").format(code=code, n=seen[code])
    elif code:
        seen[code] = rc.row_no
    existing = s.execute(select(Customer).where(Customer.code == code)).scalars().first() if code else None
    if existing is not None and not _visible(rc, existing.id):
        existing = None
        if rc.mode == CREATE and not errors:
            return Planned(SKIP, warning=_("{code} already exists; skipped").format(code=code))
        errors.setdefault("code", _("no customer {code} that you can see").format(code=code))
    if existing is None and rc.mode == UPDATE:
        errors.setdefault("code", _("is required in update mode") if not code
                          else _("no customer {code} that you can see").format(code=code))
    if existing is None and not values.get("name"):
        errors.setdefault("name", _("is required"))
    if errors:
        raise RowError(errors)
    extras = {"data": data, "code": code or None, "status": status, "owner_id": owner_id,
              "owner_given": bool(owner_name), "created_at": created_at, "status_since": since}
    if existing is not None:
        if rc.mode == CREATE:
            return Planned(SKIP, warning=_("{code} already exists; skipped (use update or upsert to change it)").format(
                code=code))
        return _plan_update(rc, existing, values, extras)
    dup_index = state.setdefault("dups", {})
    keys = _dup_keys(values)
    earlier = next((dup_index[k] for k in keys if k in dup_index), None)
    for k in keys:
        dup_index.setdefault(k, rc.row_no)
    if not code:
        if earlier is not None:
            return Planned(SKIP, warning=_("same customer as row {n}; skipped as a duplicate").format(n=earlier))
        dups = svc.find_duplicates(s, values)
        if dups:
            names = ", ".join(f"{d['code']} {d['name']}" for d in dups[:3])
            return Planned(SKIP, warning=_("possible duplicate of {names}; skipped").format(names=names))
        return Planned(CREATE, values, extras)
    dups = svc.find_duplicates(s, values)
    warning = _("possible duplicate of {names}; created anyway (it has its own code)").format(
        names=", ".join(f"{d['code']} {d['name']}" for d in dups[:3])) if dups else ""
    return Planned(CREATE, values, extras, warning=warning)


def _plan_update(rc: RowContext, c: Customer, values: dict[str, object], extras: dict) -> Planned:
    changes = {k: v for k, v in values.items() if v is not None and getattr(c, k) != v}
    owner_change = extras["owner_given"] and extras["owner_id"] != c.owner_id
    status_change = extras["status"] is not None and extras["status"] != c.status
    if owner_change and not rc.ctx.actor.at_least("supervisor"):
        raise RowError({"owner": _("only supervisors and managers can change an owner (transfer)")})
    if not (changes or owner_change or status_change):
        return Planned(SKIP, target=c.id)
    extras = {**extras, "changes": {k: extras["data"][k] for k in changes}, "owner_change": owner_change,
              "status_change": status_change}
    return Planned(UPDATE, values, {"id": c.id, **extras})


def write(rc: RowContext, plan: Planned) -> str:
    x = plan.target
    s, ctx = rc.session, rc.ctx
    reason = _("Imported from {file}").format(file=rc.source)
    if plan.action == CREATE:
        c, _w = svc.create_in_session(
            s, ctx, x["data"], owner=x["owner_id"] if x["owner_given"] else "self",
            status=x["status"] or "potential", code=x["code"], allow_duplicates=True,
            created_at=x["created_at"], status_since=x["status_since"], reindex=False)
        plan.touched.append(c.id)
        return CREATED
    c = s.get(Customer, x["id"])
    if x["changes"]:
        svc.update_in_session(s, ctx, c, x["changes"])
    if x["owner_change"]:
        from desktop_crm.core.services.transfers import move_customers

        move_customers(s, ctx, [c.id], x["owner_id"], reason)
    if x["status_change"]:
        svc.set_status_in_session(s, ctx, c, x["status"], at=x["status_since"], reason=reason)
    plan.touched.append(c.id)
    return UPDATED


def after_batch(rc: RowContext, ids: list[int]) -> None:
    search.reindex(rc.session, ids)


CUSTOMERS = ImportSpec(
    name="customers", title=N_("Customers"), columns=_columns(), validate=validate, write=write,
    match_key="code", after_batch=after_batch,
)
