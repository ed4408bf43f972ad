"""What the web pages read: a database probe, metric totals, token versions; caller owns the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import case
from sqlmodel import Session, col, func, select, text

from worker.storage.models import Alert, Importer, Subscriber


def database_answers(session: Session) -> bool:
    """One round trip (`SELECT 1`); raises the driver's error when the database is away."""
    return session.exec(select(text("1"))).first() is not None


def count_alerts_by_kind_status_channel(session: Session) -> dict[tuple[str, str, str], int]:
    """Outbox rows per (alert kind, status, the subscriber's channel), in one pass over the table."""
    channel = func.coalesce(Subscriber.channel, "email")
    query = (
        select(Alert.kind, Alert.status, channel, func.count())
        .join(Subscriber, col(Subscriber.id) == col(Alert.subscriber_id), isouter=True)
        .group_by(col(Alert.kind), col(Alert.status), channel)
    )
    return {(str(k), str(s), str(c)): int(n) for k, s, c, n in session.exec(query)}


def sent_latency_histograms(
    session: Session, bounds: Sequence[float]
) -> dict[str, tuple[list[int], float, int]]:
    """Seconds from creation to sending of every sent alert, by the subscriber's channel, aggregated by the
    database: {channel: (how many took at most each bound, cumulative as Prometheus wants them), the sum
    of seconds, the count}."""
    created, sent = col(Alert.created_at), col(Alert.sent_at)
    if session.get_bind().dialect.name == "sqlite":
        # julianday is a double: rounded to the millisecond, 60 s stays 60 s (not 60.000002).
        seconds: Any = func.round((func.julianday(sent) - func.julianday(created)) * 86400.0, 3)
    else:
        seconds = func.extract("epoch", sent - created)
    # Materialized: each alert's latency is worked out once, not once per bucket.
    latency = (
        select(seconds.label("seconds"), func.coalesce(Subscriber.channel, "email").label("channel"))
        .join(Subscriber, col(Subscriber.id) == col(Alert.subscriber_id), isouter=True)
        .where(col(Alert.status) == "sent", sent.is_not(None), created.is_not(None))
        .cte("latency")
        .prefix_with("MATERIALIZED")
    )
    buckets = [func.coalesce(func.sum(case((latency.c.seconds <= bound, 1), else_=0)), 0) for bound in bounds]
    total_seconds = func.coalesce(func.sum(latency.c.seconds), 0.0)
    query = (
        select(latency.c.channel, func.count(), total_seconds, *buckets)
        .select_from(latency)
        .group_by(latency.c.channel)
    )
    found: dict[str, tuple[list[int], float, int]] = {}
    for row in session.exec(query):
        values: tuple[Any, ...] = tuple(row)
        channel, count, total, within = values[0], values[1], values[2], values[3:]
        found[str(channel)] = ([int(n) for n in within], max(round(float(total), 3), 0.0), int(count))
    return found


def load_subscriber_by_id(session: Session, subscriber_id: int) -> Subscriber | None:
    return session.get(Subscriber, subscriber_id)


def load_importer_by_id(session: Session, importer_id: int) -> Importer | None:
    return session.get(Importer, importer_id)


def bump_token_version(row: Subscriber | Importer, session: Session) -> int:
    """Revoke every link signed for this subscriber or importer; returns the new version."""
    row.token_version += 1
    session.add(row)
    return row.token_version
