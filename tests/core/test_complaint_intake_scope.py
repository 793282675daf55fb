"""A service-desk rep identifies any caller at intake and registers their complaint, but the
customer archive stays scoped: the rep still cannot open that customer's record."""

import pytest

from desktop_crm.core.errors import NotFound, PermissionDenied
from desktop_crm.core.services import complaints, customers
from desktop_crm.core.services.complaints_query import lookup_customers


def test_service_rep_registers_a_complaint_for_a_sales_customer(team):
    owned = customers.create_customer(team["rep1"], {"name": "华东贸易有限公司", "mobile": "13800138000"})
    desk = team["rep3"]  # customer service, another department
    rows = lookup_customers(desk, "13800138000")
    assert [r[0] for r in rows] == [owned.id]
    assert [r[0] for r in lookup_customers(desk, "华东贸易")] == [owned.id]
    c = complaints.register(desk, customer_id=owned.id, channel="hotline", category="delay", severity="normal",
                            description="货物延误三天")
    assert complaints.get(desk, c.id).number == c.number
    with pytest.raises(NotFound):
        customers.get_customer(desk, owned.id)


def test_viewer_lookup_stays_read_only(team):
    customers.create_customer(team["rep1"], {"name": "只读测试公司", "mobile": "13900139000"})
    assert lookup_customers(team["viewer"], "13900139000")  # viewers see all data anyway
    with pytest.raises(PermissionDenied):
        complaints.register(team["viewer"], customer_id=1, channel="hotline", category="delay", severity="normal",
                            description="x")
