"""Building the SQLite search indexes of a bulk load in side processes.

Tokenizing a million documents into the two FTS5 indexes is most of the work of a bulk
load, and it needs nothing but the documents. So each index is built by a process of its
own, into a scratch SQLite file, while the loader goes on writing rows and B-tree indexes;
the finished indexes are then grafted in (`sqlite_fts.graft`) inside the loader's
transaction, so the load still commits all or nothing.
"""

from __future__ import annotations

import contextlib
import marshal
import multiprocessing
import os
import queue
import shutil
import sqlite3
import tempfile
from collections.abc import Callable

from desktop_crm.core.search.sqlite_fts import OPTIONS, indexed_sql


def _build(name: str, options: str, path: str, docs: multiprocessing.Queue, done: multiprocessing.Queue) -> None:
    """In the side process: index every batch of (customer id, document) from `docs` (`packed`)
    until None (the part of it the index reads, by the same SQL as the database's view), merge
    the index into one segment, report (name, error or None) on `done`."""
    try:
        con = sqlite3.connect(path, isolation_level=None)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-131072"):
            con.execute(f"PRAGMA {pragma}")  # a scratch file: nothing to recover if this dies
        con.execute(f"CREATE VIRTUAL TABLE {name} USING fts5(doc, content='', {options})")
        con.execute("BEGIN")
        insert = f"INSERT INTO {name}(rowid, doc) VALUES (?1, {indexed_sql(name, '?2')})"
        while (batch := docs.get()) is not None:
            con.executemany(insert, marshal.loads(batch))
        con.execute(f"INSERT INTO {name}({name}) VALUES ('optimize')")
        con.execute("COMMIT")
        con.close()
        done.put((name, None))
    except BaseException as exc:  # noqa: BLE001 - reported to the loader, which falls back
        done.put((name, f"{type(exc).__name__}: {exc}"))


class SideBuildFailed(RuntimeError):
    pass


def pack(rows: object) -> bytes:
    """Rows of plain values (ints, strings, None in lists and tuples) as bytes for another process:
    marshal, two to three times faster than pickle for them."""
    return marshal.dumps(rows)


class SideBuild:
    """The FTS5 indexes of the documents passed to `add`, each built by a process of its own.
    Use as a context manager: leaving it stops the processes and removes the scratch files."""

    def __init__(self, folder: str | None = None):
        self.folder = tempfile.mkdtemp(prefix="crm-search-", dir=folder)
        ctx = multiprocessing.get_context("spawn")  # a fork would copy the loader's open connection
        self._done = ctx.Queue()
        self._workers: dict[str, tuple[multiprocessing.Process, multiprocessing.Queue, str]] = {}
        try:
            for name, options in OPTIONS.items():
                path = os.path.join(self.folder, f"{name}.sqlite3")
                docs = ctx.Queue()
                proc = ctx.Process(target=_build, args=(name, options, path, docs, self._done),
                                   name=f"crm-{name}", daemon=True)
                self._workers[name] = (proc, docs, path)
                proc.start()
        except BaseException:
            self.close()  # no process left waiting for documents that will never come
            raise

    def __enter__(self) -> SideBuild:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, docs: list[tuple[int, str]]) -> None:
        """Queue a batch of (customer id, stored document); returns at once."""
        self.add_packed(pack(docs))

    def add_packed(self, data: bytes) -> None:
        """`add` of a batch packed already (by the process that made it)."""
        for _proc, q, _path in self._workers.values():
            q.put(data)

    def finish(self, waiting: Callable[[], None] = lambda: None) -> dict[str, str]:
        """Wait for every index (calling `waiting` about once a second, which may raise to
        give up); returns index name -> file to graft."""
        for _proc, q, _path in self._workers.values():
            q.put(None)
        pending = set(self._workers)
        while pending:
            waiting()
            try:
                name, error = self._done.get(timeout=1.0)
            except queue.Empty:
                dead = [n for n in pending if not self._workers[n][0].is_alive()]
                if dead and self._done.empty():
                    raise SideBuildFailed(f"{dead[0]}: exit code {self._workers[dead[0]][0].exitcode}") from None
                continue
            if error:
                raise SideBuildFailed(f"{name}: {error}")
            pending.discard(name)
        return {name: path for name, (_proc, _q, path) in self._workers.items()}

    def close(self) -> None:
        for proc, q, _path in self._workers.values():
            if proc.pid is not None:  # started
                if proc.is_alive():
                    proc.terminate()
                proc.join(timeout=10)
            q.cancel_join_thread()  # batches never read must not hold up the loader's exit
            q.close()
        self._done.close()
        with contextlib.suppress(OSError):
            shutil.rmtree(self.folder)
