"""The search box on the real database: every matching rule, scope, and the index kept
current through edits, contacts and merges."""

import pytest
from sqlalchemy import select, text

from desktop_crm.core import search
from desktop_crm.core.search import sqlite_fts
from desktop_crm.core.services import contacts, customer_query, customers, merge, transfers
from desktop_crm.core.services.customer_query import CustomerFilter


def find(ctx, query):  # noqa: ANN001, ANN201
    return {r[2] for r in customer_query.page(ctx, CustomerFilter(search=query), columns=["name"], limit=1000)}


def count(ctx, query):  # noqa: ANN001, ANN201
    return customer_query.count(ctx, CustomerFilter(search=query))


@pytest.fixture
def archive(team):  # noqa: ANN001, ANN201
    mgr = team["manager"]
    made = {}
    for name, data, owner in [
        ("上海迅捷物流有限公司", {"mobile": "+86 138 0013 8000", "email": "info@xunjie-logistics.com.cn",
                               "phone": "021-6234 5678"}, "rep1"),
        ("张三", {"kind": "individual", "mobile": "13900139000", "email": "zhang.san@example.com"}, "rep1"),
        ("北京华信电子有限公司", {"mobile": "13700137000"}, "rep2"),
        ("曾伟", {"kind": "individual"}, "rep1"), ("单丽", {"kind": "individual"}, "rep1"),
        ("解明", {"kind": "individual"}, "rep1"), ("仇敏", {"kind": "individual"}, "rep1"),
        ("区志强", {"kind": "individual"}, "rep1"), ("查红", {"kind": "individual"}, "rep1"),
        ("朴海", {"kind": "individual"}, "rep1"), ("盖军", {"kind": "individual"}, "rep1"),
        ("乐静", {"kind": "individual"}, "rep1"), ("尉迟恭", {"kind": "individual"}, "rep1"),
        ("万俟明", {"kind": "individual"}, "rep1"), ("张三丰商行", {}, "rep1"),
    ]:
        made[name] = customers.create_customer(mgr, {"name": name, **data}, owner=owner, allow_duplicates=True)
    contacts.save_contact(mgr, made["北京华信电子有限公司"].id,
                          {"name": "李四", "mobile": "+86 186 1234 5678", "email": "lisi@huaxin.cn"})
    return made


def test_code_name_and_contact_names(team, archive):
    mgr = team["manager"]
    code = archive["张三"].code
    assert find(mgr, code) == {"张三"}
    assert find(mgr, code.lower()) == {"张三"}
    assert find(mgr, "迅捷") == {"上海迅捷物流有限公司"}
    assert find(mgr, "李四") == {"北京华信电子有限公司"}  # a contact's name finds the customer


def test_chinese_of_any_length(team, archive):
    mgr = team["manager"]
    assert find(mgr, "迅") == {"上海迅捷物流有限公司"}  # one character
    assert find(mgr, "华信") == {"北京华信电子有限公司"}  # two
    assert find(mgr, "迅捷物流") == {"上海迅捷物流有限公司"}  # four
    assert find(mgr, "张三") == {"张三", "张三丰商行"}
    assert find(mgr, "捷迅") == set()  # characters in order, not anywhere
    assert find(mgr, "有限公司") == {"上海迅捷物流有限公司", "北京华信电子有限公司"}


@pytest.mark.parametrize("query", ["0013", "38001", "138-0013", "13800138000", "+8613800138000", "+86 138 0013 8000",
                                   "138 0013 8000", "（138）0013", "8000", "13"])
def test_phone_in_any_formatting(team, archive, query):
    assert "上海迅捷物流有限公司" in find(team["manager"], query)


def test_landline_and_contact_phones(team, archive):
    mgr = team["manager"]
    assert find(mgr, "021-62345678") == {"上海迅捷物流有限公司"}
    assert find(mgr, "6234 5678") == {"上海迅捷物流有限公司"}
    assert find(mgr, "186-1234") == {"北京华信电子有限公司"}  # a contact's mobile
    assert find(mgr, "99999") == set()


@pytest.mark.parametrize("query", ["010-6480 5447", "01064805447", "+86 10 6480 5447", "6480-5447", "(010)6480"])
def test_beijing_landline_with_or_without_its_trunk_zero(team, query):
    mgr = team["manager"]
    customers.create_customer(mgr, {"name": "北京腾飞建材有限公司", "phone": "010-6480 5447"}, allow_duplicates=True)
    assert find(mgr, query) == {"北京腾飞建材有限公司"}


