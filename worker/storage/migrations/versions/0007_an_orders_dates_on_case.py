"""catalog: an order's dates on case (preliminary publication, provisional end, ITC final)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 08:15:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DATE_COLUMNS = ("preliminary_published", "provisional_end", "itc_final_notified", "itc_final_published")


def upgrade() -> None:
    with op.batch_alter_table("case", schema=None) as batch_op:
        for column in DATE_COLUMNS:
            batch_op.add_column(sa.Column(column, sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("dates_source", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.drop_column("dates_source")
        for column in reversed(DATE_COLUMNS):
            batch_op.drop_column(column)
