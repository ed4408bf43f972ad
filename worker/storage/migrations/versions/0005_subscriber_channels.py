"""subscriber channels: email, webhook, slack, teams

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 07:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("subscriber", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel", sa.String(), server_default="email", nullable=False))
        batch_op.add_column(sa.Column("channel_url", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("signing_secret", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("subscriber", schema=None) as batch_op:
        batch_op.drop_column("signing_secret")
        batch_op.drop_column("channel_url")
        batch_op.drop_column("channel")
