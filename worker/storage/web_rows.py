"""What the web pages read: a database probe, metric totals, token versions; caller owns the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import case
from sqlmodel import Session, col, func, select, text

from worker.storage.models import Alert, Importer, Subscriber


def database_answers(session: Session) -> bool:
    """One round trip (`SELECT 1`); raises the driver's error when the database is away."""
    return session.exec(select(text("1"))).first() is not None


def count_alerts_by_kind_and_status(session: Session) -> dict[tuple[str, str], int]:
    """Outbox rows per (alert kind, status), in one pass over the table."""
    query = select(Alert.kind, Alert.status, func.count()).group_by(col(Alert.kind), col(Alert.status))
    return {(str(kind), str(status)): int(count) for kind, status, count in session.exec(query)}


def sent_latency_histogram(session: Session, bounds: Sequence[float]) -> tuple[list[int], float, int]:
    """Seconds from creation to sending of every sent alert, aggregated by the database: (how many took
    at most each bound, cumulative as Prometheus wants them), the sum of seconds, and the count."""
    created, sent = col(Alert.created_at), col(Alert.sent_at)
    if session.get_bind().dialect.name == "sqlite":
        # julianday is a double: rounded to the millisecond, 60 s stays 60 s (not 60.000002).
        seconds: Any = func.round((func.julianday(sent) - func.julianday(created)) * 86400.0, 3)
    else:
        seconds = func.extract("epoch", sent - created)
    # Materialized: each alert's latency is worked out once, not once per bucket.
    latency = (
        select(seconds.label("seconds"))
        .where(col(Alert.status) == "sent", sent.is_not(None), created.is_not(None))
        .cte("latency")
        .prefix_with("MATERIALIZED")
    )
    buckets = [func.coalesce(func.sum(case((latency.c.seconds <= bound, 1), else_=0)), 0) for bound in bounds]
    total_seconds = func.coalesce(func.sum(latency.c.seconds), 0.0)
    query = select(func.count(), total_seconds, *buckets).select_from(latency)
    row = tuple(session.exec(query).one())
    count, total, within = row[0], row[1], row[2:]
    return [int(n) for n in within], max(round(float(total), 3), 0.0), int(count)


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
