"""What a field key is called in the reader's language: for the audit log and for messages about bad
input ("Years: must be between 1 and 50", never "years: …"). Records keep their own titles (customer
fields, complaint fields, sales fields, settings); GENERAL names the keys that are not a record's field."""

from __future__ import annotations

from desktop_crm.core.i18n import N_, gettext

GENERAL = {
    "username": N_("User name"), "display_name": N_("Name"), "role": N_("Role"), "active": N_("Account enabled"),
    "department_id": N_("Department"), "can_export": N_("May export"), "email": N_("Email"),
    "phone": N_("Phone"), "password": N_("Password"), "via": N_("Logged in through"), "file": N_("File"),
    "as_of": N_("As of"), "basis": N_("Ranked by"), "population": N_("Customers ranked"), "grades": N_("Grades"),
    "changed": N_("Customers changed"), "customer_id": N_("Customer"), "due": N_("Due date"),
    "assignee_id": N_("Assignee"), "purpose": N_("Purpose"), "score": N_("Satisfaction"),
    "feedback_tags": N_("Feedback tags"), "owner_id": N_("Owner"), "handler_id": N_("Handler"),
    "stage": N_("Stage"), "questions": N_("Questions"), "name": N_("Name"), "amount": N_("Amount"),
    "status": N_("Status"), "merged_from": N_("Merged from"), "customers": N_("Customers"),
    "visits": N_("Return visits"), "follow_ups": N_("Follow-ups"), "complaints": N_("Complaints"),
    "phrases": N_("Phrases"), "note": N_("Note"), "action": N_("Action"), "kind": N_("Kind"),
    "until": N_("Until"), "reason": N_("Reason"), "channel": N_("Channel"), "summary": N_("Summary"),
    "follow_up_due": N_("Follow-up due"), "code": N_("Code"), "say": N_("What to say"),
    "situation": N_("Situation"), "number": N_("Number"), "lost_reason": N_("Reason lost"),
    "scope": N_("Scope"), "user": N_("User"), "to": N_("To"), "target": N_("Target"), "path": N_("File"),
    "out": N_("File"), "owner": N_("Owner"), "assignee": N_("Assignee"), "years": N_("Years"),
    "targets": N_("Hand over to"), "handover_to": N_("Hand over to"), "rest_to": N_("Remaining work to"),
    "sort": N_("Sort"), "reports": N_("Reports"), "report": N_("Report"), "period": N_("Period"),
    "month": N_("Month"), "columns": N_("Columns"), "unit": N_("Unit"), "text": N_("Text"),
    "rule": N_("Rule"), "question": N_("Question"), "other": N_("Other customer"), "mode": N_("Mode"),
    "grade_note": N_("Grade note"), "grade": N_("Grade"), "days": N_("Days"), "customer": N_("Customer"),
    "contact_id": N_("Contact"), "contact": N_("Contact"), "by": N_("Group by"), "at": N_("Time"),
    "customer_code": N_("Customer code"), "customer_name": N_("Customer name"), "order_no": N_("Order no."),
    "satisfaction": N_("Satisfaction"), "received_at": N_("Received"),
    "next_follow_up": N_("Next follow-up"), "handler": N_("Handler"), "end_on": N_("End date"),
    "compensation": N_("Compensation"), "lang": N_("Language"), "feedback": N_("Feedback"),
    "department": N_("Department"), "subject": N_("Subject"), "start": N_("Start"), "end": N_("End"),
    "priority": N_("Priority"), "result": N_("Result"), "repeat": N_("Repeat"), "repeat_count": N_("Occurrences"),
    "reminders": N_("Reminders"), "participants": N_("Participants"), "job": N_("Job"),
    "condition": N_("Condition"), "warn_days": N_("Warn the owner"), "statuses": N_("Statuses"),
    "industries": N_("Industries"), "exempt_open_contract": N_("Not customers with a contract in force"),
    "exempt_deal_days": N_("Not with a deal in the last"), "max_customers": N_("Customers at most"),
    "reclaim_days": N_("Claim back after"), "company": N_("Company"), "campaign": N_("Campaign"),
    "opportunity": N_("Opportunities"),
}

_ENTITIES = ("customer", "contact", "complaint", "order", "setting")


def _titles(entity: str) -> dict[str, str]:
    from desktop_crm.core import settings_schema
    from desktop_crm.core.services.customer_fields import CONTACT_FIELD, CUSTOMER_FIELD

    if entity == "customer":
        return {k: f.label for k, f in CUSTOMER_FIELD.items()}
    if entity == "contact":
        return {k: f.label for k, f in CONTACT_FIELD.items()}
    if entity == "setting":
        return {k: d.label for k, d in settings_schema.DEFINITIONS.items()}
    if entity == "complaint":
        from desktop_crm.core.services.complaint_fields import FIELD_TITLES

        return FIELD_TITLES
    if entity == "task":
        return {"title": GENERAL["subject"]}
    if entity in ("order", "contract", "opportunity"):
        from desktop_crm.core.services.sales_fields import FIELD_TITLES as SALES_TITLES

        return SALES_TITLES
    return {}


def label(key: str, entity: str = "") -> str:
    """The field's title: the record's own first (when `entity` is given), then GENERAL, then any record's."""
    if not key:
        return ""
    title = (_titles(entity).get(key) if entity else None) or GENERAL.get(key)
    if title is None:
        title = next((t[key] for t in map(_titles, _ENTITIES) if key in t), None)
    return gettext(title) if title else key