def test_email_fragments(team, archive):
    mgr = team["manager"]
    assert find(mgr, "zhang.san@") == {"张三"}
    assert find(mgr, "example.com") == {"张三"}
    assert find(mgr, "xunjie-log") == {"上海迅捷物流有限公司"}
    assert find(mgr, "huaxin.cn") == {"北京华信电子有限公司"}


@pytest.mark.parametrize("query", ["zhangsan", "ZhangSan", "zs", "zhang", "zhangs", "angsa"])
def test_pinyin_full_initials_and_fragments(team, archive, query):
    assert "张三" in find(team["manager"], query)


def test_pinyin_of_companies(team, archive):
    mgr = team["manager"]
    assert find(mgr, "xunjie") == {"上海迅捷物流有限公司"}
    assert find(mgr, "shxj") == {"上海迅捷物流有限公司"}
    assert "北京华信电子有限公司" in find(mgr, "ls")  # contact 李四 by initials


@pytest.mark.parametrize(("name", "full", "initials"), [
    ("曾伟", "zengwei", "zw"), ("单丽", "shanli", "sl"), ("解明", "xieming", "xm"), ("仇敏", "qiumin", "qm"),
    ("区志强", "ouzhiqiang", "ozq"), ("查红", "zhahong", "zh"), ("朴海", "piaohai", "ph"), ("盖军", "gejun", "gj"),
    ("乐静", "yuejing", "yj"), ("尉迟恭", "yuchigong", "ycg"), ("万俟明", "moqiming", "mqm"),
])
def test_surnames_pypinyin_reads_wrong(team, archive, name, full, initials):
    mgr = team["manager"]
    assert name in find(mgr, full)
    assert name in find(mgr, initials)


def test_terms_and_together(team, archive):
    mgr = team["manager"]
    assert find(mgr, "张三 商行") == {"张三丰商行"}
    assert find(mgr, "zs 6234") == set()
    assert find(mgr, "迅捷 38001") == {"上海迅捷物流有限公司"}
    assert find(mgr, "北京 lisi 1234") == {"北京华信电子有限公司"}
    assert find(mgr, "北京 上海") == set()


def test_count_matches_page(team, archive):
    mgr = team["manager"]
    for query in ["有限", "张", "zs", "38001", "", "13"]:
        assert count(mgr, query) == len(customer_query.page(mgr, CustomerFilter(search=query), limit=1000))


def test_scope_staff_never_finds_a_colleagues_customer(team, archive):
    rep2 = team["rep2"]
    assert find(rep2, "迅捷") == set()
    assert find(rep2, "38001") == set()
    assert find(rep2, "zhangsan") == set()
    assert count(rep2, "有限公司") == 1  # only their own
    assert find(team["rep1"], "华信") == set()
    assert find(team["rep3"], "有限公司") == set()  # another department
    assert find(team["sup_sales"], "有限公司") == {"上海迅捷物流有限公司", "北京华信电子有限公司"}
    # combined with a filter on a field
    flt = CustomerFilter(search="有限公司", fields={"kind": ["enterprise"]})
    assert customer_query.count(rep2, flt) == 1


def test_scope_follows_every_change_of_owner(db, team, archive):
    """The index carries each customer's owner (SQLite: a token kept by a trigger): a transfer,
    a move to the pool and a handover change what a rep's search finds at once."""
    from desktop_crm.core.services import users

    mgr, rep1, rep2 = team["manager"], team["rep1"], team["rep2"]
    firm = archive["上海迅捷物流有限公司"]
    rep2_id = users.actor_by_name(db, "rep2").id
    transfers.transfer(mgr, [firm.id], rep2_id, "区域调整")
    assert find(rep2, "迅捷") == find(rep2, "38001") == find(rep2, "xunjie") == {"上海迅捷物流有限公司"}
    assert find(rep1, "迅捷") == set() and count(rep1, "38001") == 0
    transfers.transfer(mgr, [firm.id], None, "退回公海")  # the pool: every rep sees it
    assert find(rep1, "迅捷") == find(rep2, "迅捷") == find(team["rep3"], "迅捷") == {"上海迅捷物流有限公司"}
    transfers.transfer_all_of(mgr, users.actor_by_name(db, "rep1").id, rep2_id, "离职交接")
    assert count(rep1, "zs") == 0 and find(rep2, "zs") == {"张三", "张三丰商行"}
    for who in ("rep1", "rep2", "rep3", "sup_sales", "sup_service", "viewer", "manager"):
        visible = set(customer_query.ids(team[who], CustomerFilter()))  # the scope on the customer rows
        for query in ("有限", "张", "zs", "38001", "13", "zhang", "xunjie 138"):
            expected = set(customer_query.ids(team["admin"], CustomerFilter(search=query))) & visible
            assert count(team[who], query) == len(expected), (who, query)  # counted in the index alone
            assert set(customer_query.ids(team[who], CustomerFilter(search=query))) == expected, (who, query)


