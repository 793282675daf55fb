"""Shared bits of the customer screen tests: a navigator stub, per-test QSettings, sample data."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from desktop_crm.core.services import customers


class FakeNav:
    def __init__(self) -> None:
        self.opened: list[int] = []
        self.messages: list[str] = []

    def open_customer(self, customer_id: int) -> None:
        self.opened.append(customer_id)

    def notify(self, message: str) -> None:
        self.messages.append(message)

    def refresh_views(self) -> None:
        pass

    def show_view(self, key: str) -> None:
        pass


@pytest.fixture
def desk(tmp_path):  # noqa: ANN001, ANN201
    """Per-desk QSettings in the test's folder (never the user's real settings)."""
    QSettings.setPath(QSettings.NativeFormat, QSettings.UserScope, str(tmp_path / "settings"))
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path / "settings"))
    return tmp_path / "settings"


SAMPLE = [
    ("张三", "individual", "13800138001", "北京"),
    ("李四", "individual", "13800138002", "上海"),
    ("北京华信科技有限公司", "enterprise", "13800138003", "北京"),
    ("上海东方电气有限公司", "enterprise", "13800138004", "上海"),
    ("广州恒达贸易有限公司", "enterprise", "13800138005", "广州"),
]


def make_customers(ctx, owner: object = "self") -> list[int]:  # noqa: ANN001
    ids = []
    for name, kind, mobile, city in SAMPLE:
        d = customers.create_customer(ctx, {"name": name, "kind": kind, "mobile": mobile, "city": city},
                                      owner=owner)
        ids.append(d.id)
    return ids
