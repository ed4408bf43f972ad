"""dismissals of a case for a SKU

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 04:55:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dismissal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("importer_id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(), nullable=False),
        sa.Column("case_number", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["importer_id"],
            ["importer.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("importer_id", "sku", "case_number"),
    )
    with op.batch_alter_table("dismissal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dismissal_importer_id"), ["importer_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("dismissal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dismissal_importer_id"))

    op.drop_table("dismissal")
