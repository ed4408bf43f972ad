"""web: token versions of subscribers and importers, poll totals of sources

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 07:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("subscriber", "importer"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("token_version", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("source_state", schema=None) as batch_op:
        for column in ("polls_total", "failures_total", "documents_read_total"):
            batch_op.add_column(sa.Column(column, sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("source_state", schema=None) as batch_op:
        for column in ("last_failure_at", "documents_read_total", "failures_total", "polls_total"):
            batch_op.drop_column(column)
    for table in ("importer", "subscriber"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("token_version")
