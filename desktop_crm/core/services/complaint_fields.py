"""Cleaning complaint fields (enumerations by key or Chinese label, texts, money, dates)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from desktop_crm.core.enums import COMPLAINT_CATEGORY, COMPLAINT_CHANNEL, COMPLAINT_SEVERITY, ROOT_CAUSE
from desktop_crm.core.errors import ValidationError
from desktop_crm.core.i18n import N_, _
from desktop_crm.core.models.types import to_money
from desktop_crm.core.rules.parsing import (
    clean_text,
    parse_date,
    parse_datetime,
    parse_decimal,
    strip_control,
)


def _enum_field(errors: dict[str, str], out: dict, key: str, enum, value: object, required: bool) -> None:  # noqa: ANN001
    if value in (None, ""):
        if required:
            errors[key] = _("is required")
        out[key] = None
        return
    try:
        out[key] = enum.parse(value)
    except ValueError as exc:
        errors[key] = str(exc)


def clean_fields(values: dict[str, object], *, partial: bool = False) -> dict[str, object]:
    """Normalise complaint fields; ValidationError names every bad field. `partial`: only keys given."""
    errors: dict[str, str] = {}
    out: dict[str, object] = {}
    required = {"customer_id", "channel", "category", "severity", "description"}
    for key, value in values.items():
        need = key in required
        if key in ("channel", "category", "severity", "root_cause"):
            enum = {"channel": COMPLAINT_CHANNEL, "category": COMPLAINT_CATEGORY, "severity": COMPLAINT_SEVERITY,
                    "root_cause": ROOT_CAUSE}[key]
            _enum_field(errors, out, key, enum, value, need)
        elif key in ("description", "demand"):
            text = strip_control(str(value or ""), multiline=True).strip()
            if need and not text:
                errors[key] = _("is required: write down what the customer said") if key == "description" \
                    else _("is required")
            out[key] = text or None
        elif key in ("caller", "caller_phone", "order_no"):
            text = clean_text(value or "")
            limit = {"caller": 100, "caller_phone": 32, "order_no": 64}[key]
            if len(text) > limit:
                errors[key] = _("is longer than {n} characters").format(n=limit)
            out[key] = text or None
        elif key in ("claim_amount", "claim_approved"):
            try:
                amount = None if value in (None, "") else to_money(
                    value if isinstance(value, Decimal) else parse_decimal(value))
            except ValueError as exc:
                errors[key] = str(exc)
                continue
            if amount is not None and amount < 0:
                errors[key] = _("cannot be negative")
            out[key] = amount
        elif key == "claim_paid_on":
            try:
                out[key] = None if value in (None, "") else parse_date(value)
            except ValueError as exc:
                errors[key] = str(exc)
        elif key == "received_at":
            try:
                out[key] = None if value in (None, "") else parse_datetime(value).replace(microsecond=0)
            except ValueError as exc:
                errors[key] = str(exc)
        else:
            out[key] = value
    if "received_at" in out and out["received_at"] is not None and out["received_at"] > datetime.now():  # type: ignore[operator]
        errors["received_at"] = _("is in the future")
    if errors:
        raise ValidationError(errors)
    return out


# the names of the fields, as screens, files and the audit log show them
FIELD_TITLES = {
    "number": N_("Number"), "status": N_("Status"), "severity": N_("Severity"), "category": N_("Complaint category"),
    "channel": N_("Channel"), "customer_code": N_("Customer code"), "customer_name": N_("Customer"),
    "received_at": N_("Received"), "handler": N_("Handler"), "next_due": N_("Time left"),
    "overdue": N_("Overdue"), "order_no": N_("Order / waybill no"), "description": N_("What the customer said"),
    "demand": N_("Demand"), "response_due": N_("Response due"), "resolution_due": N_("Resolution due"),
    "first_response_at": N_("First response"), "accepted_at": N_("Accepted at"), "resolved_at": N_("Resolved at"),
    "closed_at": N_("Closed at"), "satisfaction": N_("Satisfaction"), "solution_plan": N_("Solution plan"),
    "result": N_("Result"), "compensation": N_("Compensation"), "customer_informed_at": N_("Customer informed"),
    "root_cause": N_("Root cause"), "claim_amount": N_("Amount claimed"), "claim_approved": N_("Amount approved"),
    "claim_paid_on": N_("Claim paid on"), "received_by": N_("Received by"), "department": N_("Department"),
    "contact": N_("Contact"), "caller": N_("Caller"), "caller_phone": N_("Caller phone"),
    "reason": N_("Reason"), "note": N_("Note"), "at": N_("When"), "source": N_("Source"),
}
