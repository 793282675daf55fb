"""Every role × every read path sees exactly its scope (DOMAIN §1); every write outside scope is refused.

World: five customers — owned by rep1, rep2 (市场销售部), rep3 (客户服务部), sup_sales, and one in the
pool — each with a contact, an order (distinct amounts), a contract, an opportunity, an interaction,
a planned visit and a complaint. Expected scopes are written out by hand from DOMAIN §1, not derived
from the code under test.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest

from desktop_crm.core.errors import CrmError, NotFound, PermissionDenied
from desktop_crm.core.services import (
    audit_query,
    complaints,
    complaints_query,
    contacts,
    contracts,
    customer_history,
    customer_query,
    customers,
    dashboard,
    interactions,
    metrics,
    opportunities,
    orders,
    pool,
    safety,
    transfers,
    visits,
)
from desktop_crm.core.services.customer_query import CustomerFilter

OWNERS = ["rep1", "rep2", "rep3", "sup_sales", None]
ALL = {"rep1", "rep2", "rep3", "sup_sales", "pool"}
# DOMAIN §1: staff own + pool; supervisor department + pool; manager/admin/viewer all.
SCOPE = {
    "admin": ALL, "manager": ALL, "viewer": ALL,
    "sup_sales": {"rep1", "rep2", "sup_sales", "pool"},
    "sup_service": {"rep3", "pool"},
    "rep1": {"rep1", "pool"}, "rep2": {"rep2", "pool"}, "rep3": {"rep3", "pool"},
}
ROLES = list(SCOPE)
NOT_VISIBLE = (NotFound, PermissionDenied)


@pytest.fixture
def world(team):  # noqa: ANN001, ANN201
    admin, manager = team["admin"], team["manager"]
    ids: dict[str, int] = {}
    amounts: dict[str, Decimal] = {}
    for n, owner in enumerate(OWNERS, start=1):
        key = owner or "pool"
        c = (customers.create_customer(team[owner], {"name": f"矩阵客户{key}"}) if owner
             else customers.create_customer(admin, {"name": "矩阵客户pool"}, owner=None))
        ids[key] = c.id
        contacts.save_contact(admin, c.id, {"name": f"联系人{key}", "mobile": f"1380000000{n}"})
        amounts[key] = Decimal(100 * n)
        orders.create_order(admin, c.id, {"order_no": f"SO-{n}", "date": date.today(), "amount": amounts[key]})
        contracts.create_contract(admin, c.id, {"number": f"HT-{n}"})
        opportunities.create_opportunity(admin, c.id, {"name": f"商机{key}"})
        interactions.log_interaction(admin, c.id, channel="phone", summary=f"电话{key}")
        assignee = ctx_id(team, owner) if owner else ctx_id(team, "rep3")
        visits.plan_visits(admin, [c.id], date.today() + timedelta(days=3), assignee_id=assignee)
    # complaints: on every customer, received by the manager, no handler — except the pool
    # customer's, handled by rep3 (visible to rep3 through the handler, not the owner)
    complaint_of: dict[str, int] = {}
    for key, cid in ids.items():
        handler = ctx_id(team, "rep3") if key == "pool" else None
        d = complaints.register(manager, customer_id=cid, channel="phone", category="quality", severity="normal",
                                description=f"投诉{key}", handler_id=handler)
        complaint_of[key] = d.id
    return {"ids": ids, "amounts": amounts, "complaints": complaint_of}


def ctx_id(team, name):  # noqa: ANN001, ANN201
    return team[name].actor.id


def _keys(world, customer_ids) -> set[str]:  # noqa: ANN001
    back = {v: k for k, v in world["ids"].items()}
    return {back[i] for i in customer_ids if i in back}


def _complaint_scope(role: str) -> set[str]:
    """Complaints: received by / handled by / on customers owned by the user (team for supervisors)."""
    if role in ("admin", "manager", "viewer"):
        return set(ALL)
    owned = SCOPE[role] - {"pool"}
    if role in ("rep3", "sup_service"):
        owned |= {"pool"}  # rep3 handles the pool customer's complaint
    return owned


@pytest.mark.parametrize("role", ROLES)
def test_every_read_path_shows_exactly_the_scope(team, world, role, tmp_path, capsys, db_url):
    ctx = team[role]
    want = SCOPE[role]
    ids = world["ids"]
    # customer list, count and search
    assert _keys(world, customer_query.ids(ctx, CustomerFilter())) == want
    assert customer_query.count(ctx, CustomerFilter()) == len(want)
    assert _keys(world, customer_query.ids(ctx, CustomerFilter(search="矩阵客户"))) == want
    assert _keys(world, customer_query.ids(ctx, CustomerFilter(search="联系人"))) == want  # contact names
    rows = customer_query.page(ctx, CustomerFilter(), columns=["code", "name"])
    assert _keys(world, [r[0] for r in rows]) == want
    # detail, history, audit trail, contacts, interactions — visible or not found
    for key, cid in ids.items():
        for read in (customers.get_customer, customer_history.status_history, customer_history.audit_trail,
                     contacts.list_contacts, interactions.list_for_customer):
            if key in want:
                read(ctx, cid)
            else:
                with pytest.raises(NOT_VISIBLE):
                    read(ctx, cid)
    # export (viewer: no export unless granted)
    out = tmp_path / "x.csv"
    if role == "viewer":
        with pytest.raises(PermissionDenied):
            from desktop_crm.core.exporting.lists import export_customers

            export_customers(ctx, CustomerFilter(), ["code", "name"], out)
    else:
        from desktop_crm.core.exporting.lists import export_customers

        export_customers(ctx, CustomerFilter(), ["code", "name"], out)
        names = {r[1] for r in csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")))} - {"Name", "客户名称"}
        assert {n.removeprefix("矩阵客户") for n in names} == want
    # orders, contracts, opportunities, visits, complaints
    order_rows = orders.page(ctx, orders.OrderFilter(), columns=["customer_id"] if False else None)
    assert orders.count(ctx, orders.OrderFilter()) == len(want)
    assert len(order_rows) == len(want)
    assert _keys(world, [c.customer_id for c in contracts.list_contracts(ctx)]) == want
    assert _keys(world, [o.customer_id for o in opportunities.list_opportunities(ctx)]) == want
    visible_visits = _keys(world, [v.customer_id for v in visits.list_visits(ctx, status=None)])
    assert visible_visits <= want
    assert complaints_query.count(ctx, complaints_query.ComplaintFilter()) == len(_complaint_scope(role))
    for key, comp_id in world["complaints"].items():
        if key in _complaint_scope(role):
            complaints.get(ctx, comp_id)
        else:
            with pytest.raises(NOT_VISIBLE):
                complaints.get(ctx, comp_id)
    # reports: sales of the visible customers only
    m = metrics.period_metrics(ctx, date.today() - timedelta(days=1), date.today())
    assert m.orders == len(want)
    assert m.sales == sum(world["amounts"][k] for k in want)
    # dashboard and pool never fail and never show more
    dashboard.load(ctx)
    assert _keys(world, [r[0] for r in pool.page(ctx)]) == {"pool"}
    # audit log: managers, administrators and auditors (viewers) only
    if role in ("admin", "manager", "viewer"):
        assert audit_query.count(ctx, audit_query.AuditFilter()) > 0
        safety.check(ctx)
    else:
        with pytest.raises(PermissionDenied):
            audit_query.page(ctx, audit_query.AuditFilter())
        with pytest.raises(PermissionDenied):
            safety.check(ctx)
    # the command line shows the same scope (a table: viewing; json/csv are exports, see below)
    from desktop_crm.cli import main

    capsys.readouterr()
    assert main(["--db", db_url, "--lang", "en", "--user", ctx.actor.username, "customer", "list"]) == 0
    listed = {word.removeprefix("矩阵客户") for word in capsys.readouterr().out.split() if word.startswith("矩阵客户")}
    assert listed == want


# every list and output of the command line: what each role gets
CLI_LISTS = [["customer", "list"], ["order", "list"], ["contract", "list"], ["opportunity", "list"],
             ["complaint", "list"], ["reminders"], ["user", "list"], ["task", "list"], ["lead", "list"],
             ["inbox", "list"], ["pool", "rule", "list"]]


@pytest.mark.parametrize("role", ROLES)
def test_every_command_line_path_applies_the_role(team, world, role, tmp_path, capsys, db_url):
    from desktop_crm.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        try:
            code = main(["--db", db_url, "--lang", "en", "--user", team[role].actor.username, *args])
        except SystemExit as exit_:  # bad usage: argparse's one line and status 2
            code = exit_.code
        out = capsys.readouterr()
        return code, out.out, out.err

    exports = role != "viewer"  # the team's viewer has no export right
    for command in CLI_LISTS:
        code, out, err = run(*command)
        assert code == 0, (role, command, err)
        for fmt in ("csv", "json"):
            code, out, err = run(*command, "--format", fmt)
            assert (code == 0) == exports, (role, command, fmt, err)
            if not exports:
                assert out == "" and "export" in err
    code, out, _err = run("customer", "list", "--format", "json") if exports else (0, "[]", "")
    if exports:
        assert {r["name"].removeprefix("矩阵客户") for r in json.loads(out)} == SCOPE[role]
    for bad in ("0", "-3"):
        code, _out, err = run("customer", "list", "--limit", bad)
        assert code == 2 and "--limit" in err
    # metrics as JSON and any --out file are exports too
    today = date.today().isoformat()
    assert (run("metrics", "--from", today, "--to", today, "--format", "json")[0] == 0) == exports
    assert (run("report", "abc", "--period", "this_month", "--out", str(tmp_path / "r.xlsx"))[0] == 0) == exports
    assert (run("export", "customers", str(tmp_path / "c.xlsx"))[0] == 0) == exports
    # users: roles, departments and counts for administrators and managers only
    code, out, _err = run("user", "list", "--format", "json") if exports else run("user", "list")
    if exports:
        listed = {u["username"]: u for u in json.loads(out)}
        others = {name: u for name, u in listed.items() if name not in (team[role].actor.username, "sup_service",
                                                                           "rep3")}
        shown = any(u["role"] for u in others.values())
        assert shown == (role in ("admin", "manager") or role == "sup_sales"), role
        assert (listed["rep3"]["role"] == "staff") == (role in ("admin", "manager", "sup_service", "rep3"))
    # the work plan: a task shows with its customer's scope (the world's return visits have tasks)
    if exports:
        code, out, _err = run("task", "list", "--format", "json")
        assert {r["customer"].removeprefix("矩阵客户") for r in json.loads(out)} == SCOPE[role], role
    week = (date.today() + timedelta(days=7)).isoformat()
    assert (run("calendar", "export", "--from", today, "--to", week, "--out", str(tmp_path / "w.ics"))[0] == 0) \
        == exports
    assert (run("jobs", "list")[0] == 0) == (role == "admin")
    assert (run("jobs", "run", "--only", "reminders")[0] == 0) == (role != "viewer")
    assert (run("pool", "limit", "list")[0] == 0) == (role not in ("viewer", "rep1", "rep2", "rep3"))
    assert (run("pool", "rule", "add", f"规则{role}", "--condition", "no_order", "--days", "30")[0] == 0) \
        == (role == "admin")
    # backup and restore: administrators; the check: administrators, managers and auditors
    assert (run("backup", "--out", str(tmp_path / "b.sqlite3"))[0] == 0) == (role == "admin")
    assert (run("backups")[0] == 0) == (role == "admin")
    assert (run("check")[0] == 0) == (role in ("admin", "manager", "viewer"))


WRITES = {
    "update": lambda ctx, cid: customers.update_customer(ctx, cid, {"notes": "x"},
                                                         expected_version=_version(cid)),
    "status": lambda ctx, cid: customers.set_status(ctx, cid, "target"),
    "contact": lambda ctx, cid: contacts.save_contact(ctx, cid, {"name": "新联系人"}),
    "interaction": lambda ctx, cid: interactions.log_interaction(ctx, cid, channel="phone", summary="x"),
    "order": lambda ctx, cid: orders.create_order(ctx, cid, {"order_no": "X-1", "date": date.today(),
                                                             "amount": Decimal(1)}),
    "contract": lambda ctx, cid: contracts.create_contract(ctx, cid, {"number": "HT-X"}),
    "opportunity": lambda ctx, cid: opportunities.create_opportunity(ctx, cid, {"name": "x"}),
    "transfer": lambda ctx, cid: transfers.transfer(ctx, [cid], None, "x"),
}
_VERSIONS: dict[int, int] = {}


def _version(cid: int) -> int:
    return _VERSIONS[cid]


@pytest.mark.parametrize("role", ROLES)
def test_every_write_outside_scope_is_refused(team, world, role):
    ctx = team[role]
    admin = team["admin"]
    for key, cid in world["ids"].items():
        _VERSIONS[cid] = customers.get_customer(admin, cid).version
        refused = role == "viewer" or key not in SCOPE[role]
        if not refused:
            continue
        before = customers.get_customer(admin, cid)
        for name, write in WRITES.items():
            try:
                write(ctx, cid)
            except CrmError as exc:
                assert isinstance(exc, (NotFound, PermissionDenied)) or "scope" in str(exc) \
                    or "permission" in str(exc).lower(), (role, key, name, exc)
            else:
                pytest.fail(f"{role} wrote '{name}' on {key}'s customer")
        after = customers.get_customer(admin, cid)
        assert after.version == before.version and after.values == before.values, (role, key)
        # Complaint intake is the one deliberate exception (permissions.intake_customer_scope): a service
        # rep registers a call from any customer; the complaint is then theirs (received by them), while
        # the customer's archive stays out of their scope. Viewers may not register at all.
        if role == "viewer":
            with pytest.raises(PermissionDenied):
                complaints.register(ctx, customer_id=cid, channel="phone", category="quality", severity="normal",
                                    description="x")
        else:
            d = complaints.register(ctx, customer_id=cid, channel="phone", category="quality", severity="normal",
                                    description="来电")
            complaints.get(ctx, d.id)
            with pytest.raises(NOT_VISIBLE):
                customers.get_customer(ctx, cid)


def _csv(path, header: list[str], *rows: list[object]):  # noqa: ANN001, ANN202
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


@pytest.mark.parametrize("role", ROLES)
def test_every_import_kind_keeps_to_the_scope(team, world, role, tmp_path):
    """An import changes only what the same user could change record by record."""
    from desktop_crm.core.importing.engine import run_import

    ctx, admin = team[role], team["admin"]
    codes = {key: customers.get_customer(admin, cid).code for key, cid in world["ids"].items()}
    mine = sorted(SCOPE[role] - {"pool"}) or ["pool"]
    for key in world["ids"]:
        outside = key not in SCOPE[role]
        n = OWNERS.index(None if key == "pool" else key) + 1
        files = {
            # change someone's order, and move it to a customer of one's own
            ("orders", "update"): _csv(tmp_path / f"o{n}.csv", ["order_no", "date", "amount"],
                                       [f"SO-{n}", date.today().isoformat(), "9999"]),
            ("orders", "upsert"): _csv(tmp_path / f"m{n}.csv", ["order_no", "customer_code", "date", "amount"],
                                       [f"SO-{n}", codes[mine[0]], date.today().isoformat(), "100"]),
            ("contracts", "upsert"): _csv(tmp_path / f"k{n}.csv", ["number", "customer_code", "amount"],
                                          [f"HT-{n}", codes[key], "777"]),
            ("contacts", "upsert"): _csv(tmp_path / f"c{n}.csv", ["customer_code", "name", "title"],
                                         [codes[key], f"联系人{key}", "总监"]),
            ("opportunities", "upsert"): _csv(tmp_path / f"p{n}.csv", ["customer_code", "name", "amount"],
                                              [codes[key], f"商机{key}", "123"]),
            ("customers", "update"): _csv(tmp_path / f"u{n}.csv", ["code", "notes"], [codes[key], "改了"]),
        }
        before = portable_rows(admin)
        for (kind, mode), path in files.items():
            if role == "viewer" or outside:
                try:
                    result = run_import(ctx, kind, path, mode=mode)
                except CrmError:
                    continue  # refused as a whole (a viewer)
                assert result.failed and result.rejected, (role, key, kind, mode, result)
        if role == "viewer" or outside:
            assert portable_rows(admin) == before, (role, key)


def portable_rows(admin) -> dict[str, list]:  # noqa: ANN001
    from sqlalchemy import text

    with admin.db.engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT * FROM {t} ORDER BY id")).all()
                for t in ("orders", "contracts", "contacts", "opportunities", "customers")}
