"""Queries on outbox rows by status, notice and key (besides the store's); caller owns the transaction."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, func, select

from worker.storage.models import Alert


def document_numbers_of_status(session: Session, status: str) -> list[str]:
    """The notice document number of every alert in this status, one entry per alert."""
    return list(session.exec(select(Alert.notice_document_number).where(col(Alert.status) == status)))


def list_alerts_of_notice(session: Session, document_number: str, *, status: str) -> list[Alert]:
    query = select(Alert).where(
        col(Alert.status) == status, col(Alert.notice_document_number) == document_number
    )
    return list(session.exec(query).all())


def load_alert_by_key(session: Session, dedupe_key: str) -> Alert | None:
    return session.exec(select(Alert).where(Alert.dedupe_key == dedupe_key)).first()


def count_waiting_retries(session: Session, *, now: datetime) -> int:
    """Pending alerts that failed at least once and wait for a later attempt."""
    query = (
        select(func.count())
        .select_from(Alert)
        .where(Alert.status == "pending", col(Alert.next_attempt_at) > now, Alert.attempts > 0)
    )
    return int(session.exec(query).one())
