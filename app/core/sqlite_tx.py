"""The write transaction of MoEscope's SQLite stores (the conversations, the document index)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def write_transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A write transaction on ``db`` (opened with ``isolation_level=None``): the write lock taken at once
    (BEGIN IMMEDIATE, so that it never fails half-way for a lock), committed at the end of the block,
    rolled back on an exception."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
