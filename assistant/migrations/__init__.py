"""The catalogue's database: the engine, and its schema kept by Alembic migrations.

``open_database(url)`` creates the engine (SQLite pragmas on SQLite only) and brings the schema to
the newest revision (``upgrade head``) before anything reads it. A store made before migrations
existed (tables created by ``metadata.create_all``, no ``alembic_version`` table) is adopted: it is
stamped at the revisions whose tables it already has, then upgraded. Revisions live in
``versions/`` and use SQLAlchemy operations only, so they run on SQLite and on PostgreSQL alike.

A new revision, for a maintainer who changes a table::

    alembic -c assistant/migrations/alembic.ini revision -m "what changes"
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text

from ingestion.text.errors import ConfigurationError

MIGRATIONS_DIR = Path(__file__).resolve().parent
# Adoption of a store made by create_all: the revision that creates each table, oldest first.
REVISION_TABLES = (("0001", "documents"), ("0002", "jobs"))
# PostgreSQL advisory lock id held while migrating (any constant shared by every worker of the product).
MIGRATION_LOCK_KEY = 0x5041_0001
# Alembic's ``context`` is process-global: two catalogues in one process migrate one at a time.
_MIGRATING = threading.Lock()


def _config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest revision, adopting a store made before migrations.

    On PostgreSQL the work runs under a transaction-scoped advisory lock, so workers starting at once
    migrate one after the other (the second finds the schema at head) instead of racing to create it.
    """
    with _MIGRATING, engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        tables = set(inspect(conn).get_table_names())
        config = _config(conn)
        if "alembic_version" not in tables:
            adopted = [rev for rev, table in REVISION_TABLES if table in tables]
            if adopted:
                command.stamp(config, adopted[-1])
        command.upgrade(config, "head")


def open_database(url: str) -> Engine:
    """An engine on ``url`` whose schema is at the newest revision (a SQLite file's folder is created).

    PostgreSQL needs the ``postgres`` extra (``pip install -e '.[postgres]'``, the psycopg driver) and a
    URL of the form ``postgresql+psycopg://user:password@host:5432/dbname``.
    """
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    # pool_pre_ping: a pooled connection the server closed (restart, idle timeout) is replaced, not failed.
    try:
        engine = create_engine(url, future=True, pool_pre_ping=not url.startswith("sqlite"))
    except ImportError as e:
        msg = f"数据库驱动未安装（{e.name}）：PostgreSQL 请先安装 pip install -e '.[postgres]'。"
        raise ConfigurationError(msg) from e
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    upgrade(engine)
    return engine
