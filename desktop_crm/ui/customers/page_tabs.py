"""Extra tabs of the customer page contributed by other areas (complaints, interactions,
orders, contracts). Each entry is "module:function"; the function is called as
fn(ctx, nav, customer_id, parent) and returns (title, widget), or None to show nothing.
A widget may define `refresh()`; the page calls it after edits."""

from __future__ import annotations

import importlib

TABS: list[str] = [
    "desktop_crm.ui.complaints.customer_tab:complaints_tab",
    "desktop_crm.ui.visits.timeline_tab:timeline_tab",
    "desktop_crm.ui.orders.customer_tabs:orders_tab",
    "desktop_crm.ui.orders.customer_tabs:contracts_tab",
    "desktop_crm.ui.workplan.tasks_tab:customer_tasks_tab",
]


def load_tabs(ctx, nav, customer_id: int, parent) -> list[tuple[str, object]]:  # noqa: ANN001
    out = []
    for target in TABS:
        module, name = target.split(":")
        try:
            fn = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            continue
        made = fn(ctx, nav, customer_id, parent)
        if made is not None:
            out.append(made)
    return out
