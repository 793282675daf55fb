"""No password or password hash is ever logged, written to the audit log, printed or exported."""

from __future__ import annotations

import logging
import zipfile

from sqlalchemy import text

from desktop_crm.cli import main
from desktop_crm.core import security
from desktop_crm.core.errors import CrmError
from desktop_crm.core.services import audit_query, customers, users
from desktop_crm.core.services.audit_query import AuditFilter
from desktop_crm.core.services.customer_query import CustomerFilter

SECRET = "Very-Secret-Pw-42"
OTHER = "Another-Secret-77"


def _xlsx_text(path) -> str:  # noqa: ANN001
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))


def _secrets(db) -> list[str]:  # noqa: ANN001
    with db.engine.connect() as conn:
        hashes = [r[0] for r in conn.execute(text("SELECT password_hash FROM users"))]
    parts = [p for h in hashes for p in h.split("$")[4:]]  # salt and digest in base64
    return [SECRET, OTHER, *hashes, *parts]


def test_passwords_and_hashes_never_leave_the_users_table(db, admin, caplog, tmp_path, capsys, db_url):
    caplog.set_level(logging.DEBUG)
    u = users.create_user(admin, "rep1", "staff", SECRET)
    users.reset_password(admin, u.id, OTHER)
    for attempt in (SECRET, "wrong-password-1", OTHER):
        try:
            users.authenticate(db, "rep1", attempt)
        except CrmError:
            pass
    security.set_params(security.ScryptParams(n=2**11, r=8, p=1))  # a rehash on the next login
    try:
        users.authenticate(db, "rep1", OTHER)
    finally:
        security.set_params(security.ScryptParams(n=2**10, r=8, p=1))
    customers.create_customer(admin, {"name": "客户", "notes": "备注"})
    secrets = _secrets(db)

    # the log
    logged = caplog.text
    assert not [s for s in secrets if s in logged]
    # the audit log (every column of every entry)
    with db.engine.connect() as conn:
        audit_text = " ".join(str(v) for row in conn.execute(text("SELECT * FROM audit_log")) for v in row)
    assert not [s for s in secrets if s in audit_text]
    assert "password" in audit_text  # the change itself is recorded, masked
    # exports: the audit log workbook, the customer list
    out = tmp_path / "audit.xlsx"
    audit_query.export_xlsx(admin, AuditFilter(), out)
    assert not [s for s in secrets if s in _xlsx_text(out)]
    from desktop_crm.core.exporting.lists import export_customers

    export_customers(admin, CustomerFilter(), None, tmp_path / "c.csv")
    assert not [s for s in secrets if s in (tmp_path / "c.csv").read_text(encoding="utf-8-sig")]
    # the command line: user list in every format, adding a user
    capsys.readouterr()
    for fmt in ("table", "csv", "json"):
        assert main(["--db", db_url, "--lang", "en", "user", "list", "--format", fmt]) == 0
    assert main(["--db", db_url, "--lang", "en", "user", "add", "rep2", "--role", "staff",
                 "--password", SECRET]) == 0
    printed = capsys.readouterr()
    secrets = _secrets(db)
    assert not [s for s in secrets if s in printed.out + printed.err]
    # the plain results services hand out carry no hash
    assert not any("hash" in f or "password" in f for f in users.UserView.__dataclass_fields__)


def test_audit_export_keeps_formula_text_as_text(admin, tmp_path):
    """Golden: values that look like formulas stay text in the audit-log workbook."""
    injections = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-1+1", "@SUM(A1:A2)", "\tTAB", "\rCR"]
    c = customers.create_customer(admin, {"name": "注入测试"})
    version = c.version
    for value in injections:
        version = customers.update_customer(admin, c.id, {"notes": value}, expected_version=version).version
    out = tmp_path / "audit.xlsx"
    audit_query.export_xlsx(admin, AuditFilter(entity="customer"), out)
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                body = z.read(name)
                assert b"<f>" not in body and b"<f " not in body
    from openpyxl import load_workbook

    ws = load_workbook(out).active
    values = {cell.value for row in ws.iter_rows(min_row=2) for cell in row if isinstance(cell.value, str)}
    for value in injections[:4]:
        assert value in values  # kept verbatim, as text


def test_cli_csv_list_never_turns_text_into_formulas(admin, db_url, capsys):
    import csv
    import io

    customers.create_customer(admin, {"name": "=HYPERLINK(\"http://evil\",\"点我\")"})
    customers.create_customer(admin, {"name": "@SUM(A1)"})
    capsys.readouterr()
    assert main(["--db", db_url, "--lang", "en", "customer", "list", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    names = {r[1] for r in rows[1:]}
    assert names == {"'=HYPERLINK(\"http://evil\",\"点我\")", "'@SUM(A1)"}
