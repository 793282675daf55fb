"""Importing contracts (合同导入): the `contracts` ImportSpec.

Matching is by `number` (合同编号), so importing the same file twice changes nothing:

* create: a row whose contract number exists is skipped ("already exists");
* update: the contract must exist (and belong to a customer you can see); only the
  columns present and non-empty change; a row that changes nothing is skipped as identical;
* upsert: update when the number exists, else create.

A new contract needs `customer_code` (客户编号) of a customer you can see; on an
existing contract the code, when given, must be its customer (a contract does not
move between customers). Cleaning and checks are the contracts service's (`clean`,
`update_errors`); writing goes through `add_for_customer` / `update_in_session`, so
every change is audited there. A number twice in one file is an error unless the rows
are identical (the repeat is then skipped).
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
from desktop_crm.core.models import Contract, Customer
from desktop_crm.core.services import audit, contracts
from desktop_crm.core.services.customer_records import add_for_customer
from desktop_crm.core.services.permissions import customer_scope

COLUMNS = (
    ImportColumn("number", ("合同编号", "合同号"), True, N_("Contract no."),
                 N_("Unique contract number; identifies the contract in update/upsert")),
    ImportColumn("customer_code", ("客户编号", "客户代码"), False, N_("Customer code"),
                 N_("Required for a new contract: the code of a customer you can see")),
    ImportColumn("title", ("合同名称", "标题"), False, N_("Contract title")),
    ImportColumn("signed_on", ("签订日期",), False, N_("Signed")),
    ImportColumn("start_on", ("开始日期",), False, N_("Start")),
    ImportColumn("end_on", ("结束日期", "到期日期"), False, N_("End")),
    ImportColumn("amount", ("合同金额", "金额"), False, N_("Amount"), N_("Exact decimal, e.g. 1234.50")),
    ImportColumn("status", ("状态",), False, N_("Status"),
                 N_("draft, active, ended or terminated (草稿, 生效, 到期, 终止); new contracts: draft")),
    ImportColumn("notes", ("备注",), False, N_("Notes")),
)


def parse(raw: dict[str, object]) -> tuple[dict[str, object], dict[str, str], str]:
    """The service's cleaning of the non-empty cells (an empty cell never erases a value), and the code."""
    data = {k: v for k, v in raw.items() if k in contracts.FIELDS and not cell_empty(v)}
    values, errors = contracts.clean(data)
    return values, errors, cell_text(raw.get("customer_code"))


def _visible(rc: RowContext, customer_id: int) -> bool:
    return rc.ctx.actor.sees_all or rc.session.scalar(
        select(Customer.id).where(Customer.id == customer_id, customer_scope(rc.ctx.actor))) is not None


def _repeat(rc: RowContext, no: str, code: str, values: dict[str, object], errors: dict[str, str]) -> int | None:
    """The earlier row of the file with this number and the same values (None: first time); an error if not the same."""
    signature = (code, tuple(sorted((k, str(v)) for k, v in values.items())))
    first_row, first_sig = rc.state.setdefault("seen", {}).setdefault(no, (rc.row_no, signature))
    if first_row == rc.row_no:
        return None
    if first_sig != signature:
        errors["number"] = _("appears twice in the file with different values (row {n})").format(n=first_row)
    return first_row


def validate(rc: RowContext, parsed: tuple[dict[str, object], dict[str, str], str]) -> Planned:
    values, errors, code = dict(parsed[0]), dict(parsed[1]), parsed[2]
    no = str(values.get("number") or "")
    cid = None
    if code:
        cid = rc.visible_customer_id(code)
        if cid is None:
            errors["customer_code"] = _("no customer {code} that you can see").format(code=code)
    earlier = _repeat(rc, no, code, values, errors) if no else None
    if errors:
        raise RowError(errors)
    if earlier is not None:
        return Planned(SKIP, warning=_("same as row {n}: skipped").format(n=earlier))
    k = rc.session.scalars(select(Contract).where(Contract.number == no)).first()
    if k is None:
        if rc.mode == UPDATE:
            raise RowError({"number": _("no contract {no}").format(no=no)})
        if cid is None:
            raise RowError({"customer_code": _("is required for a new contract")})
        return Planned(CREATE, values, target=cid)
    if not _visible(rc, k.customer_id):
        if rc.mode == CREATE:
            return Planned(SKIP, warning=_("contract {no} already exists: skipped").format(no=no))
        raise RowError({"number": _("contract {no} belongs to a customer you cannot see").format(no=no)})
    changes = audit.diff({f: getattr(k, f) for f in values}, values)
    if rc.mode == CREATE:  # like orders: an identical row is skipped quietly, a different one with a note
        return Planned(SKIP, warning=_("contract {no} already exists: skipped").format(no=no) if changes else "")
    if cid is not None and cid != k.customer_id:
        raise RowError({"customer_code": _("contract {no} belongs to another customer").format(no=no)})
    errors = contracts.update_errors(rc.session, k, values)
    if errors:
        raise RowError(errors)
    if not changes:
        return Planned(SKIP, warning=_("identical: skipped"))
    return Planned(UPDATE, values, target=k.id)


def write(rc: RowContext, plan: Planned) -> str:
    s = rc.session
    if plan.action == CREATE:
        add_for_customer(s, rc.ctx, Contract, plan.target, dict(plan.values), {}, unique="number", entity="contract")
        return CREATED
    contracts.update_in_session(s, rc.ctx, s.get(Contract, plan.target), plan.values, {})
    return UPDATED


CONTRACTS = ImportSpec(
    name="contracts", title=N_("Contracts"), columns=COLUMNS, validate=validate, write=write, match_key="number",
    parse=parse,
)
