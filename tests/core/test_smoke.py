from desktop_crm.core.services import customers


def test_create_and_get(team):
    rep = team["rep1"]
    c = customers.create_customer(rep, {"name": "上海迅捷物流有限公司", "mobile": "138 0013 8000"})
    assert c.code == "C000001"
    assert c["mobile"] == "+8613800138000"
    assert customers.get_customer(rep, c.id).owner_name == "rep1"