def test_nothing_typed_matches_an_owner(db, team, archive):
    """Owner ids are in the documents as private-use characters: no typed term finds them."""
    from desktop_crm.core.models import CustomerSearch
    from desktop_crm.core.services import users

    mgr = team["manager"]
    with db.read() as s:
        texts = {cid: doc.split(chr(0xE000))[0] for cid, doc in s.execute(
            select(CustomerSearch.customer_id, CustomerSearch.doc))}
    for who in ("rep1", "rep2", "manager"):
        uid = str(users.actor_by_name(db, who).id)
        for query in (uid, uid * 3, f"o{uid}", f"{uid}{uid}{uid}"):
            found = customer_query.ids(mgr, CustomerFilter(search=query))
            assert count(mgr, query) == len(found), query
            assert all(query in texts[cid] for cid in found), query  # found by its text, never by its owner


@pytest.mark.sqlite_only
def test_an_index_of_the_older_form_is_rebuilt_at_start(db, team, archive):
    """Databases indexed before scope tokens (trigram detail=none, documents without tokens)."""
    with db.engine.begin() as conn:
        sqlite_fts.drop(conn)
        conn.exec_driver_sql(f"UPDATE customer_search SET doc = substr(doc, 1, instr(doc, char({0xE000})) - 2)")
        conn.exec_driver_sql(f"CREATE VIRTUAL TABLE {sqlite_fts.TRIGRAM} USING fts5(doc, content='customer_search', "
                             "content_rowid='customer_id', tokenize='trigram', detail=none)")
        conn.exec_driver_sql(f"INSERT INTO {sqlite_fts.TRIGRAM}({sqlite_fts.TRIGRAM}) VALUES ('rebuild')")
    sqlite_fts._ready.pop(db.engine, None)
    search.install(db.engine)
    with db.engine.connect() as conn:
        docs = [r[0] for r in conn.exec_driver_sql("SELECT doc FROM customer_search")]
    assert docs and all(d.endswith(chr(0xE001)) and d.count(chr(0xE000)) == 1 for d in docs)
    assert find(team["rep1"], "迅捷") == {"上海迅捷物流有限公司"} and find(team["rep2"], "迅捷") == set()
    assert find(team["rep1"], "38001") == {"上海迅捷物流有限公司"}


def test_reindex_after_edit_contact_and_merge(team, archive):
    mgr = team["manager"]
    c = archive["上海迅捷物流有限公司"]
    customers.update_customer(mgr, c.id, {"name": "上海飞鸿物流有限公司", "mobile": "13511112222"},
                              expected_version=c.version)
    assert find(mgr, "迅捷") == set() and find(mgr, "38001") == set()
    assert find(mgr, "飞鸿") == {"上海飞鸿物流有限公司"}
    assert find(mgr, "feihong") == {"上海飞鸿物流有限公司"}
    assert find(mgr, "1111") == {"上海飞鸿物流有限公司"}
    contact = contacts.save_contact(mgr, c.id, {"name": "欧阳娜娜", "mobile": "13366667777"})
    assert find(mgr, "欧阳") == {"上海飞鸿物流有限公司"}
    assert find(mgr, "6666") == {"上海飞鸿物流有限公司"}
    contacts.delete_contact(mgr, c.id, contact.id)
    assert find(mgr, "欧阳") == set()
    # merge: the other customer disappears from the index, the kept one gains its contacts
    other = archive["北京华信电子有限公司"]
    merge.merge_customers(mgr, c.id, other.id)
    assert find(mgr, "华信") == set()
    assert find(mgr, "李四") == {"上海飞鸿物流有限公司"}
    assert count(mgr, "有限公司") == 1


