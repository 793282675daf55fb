"""The shipped import templates: both header languages documented, and they import cleanly."""

from __future__ import annotations

import openpyxl
import pytest

from desktop_crm.core.importing import get_spec, run_import
from desktop_crm.core.importing.templates import write_template
from desktop_crm.core.paths import resources_dir


@pytest.mark.parametrize("name", ["customers", "contacts"])
def test_shipped_template_documents_both_languages(name):
    path = resources_dir() / "templates" / f"{name}.xlsx"
    wb = openpyxl.load_workbook(path)
    header = [c.value for c in wb.worksheets[0][1]]
    spec = get_spec(name)
    assert header == [f"{c.zh} / {c.key}" for c in spec.columns]
    help_rows = list(wb.worksheets[1].values)
    documented = {r[0]: r for r in help_rows[1:] if r and r[0] in {c.key for c in spec.columns}}
    assert set(documented) == {c.key for c in spec.columns}
    assert all(documented[c.key][1] == c.zh for c in spec.columns)


def test_templates_import_without_errors(admin, tmp_path):
    for name in ("customers", "contacts"):
        out = tmp_path / f"{name}.xlsx"
        write_template(name, out)
        r = run_import(admin, name, out)
        assert r.failed == 0 and r.created >= 1, r.error_lines()
        shipped = run_import(admin, name, resources_dir() / "templates" / f"{name}.xlsx", dry_run=True)
        assert shipped.failed == 0 and shipped.created == 0  # the same rows: nothing new
