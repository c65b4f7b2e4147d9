"""Upload jobs in the catalogue's database, so a job id answers after a restart and on every worker.

The API's ``JobManager`` keeps jobs in memory and writes each change through to this table; a job's
whole state is one JSON document (``body_json``) beside the columns it is queried by.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import Column, Engine, MetaData, String, Table, Text, delete, func, insert, select

metadata = MetaData()

jobs = Table(
    "jobs",
    metadata,
    Column("job_id", String, primary_key=True),
    Column("status", String, nullable=False, index=True),
    Column("owner", String, nullable=False, default=""),
    Column("created_at", String, nullable=False),
    Column("body_json", Text, nullable=False),
)


class JobStore:
    """The jobs table; ``engine`` gives the catalogue's engine (opened, and migrated, on first use)."""

    def __init__(self, engine: Callable[[], Engine]) -> None:
        self._engine = engine

    @property
    def engine(self) -> Engine:
        """The database engine the jobs live in."""
        return self._engine()

    def save_job(self, job_id: str, status: str, owner: str, created_at: str, body_json: str) -> None:
        """Insert or replace one upload job (its whole state as JSON), so a restart still knows it."""
        with self.engine.begin() as conn:
            conn.execute(delete(jobs).where(jobs.c.job_id == job_id))
            conn.execute(
                insert(jobs).values(
                    job_id=job_id, status=status, owner=owner, created_at=created_at, body_json=body_json
                )
            )

    def trim_jobs(self, keep: int, finished: Sequence[str]) -> None:
        """Drop the oldest jobs whose status is in ``finished`` beyond the newest ``keep`` jobs."""
        with self.engine.begin() as conn:
            total = conn.scalar(select(func.count()).select_from(jobs)) or 0
            excess = total - keep
            if excess <= 0:
                return
            old = list(
                conn.scalars(
                    select(jobs.c.job_id)
                    .where(jobs.c.status.in_(finished))
                    .order_by(jobs.c.created_at, jobs.c.job_id)
                    .limit(excess)
                )
            )
            if old:
                conn.execute(delete(jobs).where(jobs.c.job_id.in_(old)))

    def job(self, job_id: str) -> str | None:
        """The stored JSON state of a job, or None."""
        with self.engine.connect() as conn:
            value = conn.scalar(select(jobs.c.body_json).where(jobs.c.job_id == job_id))
        return str(value) if value is not None else None

    def jobs_with_status(self, statuses: Sequence[str]) -> list[tuple[str, str]]:
        """``(owner, body_json)`` of every job in one of ``statuses``, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(jobs.c.owner, jobs.c.body_json)
                .where(jobs.c.status.in_(statuses))
                .order_by(jobs.c.created_at, jobs.c.job_id)
            )
            return [(str(r.owner), str(r.body_json)) for r in rows]
