"""entries and their assessments

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 07:50:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("importer_id", sa.Integer(), nullable=False),
        sa.Column("entry_number", sa.String(), nullable=False),
        sa.Column("entry_date", sa.Date(), nullable=False),
        sa.Column("sku", sa.String(), nullable=False),
        sa.Column("hts", sa.String(), nullable=False),
        sa.Column("country", sa.String(), nullable=False),
        sa.Column("producer", sa.String(), nullable=False),
        sa.Column("exporter", sa.String(), nullable=False),
        sa.Column("entered_value", sa.Numeric(16, 2), nullable=False),
        sa.Column("case_number", sa.String(), nullable=False),
        sa.Column("deposit_rate", sa.Numeric(12, 4), nullable=False),
        sa.Column("deposit_paid", sa.Numeric(16, 2), nullable=False),
        sa.Column("liquidation_status", sa.String(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["importer_id"], ["importer.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("importer_id", "entry_number", "case_number"),
    )
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entry_importer_id"), ["importer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_entry_case_number"), ["case_number"], unique=False)
    op.create_table(
        "entry_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("notice_document_number", sa.String(), nullable=False),
        sa.Column("notice_kind", sa.String(), nullable=False),
        sa.Column("projection", sa.Boolean(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("rate", sa.Numeric(12, 4), nullable=False),
        sa.Column("rate_rule", sa.String(), nullable=False),
        sa.Column("company_match", sa.String(), nullable=False),
        sa.Column("assessed_duty", sa.Numeric(16, 2), nullable=False),
        sa.Column("difference", sa.Numeric(16, 2), nullable=False),
        sa.Column("interest", sa.Numeric(16, 2), nullable=False),
        sa.Column("interest_through", sa.Date(), nullable=True),
        sa.Column("liquidation_from", sa.Date(), nullable=True),
        sa.Column("liquidation_to", sa.Date(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["entry_id"], ["entry.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("entry_id", "notice_document_number"),
    )
    with op.batch_alter_table("entry_assessment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entry_assessment_entry_id"), ["entry_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_entry_assessment_notice_document_number"), ["notice_document_number"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("entry_assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entry_assessment_notice_document_number"))
        batch_op.drop_index(batch_op.f("ix_entry_assessment_entry_id"))
    op.drop_table("entry_assessment")
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entry_case_number"))
        batch_op.drop_index(batch_op.f("ix_entry_importer_id"))
    op.drop_table("entry")
