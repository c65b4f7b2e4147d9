"""The ``generation`` row always exists, so a change bumps it with one atomic UPDATE.

Two workers writing at once each run ``UPDATE state SET value = value + 1``; the row lock orders them,
where the old read-then-write could lose a bump (or race to insert the first row) on PostgreSQL.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_state = sa.table("state", sa.column("key", sa.String), sa.column("value", sa.String), sa.column("flag", sa.Boolean))


def upgrade() -> None:
    """Insert ``generation = 0`` where a store has no changes yet."""
    conn = op.get_bind()
    found = conn.execute(sa.select(_state.c.key).where(_state.c.key == "generation")).first()
    if found is None:
        op.bulk_insert(_state, [{"key": "generation", "value": "0", "flag": False}])


def downgrade() -> None:
    """Nothing to undo: a generation row of 0 reads the same as no row."""
