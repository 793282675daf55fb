"""What each SQLite search index costs to build over the whole document versus the part of it
that index reads (sqlite_fts.indexed_sql), on demo documents in memory.

    python bench/bench_search_index_parts.py [--documents 200000]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import time
from datetime import datetime

from desktop_crm.core.demo import people
from desktop_crm.core.demo.forms import SQLITE_FORM, empty_rows
from desktop_crm.core.search import sqlite_fts


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--documents", type=int, default=200_000)
    n = p.parse_args().documents
    pools = people.Pools(random.Random(1), ["制造业", "零售", "物流"])
    docs: list[tuple[int, str]] = []
    for off in range(0, n, 20_000):
        codes = [f"C{k:07d}" for k in range(off, min(n, off + 20_000))]
        rows = empty_rows()
        people.batch(pools, off + 1, 3 * off + 1, codes, [2, 3, 4, None], 1, datetime(2026, 1, 1), rows,
                     with_scope=sqlite_fts.with_scope, form=SQLITE_FORM)
        docs += rows["customer_search"]
    for name, options in sqlite_fts.OPTIONS.items():
        for label, text in (("whole document", "?2"), ("its part", sqlite_fts.indexed_sql(name, "?2"))):
            con = sqlite3.connect(":memory:", isolation_level=None)
            con.execute(f"CREATE VIRTUAL TABLE {name} USING fts5(doc, content='', {options})")
            t = time.perf_counter()
            con.execute("BEGIN")
            con.executemany(f"INSERT INTO {name}(rowid, doc) VALUES (?1, {text})", docs)
            con.execute(f"INSERT INTO {name}({name}) VALUES ('optimize')")
            con.execute("COMMIT")
            size = con.execute(f"SELECT sum(length(block)) FROM {name}_data").fetchone()[0] / 2**20
            print(f"{name:22s} {label:15s} {time.perf_counter() - t:6.2f} s  {size:6.1f} MB  ({n} documents)")


if __name__ == "__main__":
    main()
