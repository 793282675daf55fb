"""PDF writer: text extracted with pypdf, fonts embedded, header row repeated, pack numbering."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from export_samples import sample_report
from pypdf import PdfReader

from desktop_crm.core.exporting.pdf import write_pack_pdf, write_report_pdf
from desktop_crm.core.i18n import set_language


@pytest.fixture
def zh():
    set_language("zh_CN")
    yield
    set_language("en")


def _pages(path):
    return [page.extract_text() for page in PdfReader(str(path)).pages]


def test_short_report_text(tmp_path):
    path = tmp_path / "r.pdf"
    write_report_pdf(sample_report(5), path)
    pages = _pages(path)
    assert len(pages) == 1
    text = pages[0]
    for expected in ("客户构成", "Customer composition", "示例贸易有限公司", "张三", "2024-03-01",
                     "全部客户", "¥1,234.50", "12.34%", "合计", "按等级", "Page 1 of 1", "分组"):
        assert expected in text, expected


def test_long_table_repeats_header_and_numbers_pages(tmp_path):
    path = tmp_path / "long.pdf"
    write_report_pdf(sample_report(300, chart=None), path)
    pages = _pages(path)
    assert len(pages) > 3
    n = len(pages)
    for i, text in enumerate(pages, 1):
        assert f"Page {i} of {n}" in text
        assert "客户构成 Customer composition" in text  # page header on every page
    assert "客户名称 Customer" in pages[1] and "销售额 Sales" in pages[1]  # header row on page 2
    assert "上海贸易有限公司 299" in "".join(pages)


def test_chinese_footer(tmp_path, zh):
    path = tmp_path / "zh.pdf"
    write_report_pdf(sample_report(3, chart="pie"), path)
    text = _pages(path)[0]
    assert "第 1 页，共 1 页" in text
    assert "制表人" in text


def test_wide_table_turns_landscape(tmp_path):
    from desktop_crm.core.reporting.model import Column, Report, Table

    cols = [Column(f"c{i}", f"第{i}列 Column {i}", "money") for i in range(12)]
    report = Report("wide", "宽表 Wide", Table(cols, [{f"c{i}": 1234567.89 for i in range(12)}]))
    write_report_pdf(report, tmp_path / "w.pdf")
    box = PdfReader(str(tmp_path / "w.pdf")).pages[0].mediabox
    assert box.width > box.height
    write_report_pdf(sample_report(2), tmp_path / "n.pdf")
    box = PdfReader(str(tmp_path / "n.pdf")).pages[0].mediabox
    assert box.width < box.height


def test_pack_numbering_across_reports(tmp_path):
    path = tmp_path / "pack.pdf"
    write_pack_pdf([sample_report(3), sample_report(120, chart="line")], path, "月度报表 Monthly pack", "2024-03")
    pages = _pages(path)
    n = len(pages)
    assert n >= 4
    assert "月度报表 Monthly pack" in pages[0] and "Contents" in pages[0]
    assert f"Page {n} of {n}" in pages[-1]
    assert "Page 2 of" in pages[1] and "客户构成" in pages[1]
    assert "Page 3 of" in pages[2] and "销售额 Sales" in pages[2]  # second report starts on a new page


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils not installed")
def test_fonts_embedded(tmp_path):
    path = tmp_path / "f.pdf"
    write_report_pdf(sample_report(3), path)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()[2:]
    assert lines and all(" yes yes yes " in line for line in lines), out
    assert any("DroidSansFallback" in line for line in lines)