def test_empty_and_punctuation_queries(team, archive):
    mgr = team["manager"]
    total = customer_query.count(mgr, CustomerFilter())
    assert count(mgr, "") == total
    assert count(mgr, "  -  ") == total
    assert count(mgr, '"') == total


def test_sort_and_paging_with_search(team, archive):
    mgr = team["manager"]
    flt = CustomerFilter(search="有限公司")
    for sort in ("code", "name", "owner", "city", "kind", "created_at"):
        rows = customer_query.page(mgr, flt, columns=["name"], sort=sort, limit=1)
        rest = customer_query.page(mgr, flt, columns=["name"], sort=sort, offset=1, limit=10)
        assert len(rows) == 1 and len(rest) == 1 and rows[0][0] != rest[0][0]
    names = [r[2] for r in customer_query.page(mgr, CustomerFilter(search="公司"), columns=["name"], sort="name",
                                               descending=True)]
    assert names == sorted(names, reverse=True)


def test_broad_search_walks_the_sort_order(team, archive, monkeypatch):
    mgr = team["manager"]
    expected = [r[0] for r in customer_query.page(mgr, CustomerFilter(search="z"), sort="name")]
    monkeypatch.setattr(customer_query, "BROAD_MATCH", 1)
    assert [r[0] for r in customer_query.page(mgr, CustomerFilter(search="z"), sort="name")] == expected
    monkeypatch.setattr(customer_query, "VERY_BROAD_MATCH", 1)
    assert [r[0] for r in customer_query.page(mgr, CustomerFilter(search="z"), sort="name")] == expected
    for query in ("迅捷", "zs", "38001", "北京 lisi 1234", "有限 gs"):
        assert find(mgr, query) == find(team["admin"], query)
    assert len(expected) > 2


@pytest.mark.sqlite_only
def test_sqlite_uses_fts5_indexes(db, team, archive):
    with db.engine.connect() as conn:
        names = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master"))}
        assert {sqlite_fts.WORDS, sqlite_fts.TRIGRAM} <= names
        n = conn.execute(text(f"SELECT count(*) FROM {sqlite_fts.WORDS} WHERE {sqlite_fts.WORDS} MATCH '\"迅\"'"))
        assert n.scalar() == 1
    search.install(db.engine)  # idempotent
    assert find(team["manager"], "迅捷") == {"上海迅捷物流有限公司"}


@pytest.mark.sqlite_only
def test_each_index_reads_only_its_part_of_the_documents(db, team, archive):
    mgr = team["manager"]
    customers.create_customer(mgr, {"name": "Apple贸易(上海)有限公司"}, allow_duplicates=True)
    tri = sqlite_fts.TRIGRAM

    def count_in(index: str, query: str) -> int:
        with db.engine.connect() as conn:
            return conn.exec_driver_sql(f"SELECT count(*) FROM {index} WHERE {index} MATCH ?", (query,)).scalar()

    def trigram_count(query: str) -> int:
        return count_in(tri, query)

    assert trigram_count('"迅 捷 物"') == 0 and trigram_count('"xunjie"') == 1  # no Chinese in it
    # the word index holds words' first two characters, all a 1-2 character term needs
    assert count_in(sqlite_fts.WORDS, '"zhangsan"') == 0 and count_in(sqlite_fts.WORDS, '"zh"') >= 1
    assert "张三" in find(mgr, "zh") and "张三" in find(mgr, "z") and "张三" in find(mgr, "zs")
    assert find(mgr, "ex") == {"张三"}  # zhang.san@example.com: every word of an e-mail
    assert find(mgr, "迅捷物") == {"上海迅捷物流有限公司"}  # Chinese is the word index's
    assert find(mgr, "appl") == {"Apple贸易(上海)有限公司"}  # a latin word of a name is still a substring
    # a database indexed whole (before the view) is re-indexed at start
    with db.engine.begin() as conn:
        sqlite_fts.drop(conn)
        conn.exec_driver_sql(f"CREATE VIRTUAL TABLE {tri} USING fts5(doc, content='customer_search', "
                             "content_rowid='customer_id', tokenize='trigram', detail=full)")
        conn.exec_driver_sql(f"INSERT INTO {tri}({tri}) VALUES ('rebuild')")
    assert trigram_count('"迅 捷 物"') == 1
    sqlite_fts._ready.pop(db.engine, None)
    search.install(db.engine)
    assert trigram_count('"迅 捷 物"') == 0 and find(mgr, "appl") == {"Apple贸易(上海)有限公司"}
    with db.engine.begin() as conn:
        conn.exec_driver_sql(f"INSERT INTO {tri}({tri}, rank) VALUES ('integrity-check', 1)")


