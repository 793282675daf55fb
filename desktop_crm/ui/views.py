"""The main views, their shortcuts and who may open them. Each area adds its line."""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass

from desktop_crm.core.i18n import N_


@dataclass(frozen=True)
class ViewSpec:
    key: str
    title: str  # English source; translated when shown
    shortcut: str
    target: str  # "module:Class"; the class is built as Class(ctx, nav, parent)
    min_role: str = "viewer"

    def available(self) -> bool:
        module = self.target.split(":")[0]
        try:
            return importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:
            return False

    def load(self) -> type:
        module, name = self.target.split(":")
        return getattr(importlib.import_module(module), name)


VIEWS: list[ViewSpec] = [
    ViewSpec("dashboard", N_("Dashboard"), "Ctrl+1", "desktop_crm.ui.dashboard.view:DashboardView"),
    ViewSpec("customers", N_("Customers"), "Ctrl+2", "desktop_crm.ui.customers.list_view:CustomerListView"),
    ViewSpec("complaints", N_("Complaints"), "Ctrl+3", "desktop_crm.ui.complaints.view:ComplaintsView"),
    ViewSpec("reports", N_("Reports"), "Ctrl+4", "desktop_crm.ui.reports.view:ReportsView"),
    ViewSpec("orders", N_("Orders"), "Ctrl+5", "desktop_crm.ui.orders.view:OrdersView"),
    ViewSpec("pipeline", N_("Opportunities"), "Ctrl+6", "desktop_crm.ui.orders.pipeline:PipelineView"),
    ViewSpec("pool", N_("Customer pool"), "Ctrl+7", "desktop_crm.ui.visits.pool_view:PoolView"),
    ViewSpec("visits", N_("Return visits"), "Ctrl+8", "desktop_crm.ui.visits.visits_view:VisitsView"),
    ViewSpec("workplan", N_("Work plan"), "Ctrl+0", "desktop_crm.ui.workplan.view:WorkPlanView"),
    ViewSpec("leads", N_("Leads"), "Ctrl+Shift+L", "desktop_crm.ui.leads.view:LeadsView"),
    ViewSpec("admin", N_("Administration"), "Ctrl+9", "desktop_crm.ui.admin.view:AdminView", min_role="admin"),
]
