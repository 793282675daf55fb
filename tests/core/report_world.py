"""A small, varied world for the report tests: customers of three owners and the pool, orders
over two years, lost customers, complaints through the workflow, visits and interactions."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from desktop_crm.core.services import (
    complaint_workflow,
    complaints,
    customers,
    grading,
    interactions,
    orders,
    visits,
)

PERIOD = (date(2026, 1, 1), date(2026, 12, 31))
NOW = datetime.now().replace(microsecond=0)

CUSTOMERS = [
    # name, kind, industry, source, province, owner, status
    ("上海华联贸易有限公司", "enterprise", "零配件销售商", "exhibition", "上海", "rep1", "active"),
    ("北京东方电气有限公司", "enterprise", "电气店", "referral", "北京", "rep1", "active"),
    ("Acme Trading Ltd.", "enterprise", "专营店", "web", "广东", "rep2", "active"),
    ("张伟", "individual", "DIY店", "phone", "浙江", "rep2", "active"),
    ("杭州西湖用品商行", "enterprise", "用品商", "club", "浙江", "rep3", "active"),
    ("深圳南山批发中心", "enterprise", "批量销售店", "agent", "广东", "rep3", "active"),
    ("李娜", "individual", None, "relatives", None, None, "target"),
    ("成都天府配件", "enterprise", "零配件销售商", "directory", "四川", "rep1", "active"),
    ("=HYPERLINK(\"x\")", "enterprise", "其他", "other", "上海", "rep2", "active"),
    ("武汉长江电器", "enterprise", "电气店", "door_to_door", "湖北", "rep1", "potential"),
]
PRODUCTS = [("机油滤清器", "配件"), ("刹车片", "配件"), ("车载充电器", "电子"), ("洗车液", "用品"), ("Wiper blade", "配件")]


def build(team) -> dict[str, int]:  # noqa: ANN001
    admin = team["admin"]
    ids: dict[str, int] = {}
    with admin.db.write() as s:
        for i, (name, kind, industry, source, province, owner, status) in enumerate(CUSTOMERS):
            data = {"name": name, "kind": kind, "source": source}
            if industry:
                data["industry"] = industry
            if province:
                data["province"] = province
            c, _w = customers.create_in_session(
                s, admin, data, owner=owner, status=status, allow_duplicates=True,
                created_at=datetime(2025, 1, 1) + timedelta(days=30 * i), status_since=datetime(2025, 1, 1))
            ids[name] = c.id
    names = [c[0] for c in CUSTOMERS]
    n = 0
    for year in (2025, 2026):
        for month in range(1, 13):
            if year == 2026 and month > 10:
                break
            for j, name in enumerate(names[:9]):
                if (month + j) % 3 == 0 and j != 6:
                    continue
                n += 1
                product, category = PRODUCTS[(n + j) % len(PRODUCTS)]
                amount = f"{(j + 1) * 1000 + month * 37 + (year - 2025) * 500}.{n % 100:02d}"
                orders.create_order(admin, ids[name], {
                    "order_no": f"SO{year}{month:02d}{j:02d}", "date": date(year, month, 5 + j), "amount": amount,
                    "product": product, "category": category, "quantity": str(1 + j % 4)})
    customers.set_status(admin, ids["深圳南山批发中心"], "lost", at=datetime(2026, 3, 15), reason="价格原因 price")
    customers.set_status(admin, ids["张伟"], "lost", at=datetime(2026, 7, 2), reason="搬迁 moved")
    grading.recompute(admin, as_of=date(2026, 10, 31))
    _complaints(team, ids)
    _visits(team, ids)
    for k, (who, name) in enumerate([("rep1", names[0]), ("rep1", names[1]), ("rep2", names[2]),
                                     ("rep3", names[4]), ("rep1", names[7])]):
        interactions.log_interaction(team[who], ids[name], channel="phone", summary=f"跟进 {k}",
                                     at=datetime(2026, 6, 1 + k, 10, 0))
    _leads(team, ids)
    return ids


def _leads(team, ids) -> None:  # noqa: ANN001
    """Leads of this year by two sources; one became the customer 武汉长江电器 (marked as the conversion
    would, so the other reports keep their numbers)."""
    from sqlalchemy import update

    from desktop_crm.core.leads import service as leads
    from desktop_crm.core.models import Lead

    made = [leads.add(team["rep1"], {"name": f"线索{k}", "phone": f"1390000000{k}", "source": source})
            for k, source in enumerate(["exhibition", "exhibition", "web"])]
    leads.log_contact(team["rep1"], made[0].id, channel="phone", text="有兴趣")
    with team["admin"].db.write() as s:
        s.execute(update(Lead).where(Lead.id == made[0].id).values(
            status="converted", customer_id=ids["武汉长江电器"], converted_at=made[0].created_at + timedelta(days=4)))


def _complaints(team, ids) -> None:  # noqa: ANN001
    specs = [
        ("rep1", "上海华联贸易有限公司", "quality", "normal", "hotline", "close", 5),
        ("rep1", "北京东方电气有限公司", "delay", "major", "phone", "resolve", None),
        ("rep2", "Acme Trading Ltd.", "attitude", "normal", "email", "close", 3),
        ("rep3", "杭州西湖用品商行", "damage", "critical", "wechat", "accept", None),
        ("rep3", "深圳南山批发中心", "billing", "normal", "web", None, None),
        ("rep2", "张伟", "quality", "major", "visit", "close", 4),
    ]
    for k, (who, name, category, severity, channel, until, score) in enumerate(specs):
        ctx = team[who]
        received = datetime(2026, 5 + k, 10, 9, 0)
        c = complaints.register(ctx, customer_id=ids[name], channel=channel, category=category, severity=severity,
                                description=f"投诉 {k}", received_at=received)
        if until is None:
            continue
        t = received
        moves = [("accepted", {})]
        if until in ("resolve", "close"):
            moves += [("processing", {"solution_plan": "方案"}),
                      ("resolved", {"result": "已处理", "compensation": "0", "customer_informed_at": received
                                    + timedelta(hours=30)})]
        if until == "close":
            moves.append(("closed", {"satisfaction": score}))
        boss = team["sup_sales"] if who != "rep3" else team["sup_service"]
        for to_state, inputs in moves:
            t += timedelta(hours=5 + k)
            actor = boss if to_state == "closed" and severity != "normal" else ctx
            if to_state == "resolved":
                inputs = {**inputs, "customer_informed_at": t}
            complaint_workflow.move(actor, c.id, to_state, at=t, **inputs)
        if category in ("delay", "damage"):
            complaints.update(team["admin"], c.id, root_cause="carrier")


def _visits(team, ids) -> None:  # noqa: ANN001
    admin = team["admin"]
    plans = [("rep1", "上海华联贸易有限公司", "old_customer", 5, ["need"]),
             ("rep1", "北京东方电气有限公司", "after_sales", 4, ["intent", "need"]),
             ("rep2", "Acme Trading Ltd.", "after_complaint", 2, ["grievance"]),
             ("rep3", "杭州西湖用品商行", "new_customer", None, []),
             ("rep2", "张伟", "old_customer", None, [])]
    users = {u: team[u].actor.id for u in ("rep1", "rep2", "rep3")}
    for k, (who, name, purpose, score, tags) in enumerate(plans):
        (vid,) = visits.plan_visits(admin, [ids[name]], date(2026, 11, 1 + k), assignee_id=users[who],
                                    purpose=purpose)
        if score is not None:
            visits.complete_visit(team[who], vid, score=score, tags=tags, feedback="反馈")
