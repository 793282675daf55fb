"""The audit log in the reader's language: record types, actions, field names and values are stored
as machine keys (so the log means the same whatever language wrote it) and shown here with their
labels — a Chinese screen shows 客户 · 修改 · 状态 · 潜在客户 → 现实客户, not `customer update status`."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from desktop_crm.core import enums
from desktop_crm.core.i18n import N_, gettext
from desktop_crm.core.services import field_names

ENTITIES = {
    "customer": N_("Customer"), "contact": N_("Contact"), "complaint": N_("Complaint"), "order": N_("Order"),
    "contract": N_("Contract"), "opportunity": N_("Opportunity"), "user": N_("User"), "setting": N_("Setting"),
    "grading": N_("Grading"), "visit": N_("Return visit"), "visit_questions": N_("Questionnaire"),
    "interaction": N_("Interaction"), "department": N_("Department"), "phrase": N_("Phrase"),
    "reminder": N_("Reminder"), "database": N_("Database"), "task": N_("Task"),
    "pool_rule": N_("Pool rule"), "holding_limit": N_("Holding limit"), "lead": N_("Lead"),
}
ACTIONS = {
    "create": N_("Added"), "update": N_("Changed"), "delete": N_("Deleted"), "import": N_("Imported"),
    "status": N_("Status changed"), "transfer": N_("Transferred"), "merge": N_("Merged"),
    "merged_into": N_("Merged into another"), "pin_grade": N_("Grade pinned"), "login": N_("Logged in"),
    "login failed": N_("Login failed"), "lockout": N_("Locked out"), "deactivate": N_("Deactivated"),
    "reset_password": N_("Password reset"), "handover": N_("Handed over"), "recompute": N_("Recomputed"),
    "backup": N_("Backed up"), "restore": N_("Restored"), "demo generated": N_("Demo data generated"),
    "plan": N_("Planned"), "done": N_("Done"), "cancel": N_("Cancelled"), "assign": N_("Assigned"),
    "note": N_("Note added"), "move": N_("Stage changed"), "action": N_("Action logged"),
    "follow_up_done": N_("Follow-up done"), "register": N_("Registered"), "accept": N_("Accepted"),
    "reject": N_("Rejected"), "process": N_("Processing started"), "resolve": N_("Resolved"),
    "close": N_("Closed"), "reopen": N_("Reopened"), "load_shipped": N_("Shipped data loaded"),
    "cancelled": N_("Cancelled"), "pin": N_("Kept with its owner"), "unpin": N_("Pool rules apply again"),
    "contact": N_("Contact logged"), "convert": N_("Converted to a customer"),
}
_VALUE_ENUMS = {
    "role": enums.ROLE, "grade": enums.GRADE, "loyalty": enums.LOYALTY, "source": enums.SOURCE,
    "purpose": enums.VISIT_PURPOSE, "category": enums.COMPLAINT_CATEGORY, "severity": enums.COMPLAINT_SEVERITY,
    "root_cause": enums.ROOT_CAUSE, "stage": enums.OPPORTUNITY_STAGE, "gender": enums.GENDER,
    "credit_rating": enums.CREDIT_RATING, "priority": enums.TASK_PRIORITY, "repeat": enums.REPEAT,
    "condition": enums.POOL_CONDITION,
}
# the same field name means a different list on different records
_ENTITY_ENUMS = {
    ("customer", "status"): enums.CUSTOMER_STATUS, ("customer", "kind"): enums.CUSTOMER_KIND,
    ("complaint", "status"): enums.COMPLAINT_STATE, ("complaint", "channel"): enums.COMPLAINT_CHANNEL,
    ("contract", "status"): enums.CONTRACT_STATUS, ("interaction", "channel"): enums.INTERACTION_CHANNEL,
    ("interaction", "kind"): enums.INTERACTION_KIND, ("visit", "feedback_tags"): enums.VISIT_FEEDBACK,
    ("task", "kind"): enums.TASK_KIND, ("task", "status"): enums.TASK_STATUS, ("lead", "status"): enums.LEAD_STATUS,
}
_VISIT_STATUS = {"planned": N_("Planned"), "done": N_("Done"), "cancelled": N_("Cancelled")}
_ENTITY_ACTIONS = {("complaint", "restore"): N_("Re-registered"), ("complaint", "import"): N_("Imported"),
                   ("task", "move"): N_("Moved")}
_VIA = {"app": N_("the app"), "command line": N_("the command line"), "demo": N_("the demo")}
_BASIS = {"sales": N_("sales"), "profit": N_("profit")}
_USER_FIELDS = {"owner_id", "assignee_id", "handler_id", "user_id", "created_by_id", "updated_by_id"}
_PAIRS = re.compile(r"([a-z_]+)=(\d+)")


def entity(key: str) -> str:
    return gettext(ENTITIES[key]) if key in ENTITIES else key


def action(key: str, entity_key: str = "") -> str:
    label = _ENTITY_ACTIONS.get((entity_key, key)) or ACTIONS.get(key)
    return gettext(label) if label else key


def field(entity_key: str, key: str) -> str:
    return field_names.label(key, entity_key)


def _customer_field(entity_key: str, field_key: str):  # noqa: ANN202
    if entity_key not in ("customer", "contact"):
        return None
    from desktop_crm.core.services.customer_fields import CONTACT_FIELD, CUSTOMER_FIELD

    return (CUSTOMER_FIELD if entity_key == "customer" else CONTACT_FIELD).get(field_key)


def _enum_list(enum, text: str) -> str:  # noqa: ANN001
    return ", ".join(enum.label(k) if k in enum.keys else k for k in text.strip(",").split(",") if k)


def _setting_text(text: str) -> str:
    """Settings are logged as JSON (so a list or a number keeps its type): shown without the quotes."""
    try:
        decoded = json.loads(text)
    except ValueError:
        return text
    if isinstance(decoded, str):
        return decoded
    if isinstance(decoded, bool):
        return "true" if decoded else "false"
    if isinstance(decoded, list):
        return ", ".join(map(str, decoded))
    if decoded is None:
        return ""
    return str(decoded) if isinstance(decoded, int | float) else text


def value(entity_key: str, field_key: str, text: str, users: Mapping[int, str] | None = None,
          departments: Mapping[int, str] | None = None) -> str:
    """A stored value as the reader says it: enum keys as labels, true/false as yes/no, ids as names."""
    if field_key == "owner_id" and entity_key == "customer" and text in ("", "None"):
        return gettext(N_("Customer pool"))  # no owner: the customer is in the pool
    if entity_key == "setting" and text:
        text = _setting_text(text)
    if not text:
        return text
    if text in ("true", "false", "True", "False"):
        return gettext(N_("Yes") if text.lower() == "true" else N_("No"))
    from_customer = _customer_field(entity_key, field_key)
    if from_customer is not None:
        if from_customer.enum is not None:
            return _enum_list(from_customer.enum, text) if "," in text else from_customer.enum.label(text)
        if from_customer.kind == "tags":
            return text.strip(",").replace(",", ", ")
    enum = _ENTITY_ENUMS.get((entity_key, field_key)) or _VALUE_ENUMS.get(field_key)
    if enum is not None:
        if text in enum.keys:
            return enum.label(text)
        if "," in text:
            return _enum_list(enum, text)
    if entity_key == "visit" and field_key == "status" and text in _VISIT_STATUS:
        return gettext(_VISIT_STATUS[text])
    if entity_key == "reminder" and field_key == "kind":
        from desktop_crm.core.services.reminders import GROUP_TITLES

        if text in GROUP_TITLES:
            return gettext(GROUP_TITLES[text])
    if field_key == "via" and text in _VIA:
        return gettext(_VIA[text])
    if field_key == "basis" and text in _BASIS:
        return gettext(_BASIS[text])
    if field_key == "grades":
        return _PAIRS.sub(lambda m: f"{enums.GRADE.label(m.group(1)) if m.group(1) in enums.GRADE.keys else m.group(1)}"
                          f" {m.group(2)}", text)
    if text.isdigit():
        if field_key == "department_id" and departments is not None:
            return departments.get(int(text), text)
        if field_key in _USER_FIELDS and users is not None:
            return users.get(int(text), text)
    return text


def record(entity_key: str, text: str) -> str:
    """System records carry an English label from the writer's code: translated when it is one;
    a setting's record is its key."""
    if entity_key == "setting" and text:
        return field_names.label(text, "setting")
    return gettext(text) if entity_key in ("grading", "database") and text else text
