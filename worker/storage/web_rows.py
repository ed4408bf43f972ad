"""What the web pages read: a database probe, metric totals, token versions; caller owns the transaction."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlmodel import Session, col, func, select, text

from worker.storage.models import Alert, Importer, Subscriber


def database_answers(session: Session) -> bool:
    """One round trip (`SELECT 1`); raises the driver's error when the database is away."""
    return session.exec(select(text("1"))).first() is not None


def count_alerts_by_kind(session: Session, *, status: str | None = None) -> dict[str, int]:
    """Outbox rows per alert kind (all of them, or those in one status)."""
    query = select(Alert.kind, func.count()).group_by(col(Alert.kind))
    if status is not None:
        query = query.where(col(Alert.status) == status)
    return {str(kind): int(count) for kind, count in session.exec(query)}


def iter_sent_latencies(session: Session, *, batch: int = 5000) -> Iterator[float]:
    """Seconds from creation to sending of every sent alert, streamed in batches."""
    query = (
        select(Alert.created_at, Alert.sent_at)
        .where(
            col(Alert.status) == "sent", col(Alert.sent_at).is_not(None), col(Alert.created_at).is_not(None)
        )
        .execution_options(yield_per=batch)
    )
    for created, sent in session.exec(query):
        if created is not None and sent is not None:
            yield max((sent - created).total_seconds(), 0.0)


def oldest_pending_created_at(session: Session) -> datetime | None:
    """Creation time of the oldest alert waiting to be sent (pending or being sent)."""
    waiting = col(Alert.status).in_(["pending", "sending"])
    return session.exec(select(func.min(Alert.created_at)).where(waiting)).first()


def load_subscriber_by_id(session: Session, subscriber_id: int) -> Subscriber | None:
    return session.get(Subscriber, subscriber_id)


def load_importer_by_id(session: Session, importer_id: int) -> Importer | None:
    return session.get(Importer, importer_id)


def bump_token_version(row: Subscriber | Importer, session: Session) -> int:
    """Revoke every link signed for this subscriber or importer; returns the new version."""
    row.token_version += 1
    session.add(row)
    return row.token_version
