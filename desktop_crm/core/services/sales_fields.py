"""The names of the fields of orders, contracts and opportunities, as screens, files and the audit
log show them."""

from __future__ import annotations

from desktop_crm.core.i18n import N_

FIELD_TITLES = {
    "order_no": N_("Order no."), "date": N_("Date"), "customer_code": N_("Customer code"),
    "customer_name": N_("Customer"), "product": N_("Product"), "category": N_("Product category"),
    "quantity": N_("Quantity"), "amount": N_("Amount"), "cost": N_("Cost"), "paid_amount": N_("Paid"),
    "receivable": N_("Receivable"), "due_date": N_("Payment due"), "owner": N_("Owner"), "notes": N_("Notes"),
    "number": N_("Contract no."), "title": N_("Contract title"), "signed_on": N_("Signed"), "start_on": N_("Start"),
    "end_on": N_("End"), "status": N_("Status"), "name": N_("Name"), "expected_close": N_("Expected close"),
    "stage": N_("Stage"), "last_action_at": N_("Last action"),
}
MONEY = {"amount", "cost", "paid_amount", "receivable"}
