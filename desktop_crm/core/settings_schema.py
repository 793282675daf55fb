"""Every business setting and its default, declared in one place (DOMAIN: numbers are defaults).

Business settings live in the database (shared by all desks, audited); per-desk UI
state lives in QSettings; the database location in the config file.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop_crm.core.i18n import N_


@dataclass(frozen=True)
class SettingDef:
    key: str
    default: object
    label: str
    group: str
    kind: str = "text"  # text | int | decimal | bool | json | enum


_DEFS: list[SettingDef] = [
    SettingDef("company_name", "", N_("Company name"), N_("General")),
    SettingDef("customer_code_prefix", "C", N_("Customer code prefix"), N_("General")),
    SettingDef("customer_code_digits", 6, N_("Customer code digits"), N_("General"), "int"),
    SettingDef("industries", ["零配件销售商", "用品商", "电气店", "专营店", "批量销售店", "DIY店", "其他"],
               N_("Industries / categories"), N_("Customers"), "json"),
    SettingDef("pool_claim_daily_limit", 20, N_("Pool: claims per user per day"), N_("Customers"), "int"),
    SettingDef("pool_return_after_days", 0, N_("Pool: return customers with no interaction for N days (0 = off)"),
               N_("Customers"), "int"),
    SettingDef("backup_keep", 30, N_("Backups to keep"), N_("Data safety"), "int"),
    SettingDef("idle_lock_minutes", 15, N_("Lock the screen after idle minutes (0 = never)"), N_("Security"), "int"),
    SettingDef("login_max_failures", 5, N_("Failed logins before lockout"), N_("Security"), "int"),
    SettingDef("login_lockout_minutes", 5, N_("Lockout minutes"), N_("Security"), "int"),
    # complaints (DOMAIN §5): calendar hours from the received time, by severity
    SettingDef("sla_response_hours", {"normal": 24, "major": 8, "critical": 2},
               N_("Complaint first response due (hours by severity)"), N_("Complaints"), "json"),
    SettingDef("sla_resolution_hours", {"normal": 168, "major": 72, "critical": 24},
               N_("Complaint resolution due (hours by severity)"), N_("Complaints"), "json"),
    # care reminders (DOMAIN §3, issue 4)
    SettingDef("remind_birthday_days", 7, N_("Birthdays: days ahead"), N_("Reminders"), "int"),
    SettingDef("remind_key_no_contact_days", 30, N_("Key customers not contacted for days"), N_("Reminders"), "int"),
    SettingDef("remind_no_order_days", 180, N_("Churn warning: active customers with no order for days"),
               N_("Reminders"), "int"),
    SettingDef("remind_contract_end_days", 30, N_("Contracts ending within days"), N_("Reminders"), "int"),
    SettingDef("notifications_enabled", True, N_("Desktop notifications"), N_("Reminders"), "bool"),
    # grading and metrics (DOMAIN §6)
    SettingDef("grade_cutoffs", {"key_important": 0.01, "key_secondary": 0.20, "ordinary": 0.50},
               N_("Value grade cut-offs (share of active customers)"), N_("Grading"), "json"),
    SettingDef("grade_value_months", 12, N_("Value grade: trailing months of sales"), N_("Grading"), "int"),
    SettingDef("grade_by_profit", False, N_("Value grade by profit when every order has a cost"),
               N_("Grading"), "bool"),
    SettingDef("loyalty_params", {"new_days": 365, "loyal_days": 730, "loyal_orders": 6, "regular_orders": 3},
               N_("Loyalty stage thresholds"), N_("Grading"), "json"),
    SettingDef("abc_cutoffs", {"A": 0.75, "B": 0.95}, N_("ABC cumulative share cut-offs"), N_("Grading"), "json"),
    SettingDef("seasonal_years", 3, N_("Seasonal index: full years"), N_("Grading"), "int"),
    SettingDef("grades_recomputed_on", "", N_("Grades last recomputed on"), N_("Grading")),
    # reports (issue 6): the monthly pack's reports, remembered for every desk
    SettingDef("report_pack", ["composition", "abc", "pyramid", "performance", "products", "churn", "complaints",
                               "satisfaction", "visits", "staff"], N_("Monthly report pack: reports"), N_("Reports"),
               "json"),
]

DEFINITIONS: dict[str, SettingDef] = {d.key: d for d in _DEFS}


def default(key: str) -> object:
    return DEFINITIONS[key].default
