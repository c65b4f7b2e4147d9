"""OCR provenance: which chunks and target rows were read by OCR, with what confidence, and which pages.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the OCR columns (existing rows were not read by OCR)."""
    for table in ("chunks", "targets"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("ocr", sa.Boolean(), nullable=False, server_default=sa.false()))
            batch.add_column(sa.Column("ocr_confidence", sa.Float(), nullable=True))
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("ocr_pages_json", sa.Text(), nullable=False, server_default="[]"))


def downgrade() -> None:
    """Drop the OCR columns."""
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("ocr_pages_json")
    for table in ("targets", "chunks"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("ocr_confidence")
            batch.drop_column("ocr")
