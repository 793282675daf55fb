"""The generic engine: committed units, cancel between units, a crash mid-way and the re-run,
progress, and a spec written by another area."""

from __future__ import annotations

import dataclasses

import openpyxl
from sqlalchemy import func, select

from desktop_crm.core.i18n import N_
from desktop_crm.core.importing import (
    CREATE,
    CREATED,
    SKIP,
    ImportColumn,
    ImportSpec,
    Planned,
    RowError,
    get_spec,
    register,
    run_import,
    spec_names,
)
from desktop_crm.core.importing.customers import CUSTOMERS
from desktop_crm.core.models import Customer


def xlsx(path, header, rows):
    wb = openpyxl.Workbook()
    wb.active.append(header)
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def names(db) -> list[str]:
    with db.read() as s:
        return sorted(s.scalars(select(Customer.name)))


def count(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Customer))


ROWS = [[f"C{i:03d}" if i % 2 else None, f"客户{i:03d}号"] for i in range(1, 12)]  # half with codes, half without


class Recorder:
    def __init__(self, cancel_after_steps: int | None = None):
        self.steps: list[tuple] = []
        self.cancel_after = cancel_after_steps

    def step(self, done, total=None, message=""):
        self.steps.append((done, total, message))

    def cancelled(self) -> bool:
        return self.cancel_after is not None and len(self.steps) >= self.cancel_after


def test_units_and_progress(admin, tmp_path):
    spec = dataclasses.replace(CUSTOMERS, batch_size=3)
    rec = Recorder()
    r = run_import(admin, spec, xlsx(tmp_path / "c.xlsx", ["客户编号", "客户名称"], ROWS), progress=rec)
    assert (r.created, r.rows) == (11, 11)
    saving = [s for s in rec.steps if s[2] == "Saving rows…"]
    assert len(saving) == 4  # 11 rows in units of 3
    assert rec.steps[-1][0] == rec.steps[-1][1]


def test_cancel_between_units_then_rerun_finishes(admin, tmp_path):
    spec = dataclasses.replace(CUSTOMERS, batch_size=4)
    path = xlsx(tmp_path / "c.xlsx", ["客户编号", "客户名称"], ROWS)
    r = run_import(admin, spec, path, progress=Recorder(cancel_after_steps=2))  # after two units
    assert r.cancelled and r.rows == 8 and r.created == 8 and not r.ok
    assert r.created + r.updated + r.skipped + r.failed + r.not_saved == r.rows
    assert count(admin.db) == 8
    r = run_import(admin, spec, path)
    assert (r.created, r.skipped, r.failed) == (3, 8, 0), r.warning_lines()
    assert names(admin.db) == sorted(n for _c, n in ROWS)


def test_cancel_while_checking_saves_nothing(admin, tmp_path):
    spec = dataclasses.replace(CUSTOMERS, batch_size=4)
    rows = [[None, f"客户{i}"] for i in range(2500)]
    r = run_import(admin, spec, xlsx(tmp_path / "c.xlsx", ["code", "name"], rows), progress=Recorder(0))
    assert r.cancelled and r.rows == 0 and count(admin.db) == 0


def test_crash_mid_way_keeps_committed_units_and_rerun_completes(admin, tmp_path):
    calls = {"n": 0}

    def flaky_write(rc, plan):
        calls["n"] += 1
        if calls["n"] == 7:
            raise RuntimeError("power cut")
        return CUSTOMERS.write(rc, plan)

    spec = dataclasses.replace(CUSTOMERS, batch_size=3, write=flaky_write)
    path = xlsx(tmp_path / "c.xlsx", ["客户编号", "客户名称"], ROWS)
    r = run_import(admin, spec, path, errors_out=tmp_path / "e.xlsx")
    assert r.stopped and r.failed == 1 and r.created == 6 and r.rows == 11
    assert r.created + r.updated + r.skipped + r.failed + r.not_saved == r.rows
    assert count(admin.db) == 6  # two whole units; the third was rolled back as a whole
    assert (tmp_path / "e.xlsx").exists()
    r = run_import(admin, CUSTOMERS, path)
    assert (r.created, r.skipped, r.failed) == (5, 6, 0)
    assert names(admin.db) == sorted(n for _c, n in ROWS)
    r = run_import(admin, CUSTOMERS, path)
    assert (r.created, r.skipped) == (0, 11)


def test_a_spec_from_another_area(admin, tmp_path, monkeypatch):
    """How complaints/orders plug in: columns, validate (read-only), write (in the unit's session)."""
    store: dict[str, int] = {}

    def validate(rc, raw):
        key = str(raw.get("number") or "").strip()
        if not key:
            raise RowError({"number": "is required"})
        try:
            qty = int(str(raw.get("quantity") or "0").replace(",", ""))
        except ValueError:
            raise RowError({"quantity": "is not a whole number"}) from None
        if key in store and rc.mode == CREATE:
            return Planned(SKIP, warning=f"{key} exists")
        return Planned(CREATE, {"number": key, "quantity": qty})

    def write(rc, plan):
        store[plan.values["number"]] = plan.values["quantity"]
        return CREATED

    spec = ImportSpec(name="widgets", title=N_("Customers"), validate=validate, write=write, match_key="number",
                      columns=(ImportColumn("number", ("编号",), required=True), ImportColumn("quantity", ("数量",))))
    from desktop_crm.core.importing import spec as spec_module

    monkeypatch.setattr(spec_module, "_registered", {})  # registered for this test only
    register(spec)
    assert "widgets" in spec_names() and get_spec("widgets") is spec
    path = xlsx(tmp_path / "w.xlsx", ["编号", "数量"], [["A", "1,200"], ["B", 3]])
    assert run_import(admin, "widgets", path).created == 2 and store == {"A": 1200, "B": 3}
    assert run_import(admin, "widgets", path).skipped == 2
    bad = run_import(admin, "widgets", xlsx(tmp_path / "x.xlsx", ["编号", "数量"], [["C", "x"], [None, 1]]))
    assert bad.failed == 2 and "C" not in store


def test_unexpected_errors_in_a_spec_are_row_errors(admin, tmp_path):
    def validate(rc, raw):
        raise ZeroDivisionError("boom")

    spec = dataclasses.replace(CUSTOMERS, validate=validate)
    r = run_import(admin, spec, xlsx(tmp_path / "c.xlsx", ["客户名称"], [["a"], ["b"]]))
    assert r.failed == 2 and "boom" in r.errors[0][1]["row"]


def test_large_files_are_read_again_to_write(admin, tmp_path, monkeypatch):
    from desktop_crm.core.importing import engine

    monkeypatch.setattr(engine, "KEEP_ROWS", 3)
    phases = []

    def validate(rc, raw):
        phases.append(rc.phase)
        return CUSTOMERS.validate(rc, raw)

    spec = dataclasses.replace(CUSTOMERS, validate=validate, batch_size=4)
    r = run_import(admin, spec, xlsx(tmp_path / "c.xlsx", ["客户编号", "客户名称"], ROWS))
    assert (r.created, r.rows) == (11, 11) and count(admin.db) == 11
    assert phases == ["check"] * 11 + ["write"] * 11
