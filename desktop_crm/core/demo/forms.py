"""The tables the demo fills, their columns in insert order, and the form their values take.

Rows are tuples in the order of a table's columns, with values already in the form the
database driver takes (`RowForm`): on SQLite the loader hands them to the driver as they
are, skipping SQLAlchemy's per-value conversions (most of a bulk load's time); a test
checks they equal what SQLAlchemy would bind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from desktop_crm.core.models.types import Money


@dataclass(frozen=True)
class RowForm:
    """How datetimes, dates, booleans and money are written into the rows."""

    timestamp: Callable[[datetime], object]
    day: Callable[[date], object]
    flag: Callable[[bool], object]
    money: Callable[[Decimal], object]
    cents: Callable[[int], object]  # money given in integer cents
    quantity: Callable[[int], object]  # a whole quantity (stored as thousandths)


# Python values, for an INSERT through SQLAlchemy
PYTHON_FORM = RowForm(timestamp=lambda d: d, day=lambda d: d, flag=bool, money=lambda m: m,
                      cents=lambda c: Decimal(c) / 100, quantity=Decimal)
# what SQLAlchemy's SQLite types would bind: DateTime's and Date's text, 0/1, Money's integer cents
SQLITE_FORM = RowForm(timestamp=lambda d: d.isoformat(" ", "microseconds"), day=date.isoformat, flag=int,
                      money=lambda m: Money().process_bind_param(m, None), cents=int, quantity=lambda q: q * 1000)

# table -> its columns, in the order the rows are inserted (parents before children)
TABLES: dict[str, tuple[str, ...]] = {
    "customers": ("id", "code", "name", "name_norm", "kind", "status", "status_since", "grade_pinned",
                  "credit_rating", "source", "industry", "owner_id", "province", "city", "district", "address",
                  "phone", "mobile", "email", "registered_capital", "staff_size", "gender", "birthday", "needs",
                  "last_contact_at", "created_at", "created_by_id", "version", "grade_value", "grade_basis", "loyalty",
                  "abc_class"),
    "contacts": ("id", "customer_id", "name", "title", "mobile", "phone", "email", "birthday", "is_primary",
                 "is_decision_maker", "created_at", "version"),
    "customer_status_history": ("customer_id", "status", "previous", "at", "user_id", "reason"),
    "customer_search": ("customer_id", "doc"),
    "customer_transfers": ("customer_id", "from_user_id", "to_user_id", "at", "by_user_id", "reason"),
    "pool_claims": ("user_id", "customer_id", "at"),
    "orders": ("order_no", "customer_id", "date", "product", "category", "quantity", "amount", "cost",
               "paid_amount", "due_date", "created_at", "created_by_id", "version"),
    "contracts": ("number", "customer_id", "title", "signed_on", "start_on", "end_on", "amount", "status",
                  "created_at", "created_by_id", "version"),
    "opportunities": ("id", "name", "customer_id", "amount", "expected_close", "stage", "stage_since", "lost_reason",
                      "owner_id", "last_action_at", "created_at", "created_by_id", "version"),
    "opportunity_stages": ("opportunity_id", "stage", "previous", "at", "user_id", "reason"),
    "opportunity_actions": ("opportunity_id", "at", "user_id", "text"),
    "complaints": ("id", "number", "customer_id", "contact_id", "caller", "channel", "received_at", "received_by_id",
                   "order_no", "category", "severity", "description", "demand", "handler_id", "department_id",
                   "status", "solution_plan", "result", "customer_informed_at", "compensation", "root_cause",
                   "claim_amount", "claim_approved", "claim_paid_on", "satisfaction", "response_due",
                   "resolution_due", "first_response_at", "accepted_at", "resolved_at", "closed_at", "source",
                   "created_at", "created_by_id", "version"),
    "complaint_events": ("complaint_id", "at", "user_id", "kind", "from_state", "to_state", "note"),
    "visit_plans": ("id", "customer_id", "assignee_id", "due", "purpose", "status", "note", "score", "feedback_tags",
                    "feedback", "done_at", "done_by_id", "complaint_id", "created_at", "created_by_id"),
    "visit_answers": ("visit_id", "question_key", "question", "answer"),
    "interactions": ("customer_id", "contact_id", "user_id", "at", "channel", "kind", "summary", "outcome",
                     "next_follow_up", "follow_up_due", "follow_up_user_id", "follow_up_done_at", "visit_id",
                     "created_at"),
}
# tables whose ids the generator gives (so children can point at them)
NUMBERED = ("customers", "contacts", "opportunities", "complaints", "visit_plans")


def empty_rows() -> dict[str, list[tuple]]:
    return {name: [] for name in TABLES}
