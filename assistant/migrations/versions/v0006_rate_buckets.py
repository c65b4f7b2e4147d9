"""Rate limits shared by every worker: one token bucket per caller (``assistant.rate_store``).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``rate_buckets``."""
    op.create_table(
        "rate_buckets",
        sa.Column("identity", sa.String(), primary_key=True),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("updated", sa.Float(), nullable=False),
    )


def downgrade() -> None:
    """Drop ``rate_buckets``."""
    op.drop_table("rate_buckets")
