"""Every view fits a 1366×768 screen and 150 % scaling of 1920×1080 (1280×720 logical, less a
taskbar): no control cut by the window's edge, no column title cut mid-word — in both languages."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QComboBox,
    QDateEdit,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QWidget,
)

from desktop_crm.core import i18n
from desktop_crm.core.services import complaints, customers
from desktop_crm.ui.main_window import MainWindow
from desktop_crm.ui.widgets.headers import PADDING

SCREEN = (1280, 690)  # the smaller of the two: 150 % of 1920×1080 with a taskbar
CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QDateEdit)


def _inside_scroll_area(widget: QWidget, top: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _cut_controls(top: QWidget) -> list[str]:
    """Visible controls whose on-screen part is smaller than the control (clipped by a parent)."""
    cut = []
    for w in top.findChildren(QWidget):
        if not isinstance(w, CONTROLS) or not w.isVisible() or _inside_scroll_area(w, top):
            continue
        if w.visibleRegion().boundingRect().size() != w.rect().size():
            cut.append(f"{type(w).__name__} {w.objectName() or getattr(w, 'text', lambda: '')()!r}")
    return cut


def _cut_titles(top: QWidget) -> list[str]:
    cut = []
    for table in top.findChildren(QTableView):
        header, model = table.horizontalHeader(), table.model()
        if model is None or not table.isVisible():
            continue
        metrics = header.fontMetrics()
        for section in range(header.count()):
            if header.isSectionHidden(section) or header.sectionResizeMode(section) != QHeaderView.Interactive:
                continue
            title = str(model.headerData(section, header.orientation()) or "")
            need = max((metrics.horizontalAdvance(t) for t in title.splitlines()), default=0) + PADDING
            if header.sectionSize(section) < need:
                cut.append(f"{table.objectName()}: {title!r} {header.sectionSize(section)} < {need}")
    return cut


def _elided_labels(top: QWidget) -> list[str]:
    return [lab.text() for lab in top.findChildren(QLabel)
            if lab.isVisible() and not lab.wordWrap() and not _inside_scroll_area(lab, top)
            and lab.text() and "<" not in lab.text()
            and lab.visibleRegion().boundingRect().width() < min(lab.sizeHint().width(), lab.width())]


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("who", ["admin", "rep3"])
def test_every_view_fits_the_small_screen(qtbot, team, lang, who):
    i18n.set_language(lang)
    c = customers.create_customer(team["rep1"], {"name": "迅捷物流速运有限公司", "mobile": "13812345678"})
    complaints.register(team["rep1"], customer_id=c.id, channel="hotline", category="delay",
                        severity="major", description="货物延误三天")
    window = MainWindow(team[who])
    qtbot.addWidget(window)
    window.resize(*SCREEN)
    window.show()
    problems = []
    for spec in window.specs:
        window.show_view(spec.key)
        qtbot.wait(20)
        view = window.current_view()
        if window.width() > SCREEN[0] or window.height() > SCREEN[1]:
            problems.append(f"{spec.key}: the window grew to {window.width()}×{window.height()}")
        problems += [f"{spec.key}: cut {c}" for c in _cut_controls(view)]
        problems += [f"{spec.key}: title {t}" for t in _cut_titles(view)]
        problems += [f"{spec.key}: elided {t!r}" for t in _elided_labels(view)]
    assert problems == []


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_complaint_page_fits_the_small_screen(qtbot, team, lang):
    from desktop_crm.ui.complaints.page import ComplaintPage
    from tests.ui.test_complaints_ui import Nav

    i18n.set_language(lang)
    c = customers.create_customer(team["rep1"], {"name": "迅捷物流速运有限公司", "mobile": "13812345678"})
    comp = complaints.register(team["rep1"], customer_id=c.id, channel="hotline", category="delay",
                               severity="major", description="货物延误三天，客户要求赔偿运费")
    page = ComplaintPage(team["sup_sales"], Nav(), comp.id)
    qtbot.addWidget(page)
    page.resize(*SCREEN)
    page.show()
    qtbot.wait(20)
    assert page.width() <= SCREEN[0] and page.height() <= SCREEN[1]
    assert _cut_controls(page) == [] and _cut_titles(page) == []