@pytest.mark.sqlite_only
def test_install_fills_a_new_index_from_existing_documents(db, team, archive):
    with db.engine.begin() as conn:
        sqlite_fts.drop(conn)
    search.install(db.engine)
    assert find(team["manager"], "迅") == {"上海迅捷物流有限公司"}
    assert find(team["manager"], "38001") == {"上海迅捷物流有限公司"}


@pytest.mark.sqlite_only
def test_without_fts5_the_generic_backend_answers(db, team, archive, monkeypatch):
    monkeypatch.setattr(sqlite_fts, "fts5_available", lambda: False)
    sqlite_fts.install(db.engine)
    try:
        assert find(team["manager"], "迅") == {"上海迅捷物流有限公司"}
        assert find(team["manager"], "138-0013") == {"上海迅捷物流有限公司"}
        assert "张三" in find(team["manager"], "zs")
    finally:
        sqlite_fts._ready.pop(db.engine, None)


def test_query_terms_in_document_form():
    from desktop_crm.core.search.document import normalize_query

    assert normalize_query("张三  ＺＳ 138-0013 8000") == ["张 三", "zs", "13800138000"]
    assert normalize_query("+86 21 6234 5678") == ["02162345678"]
    assert normalize_query("A座 - !!") == ["a 座"]


def _pages_match_at_every_offset(ctx) -> None:  # noqa: ANN001
    """Short pages at every offset equal the slices of one long page: the owner holding an offset
    is found counting from either end."""
    for descending in (False, True):
        whole = [r[0] for r in customer_query.page(ctx, CustomerFilter(), sort="owner", descending=descending,
                                                   limit=1000)]
        for offset in range(len(whole) + 1):
            part = customer_query.page(ctx, CustomerFilter(), sort="owner", descending=descending, offset=offset,
                                       limit=3)
            assert [r[0] for r in part] == whole[offset:offset + 3], (descending, offset)


def test_sort_by_owner_pages_across_owners(team, archive):
    mgr = team["manager"]
    customers.create_customer(mgr, {"name": "池中客户有限公司"}, owner="pool", allow_duplicates=True)
    rows = customer_query.page(mgr, CustomerFilter(), columns=["owner", "name"], sort="owner", limit=1000)
    owners = [r[2] or "" for r in rows]
    assert owners == sorted(owners) and owners[0] == ""  # the pool first, then by user name
    ids = [r[0] for r in rows]
    for owner in set(owners):
        mine = [i for i, o in zip(ids, owners, strict=True) if o == owner]
        assert mine == sorted(mine)
    pieces = []
    for offset in range(0, len(ids), 4):
        pieces += [r[0] for r in customer_query.page(mgr, CustomerFilter(), sort="owner", offset=offset, limit=4)]
    assert pieces == ids
    back = [r[0] for r in customer_query.page(mgr, CustomerFilter(), sort="owner", descending=True, limit=1000)]
    assert back == ids[::-1]
    _pages_match_at_every_offset(mgr)
    # staff see their own and the pool, in the same order
    rep1 = [r[0] for r in customer_query.page(team["rep1"], CustomerFilter(), sort="owner", limit=1000)]
    assert rep1 == [i for i, o in zip(ids, owners, strict=True) if o in ("", "rep1")]
    # with a search the database sorts the matches
    found = customer_query.page(mgr, CustomerFilter(search="有限公司"), columns=["owner"], sort="owner")
    assert [r[2] or "" for r in found] == sorted(r[2] or "" for r in found)
    transfers.transfer_all_of(mgr, team["rep1"].actor.id, None, "离职")  # the first owner (the pool) holds most
    _pages_match_at_every_offset(mgr)
