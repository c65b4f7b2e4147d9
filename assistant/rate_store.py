"""Rate limits shared by every worker: one token bucket per caller, kept in the catalogue's database.

Several API workers on one PostgreSQL catalogue each see a part of a caller's requests; an in-memory
bucket per worker would let a caller through ``workers x rate_limit_per_minute`` times a minute.
:class:`SharedLimiter` keeps the bucket in the ``rate_buckets`` table instead and takes a token in
one short transaction (the row locked with ``SELECT ... FOR UPDATE`` on PostgreSQL), with the same
``acquire`` contract as the in-memory ``TokenBucketLimiter``. Time is the wall clock (``time.time``),
which workers on different machines share closely enough for a per-minute limit.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import Column, Engine, Float, MetaData, String, Table, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

metadata = MetaData()

rate_buckets = Table(
    "rate_buckets",
    metadata,
    Column("identity", String, primary_key=True),
    Column("tokens", Float, nullable=False),
    Column("updated", Float, nullable=False),
)


class SharedLimiter:
    """Token buckets in the database: ``per_minute`` tokens per identity, refilled continuously."""

    def __init__(self, engine: Callable[[], Engine], per_minute: int, clock: Callable[[], float] = time.time) -> None:
        self._engine = engine
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self._clock = clock
        self._calls = 0

    def acquire(self, identity: str) -> float:
        """Take one token for ``identity``; return 0 when allowed, else the seconds until a token is free."""
        engine = self._engine()
        now = self._clock()
        insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
        with engine.begin() as conn:
            new = insert(rate_buckets).values(identity=identity, tokens=self.capacity, updated=now)
            conn.execute(new.on_conflict_do_nothing(index_elements=["identity"]))
            row = conn.execute(
                select(rate_buckets.c.tokens, rate_buckets.c.updated)
                .where(rate_buckets.c.identity == identity)
                .with_for_update()
            ).one()
            tokens = min(self.capacity, float(row.tokens) + max(0.0, now - float(row.updated)) * self.rate)
            allowed = tokens >= 1.0
            if allowed:
                tokens -= 1.0
            conn.execute(
                update(rate_buckets)
                .where(rate_buckets.c.identity == identity)
                .values(tokens=tokens, updated=max(now, float(row.updated)))
            )
        self._calls += 1
        if self._calls % 1000 == 0:
            self._forget_full(now)
        return 0.0 if allowed else (1.0 - tokens) / self.rate

    def _forget_full(self, now: float) -> None:
        """Drop buckets that have refilled completely (they behave exactly like new ones)."""
        idle = self.capacity / self.rate
        with self._engine().begin() as conn:
            conn.execute(delete(rate_buckets).where(rate_buckets.c.updated < now - idle))
