"""Report builders through the services: the JSON contract of issue 6, scope and permissions,
hand-checked figures, the command line and the monthly pack."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from desktop_crm.cli import main
from desktop_crm.core.errors import PermissionDenied, ValidationError
from desktop_crm.core.reporting.builders import pack, registry
from desktop_crm.core.reporting.builders.params import ReportParams, month_period, preset, scope_choices
from desktop_crm.core.reporting.builders.seasonal import years_for
from desktop_crm.core.services import metrics
from tests.core import report_world

P0, P1 = report_world.PERIOD
ROW_KEYS = {
    "composition": ["group", "customers", "sales", "share"],
    "abc": ["rank", "customer_code", "customer_name", "sales", "share", "cumulative_share", "class"],
    "pyramid": ["grade", "customers", "sales", "share"],
    "seasonal": ["month", "average_sales", "seasonal_index", "share", "target"],
    "churn": ["month", "active_at_start", "lost", "churn_rate"],
    "complaints": ["category", "complaints", "share", "avg_response_hours", "avg_resolution_hours", "overdue",
                   "satisfaction_mean"],
}


@pytest.fixture
def world(team):  # noqa: ANN001, ANN201
    report_world.build(team)
    return team


def _json(ctx, name: str, scope: str = "all", **kw) -> dict:  # noqa: ANN001
    return registry.build(ctx, name, ReportParams(P0, P1, scope, **kw)).to_dict()


def test_json_contract_of_every_report(world):  # noqa: ANN001
    for name in registry.REPORTS:
        data = _json(world["manager"], name, target=Decimal("120000") if name == "seasonal" else None)
        assert {"report", "title", "parameters", "columns", "rows", "totals", "sections"} <= set(data)
        assert data["report"] == name
        assert data["parameters"]["from"] == "2026-01-01" and data["parameters"]["scope"] == "all"
        keys = [c["key"] for c in data["columns"]]
        if name in ROW_KEYS:
            assert keys == ROW_KEYS[name], name
        for row in data["rows"]:
            assert [k for k in row if not k.endswith("_label")] == keys
            assert all(k[:-len("_label")] in keys for k in row if k.endswith("_label"))
        for section in data["sections"].values():
            assert {"columns", "rows"} <= set(section)
        json.dumps(data)  # plain JSON values only
    complaints = _json(world["manager"], "complaints")
    assert set(complaints["sections"]) == {"by_root_cause", "by_severity", "by_status", "by_channel", "by_handler"}


def test_abc_classes_and_shares(world):  # noqa: ANN001
    data = _json(world["manager"], "abc")
    rows = data["rows"]
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    assert abs(rows[-1]["cumulative_share"] - 1.0) < 1e-9
    assert abs(sum(r["share"] for r in rows) - 1.0) < 1e-9
    classes = data["totals"]["classes"]
    assert set(classes) == {"A", "B", "C"}
    assert sum(c["customers"] for c in classes.values()) == len(rows)
    assert abs(sum(c["sales"] for c in classes.values()) - data["totals"]["sales"]) < 0.005
    # the customer that crosses 75 % is still A; the first after it is B
    before = 0.0
    for r in rows:
        expected = "A" if before < 0.75 else "B" if before < 0.95 else "C"
        assert r["class"] == expected if r["sales"] > 0 else r["class"] == "C"
        before += r["share"]


def test_composition_totals_match_sales_and_customers(world):  # noqa: ANN001
    data = _json(world["manager"], "composition", by="status")
    m = metrics.period_metrics(world["manager"], P0, P1)
    assert data["totals"]["sales"] == pytest.approx(float(m.sales))
    assert data["totals"]["customers"] == len(report_world.CUSTOMERS)
    assert {r["group"] for r in data["rows"]} >= {"active", "lost"} and {r["group_label"] for r in data["rows"]} >= {"Active", "Lost"}
    with pytest.raises(ValidationError):
        _json(world["manager"], "composition", by="colour")


def test_churn_agrees_with_period_metrics(world):  # noqa: ANN001
    data = _json(world["manager"], "churn")
    m = metrics.period_metrics(world["manager"], P0, P1)
    assert data["totals"]["active_at_start"] == m.active_at_start
    assert data["totals"]["lost"] == m.lost_in_period == 2
    assert data["totals"]["churn_rate"] == pytest.approx(float(m.churn_rate), abs=1e-4)
    assert len(data["rows"]) == 12 and sum(r["lost"] for r in data["rows"]) == 2
    lost = data["sections"]["lost_customers"]["rows"]
    assert {r["reason"] for r in lost} == {"价格原因 price", "搬迁 moved"}


def test_satisfaction_overall_agrees_with_period_metrics(world):  # noqa: ANN001
    data = _json(world["manager"], "satisfaction")
    m = metrics.period_metrics(world["manager"], P0, P1)
    assert data["totals"]["scores"] == m.satisfaction_count
    assert data["totals"]["satisfaction_mean"] == pytest.approx(float(m.satisfaction_mean), abs=0.005)
    assert data["totals"]["complaints"] == m.complaints
    assert data["totals"]["repurchase_rate"] == pytest.approx(float(m.repurchase_rate), abs=1e-4)


def test_json_gives_machine_keys_beside_the_labels_and_numbers_at_full_precision(world):  # noqa: ANN001
    from desktop_crm.core import i18n
    from desktop_crm.core.enums import COMPLAINT_CATEGORY, GRADE

    i18n.set_language("zh_CN")  # the keys do not change with the language; the labels do
    seasonal = _json(world["manager"], "seasonal")
    assert [r["month"] for r in seasonal["rows"]] == list(range(1, 13))
    assert seasonal["rows"][0]["month_label"] == "一月"
    pyramid = _json(world["manager"], "pyramid")
    assert {r["grade"] for r in pyramid["rows"]} <= set(GRADE.keys) | {None}
    assert all(r["grade_label"] for r in pyramid["rows"])
    complaints = _json(world["manager"], "complaints")
    assert {r["category"] for r in complaints["rows"]} <= set(COMPLAINT_CATEGORY.keys)
    churn = _json(world["manager"], "churn")
    lost = churn["sections"]["lost_customers"]["rows"]
    assert lost and all(isinstance(r["counted"], bool) for r in lost)
    assert all(len(r["lost_at"]) == 19 and r["lost_at"][10] == "T" for r in lost)  # ISO date-times
    for name in registry.REPORTS:  # every number as the model holds it: the renderers round, not the JSON
        report = registry.build(world["manager"], name, ReportParams(P0, P1))
        data = report.to_dict()
        for built, given in zip(report.main.rows, data["rows"], strict=True):
            for c in report.main.columns:
                value = built.get(c.key)
                if c.numeric and isinstance(value, Decimal | float | int) and c.key not in built.get("_keys", {}):
                    assert given[c.key] == float(value), (name, c.key)


def test_seasonal_years_and_targets(world):  # noqa: ANN001
    data = _json(world["manager"], "seasonal", target=Decimal("120000"))
    used = data["parameters"]["years"]
    assert used and all(date(y, 12, 31) < date.today() for y in used)  # complete years only
    assert any(", ".join(map(str, used)) in note for note in data["notes"])  # and it says which
    assert sum(r["seasonal_index"] for r in data["rows"]) == pytest.approx(1200)
    assert sum(r["share"] for r in data["rows"]) == pytest.approx(1.0)
    assert sum(r["target"] for r in data["rows"]) == pytest.approx(120000)
    two = _json(world["manager"], "seasonal", years=2)
    assert len(two["parameters"]["years"]) == 2 and two["parameters"]["years"][-1] < date.today().year
    assert years_for(ReportParams(date(2026, 3, 1), date(2026, 3, 31)), 3) == [2023, 2024, 2025]
    with pytest.raises(ValidationError):
        _json(world["manager"], "seasonal", years=3, scope="category:没有这个类别")


def test_the_seasonal_index_counts_no_unfinished_year():
    """This year, three days into December, is not a year of data: its December would weigh as a month."""
    year = ReportParams(date(2026, 1, 1), date(2026, 12, 31))
    assert years_for(year, 3, today=date(2026, 12, 3)) == [2023, 2024, 2025]
    assert years_for(year, 3, today=date(2027, 1, 1)) == [2026]
    assert years_for(ReportParams(date(2026, 1, 1), date(2026, 12, 31), years=2), 3,
                     today=date(2026, 12, 3)) == [2024, 2025]
    assert years_for(ReportParams(date(2024, 1, 1), date(2025, 12, 31)), 3, today=date(2026, 12, 3)) == [2024, 2025]


def test_scope_is_limited_by_role(world):  # noqa: ANN001
    rep1, sup = world["rep1"], world["sup_sales"]
    own = _json(rep1, "abc")
    codes = {r["customer_code"] for r in own["rows"]}
    everyone = {r["customer_code"] for r in _json(world["manager"], "abc")["rows"]}
    assert codes and codes < everyone
    assert "C000003" not in codes  # rep2's customer
    with pytest.raises(PermissionDenied):
        _json(rep1, "abc", scope="owner:rep2")
    with pytest.raises(PermissionDenied):
        _json(sup, "composition", scope="department:客户服务部")
    team_codes = {r["customer_code"] for r in _json(sup, "abc", scope="department:市场销售部")["rows"]}
    assert "C000003" in team_codes and "C000005" not in team_codes  # rep3 is in the service department
    staff = _json(rep1, "staff")
    assert [r["user"] for r in staff["rows"]] == ["王芳"] or len(staff["rows"]) == 1
    keys = [k for k, _label in scope_choices(rep1)]
    assert "owner:rep2" not in keys and "department:客户服务部" not in keys
    complaints = _json(rep1, "complaints")
    assert complaints["totals"]["complaints"] < _json(world["manager"], "complaints")["totals"]["complaints"]


def test_category_scope_restricts_sales(world):  # noqa: ANN001
    data = _json(world["manager"], "products", scope="category:配件")
    assert {r["category"] for r in data["rows"]} == {"配件"}
    comp = _json(world["manager"], "composition", scope="category:配件")
    assert comp["totals"]["sales"] == pytest.approx(data["totals"]["sales"])


def test_presets_and_month():  # noqa: D103
    today = date(2026, 5, 20)
    assert preset("this_month", today) == (date(2026, 5, 1), date(2026, 5, 31))
    assert preset("last_month", today) == (date(2026, 4, 1), date(2026, 4, 30))
    assert preset("this_quarter", today) == (date(2026, 4, 1), date(2026, 6, 30))
    assert preset("this_year", today) == (date(2026, 1, 1), date(2026, 12, 31))
    assert preset("last_12_months", today) == (date(2025, 6, 1), date(2026, 5, 31))
    assert preset("last_month", date(2026, 1, 9)) == (date(2025, 12, 1), date(2025, 12, 31))
    assert month_period("2026-02") == (date(2026, 2, 1), date(2026, 2, 28))
    with pytest.raises(ValidationError):
        month_period("2026/02")
    with pytest.raises(ValidationError):
        ReportParams(date(2026, 2, 1), date(2026, 1, 1))


def test_cli_report_every_format(world, db_url, tmp_path, capsys):  # noqa: ANN001
    for ext in ("xlsx", "pdf", "csv", "json"):
        out = tmp_path / f"abc.{ext}"
        rc = main(["--db", db_url, "--user", "manager", "report", "abc", "--from", "2026-01-01", "--to",
                   "2026-12-31", "--out", str(out)])
        assert rc == 0 and out.stat().st_size > 0
    data = json.loads((tmp_path / "abc.json").read_text(encoding="utf-8"))
    assert data["report"] == "abc" and data["totals"]["classes"]["A"]["customers"] >= 1
    wb = load_workbook(tmp_path / "abc.xlsx")
    assert wb.sheetnames[0] == "Summary" and len(wb.sheetnames) == 3
    rc = main(["--db", db_url, "--user", "manager", "report", "seasonal", "--from", "2026-01-01", "--to",
               "2026-12-31", "--years", "1", "--target", "1,000,000", "--out", str(tmp_path / "s.json")])
    assert rc == 0
    seasonal = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert seasonal["parameters"]["target"] == 1_000_000
    rc = main(["--db", db_url, "--user", "manager", "report", "composition", "--from", "2026-01-01", "--to",
               "2026-12-31", "--by", "region", "--scope", "department:市场销售部", "--out", str(tmp_path / "c.csv")])
    assert rc == 0
    rc = main(["--db", db_url, "--user", "manager", "report", "abc", "--from", "2026-01-01", "--to",
               "2026-12-31", "--out", str(tmp_path / "x.txt")])
    assert rc == 1 and ".xlsx" in capsys.readouterr().err


def test_cli_pack_pdf_and_workbook(world, db_url, tmp_path):  # noqa: ANN001
    pdf = tmp_path / "pack.pdf"
    rc = main(["--db", db_url, "--user", "manager", "report", "pack", "--month", "2026-06", "--out", str(pdf)])
    assert rc == 0
    reader = PdfReader(pdf)
    text = reader.pages[0].extract_text()
    assert "Monthly report" in text and "2026-06" in text
    assert len(reader.pages) >= 1 + len(pack.chosen(world["manager"]))
    xlsx = tmp_path / "pack.xlsx"
    rc = main(["--db", db_url, "--user", "manager", "report", "pack", "--month", "2026-06", "--reports",
               "abc,churn", "--remember", "--out", str(xlsx)])
    assert rc == 0
    assert len(load_workbook(xlsx).sheetnames) == 2
    assert pack.chosen(world["manager"]) == ["abc", "churn"]
    with pytest.raises(PermissionDenied):
        pack.remember(world["rep1"], ["abc"])


def test_progress_and_cancel(world):  # noqa: ANN001
    from desktop_crm.core.errors import Cancelled

    class Progress:
        def __init__(self, stop: bool):
            self.stop, self.steps = stop, []

        def step(self, done, total=None, message=""):  # noqa: ANN001, ANN202
            self.steps.append((done, total))

        def cancelled(self) -> bool:
            return self.stop

    for name in registry.REPORTS:
        p = Progress(False)
        registry.build(world["manager"], name, ReportParams(P0, P1), p)
        assert p.steps and p.steps[-1][0] == p.steps[-1][1], name
        with pytest.raises(Cancelled):
            registry.build(world["manager"], name, ReportParams(P0, P1), Progress(True))


def test_money_shows_its_currency_and_can_be_in_wan_everywhere(world, tmp_path):  # noqa: ANN001
    import openpyxl
    from pypdf import PdfReader

    from desktop_crm.core.reporting.formatting import format_cell

    yuan = registry.build(world["manager"], "pyramid", ReportParams(P0, P1))
    wan = registry.build(world["manager"], "pyramid", ReportParams(P0, P1, unit="wan"))
    total = yuan.main.totals["sales"]
    assert format_cell(total, yuan.main.column("sales").kind).startswith("¥")
    assert format_cell(total, wan.main.column("sales").kind) == format_cell(total / 10000, "money") + "万"
    assert wan.to_dict()["totals"]["sales"] == float(total) and wan.to_dict()["parameters"]["unit"] == "wan"
    for report, name in ((yuan, "y"), (wan, "w")):
        registry.write(world["manager"], report, tmp_path / f"{name}.xlsx")
        registry.write(world["manager"], report, tmp_path / f"{name}.pdf")
    cells = [c for ws in openpyxl.load_workbook(tmp_path / "w.xlsx").worksheets for row in ws.iter_rows()
             for c in row if isinstance(c.value, int | float)]
    money_cells = [c for c in cells if "万" in c.number_format]
    assert money_cells and float(total) / 10000 in [pytest.approx(c.value) for c in money_cells]
    counts = [c for c in cells if c.number_format == "#,##0"]
    assert counts and all(isinstance(c.value, int) for c in counts)  # counts are whole numbers
    assert any("¥" in c.number_format for ws in openpyxl.load_workbook(tmp_path / "y.xlsx").worksheets
               for row in ws.iter_rows() for c in row if isinstance(c.value, float))
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "w.pdf").pages)
    assert "万" in text and "¥" in text
