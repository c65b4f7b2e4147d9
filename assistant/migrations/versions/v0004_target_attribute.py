"""Indicator tables: the 属性 (预期性/约束性) of a target row; baseline rows use the existing ``kind`` column.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``targets.attribute`` (existing rows have none)."""
    with op.batch_alter_table("targets") as batch:
        batch.add_column(sa.Column("attribute", sa.String(), nullable=False, server_default=""))


def downgrade() -> None:
    """Drop ``targets.attribute``."""
    with op.batch_alter_table("targets") as batch:
        batch.drop_column("attribute")
