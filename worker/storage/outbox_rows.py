"""The outbox's rows: saved once by key, claimed with a lease, listed; caller owns the transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import or_
from sqlmodel import Session, col, func, select

from worker.storage.models import (
    Alert,
    DigestRun,
)


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


def alert_exists(session: Session, dedupe_key: str) -> bool:
    return session.exec(select(Alert.id).where(Alert.dedupe_key == dedupe_key)).first() is not None


def save_alert_if_new(session: Session, alert: Alert) -> bool:
    """Insert the alert unless its dedupe key is already in the outbox (sent or not)."""
    if alert_exists(session, alert.dedupe_key):
        return False
    session.add(alert)
    session.flush()
    return True


def first_message_id_of_thread(session: Session, *, subscriber_id: int, thread_key: str) -> str | None:
    if not thread_key:
        return None
    return session.exec(
        select(Alert.message_id)
        .where(
            Alert.subscriber_id == subscriber_id,
            Alert.thread_key == thread_key,
            Alert.status == "sent",  # kept from the first attempt: thread under sent ones only
            col(Alert.message_id).is_not(None),
        )
        .order_by(col(Alert.id))
    ).first()


def claim_due_alerts(session: Session, *, now: datetime, lease: timedelta, limit: int) -> list[Alert]:
    """Pending alerts whose time has come, and sending ones whose lease expired (a worker died)."""
    query = (
        select(Alert)
        .where(
            or_(
                (col(Alert.status) == "pending")
                & (or_(col(Alert.next_attempt_at).is_(None), col(Alert.next_attempt_at) <= now)),
                (col(Alert.status) == "sending") & (col(Alert.claimed_until) < now),
            )
        )
        .order_by(col(Alert.id))
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    alerts = list(session.exec(query))
    for alert in alerts:
        alert.status = "sending"
        alert.claimed_until = now + lease
        session.add(alert)
    return alerts


def load_alert(session: Session, alert_id: int) -> Alert | None:
    return session.get(Alert, alert_id)


def list_alerts(session: Session, *, status: str | None = None, limit: int = 200) -> list[Alert]:
    query = select(Alert)
    if status:
        query = query.where(Alert.status == status)
    return list(session.exec(query.order_by(col(Alert.id).desc()).limit(limit)))


def count_alerts_by_status(session: Session) -> dict[str, int]:
    rows = session.exec(select(Alert.status, func.count()).group_by(col(Alert.status)))
    return {status: count for status, count in rows}


def list_alert_keys(session: Session, *, prefix: str) -> list[str]:
    """Dedupe keys that start with `prefix` (operator alerts are keyed by what they report)."""
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    query = select(Alert.dedupe_key).where(col(Alert.dedupe_key).like(escaped + "%", escape="\\"))
    return list(session.exec(query.order_by(col(Alert.id))))


def outbox_backlog(session: Session) -> tuple[int, datetime | None]:
    """Alerts not yet sent nor given up (pending or being sent), and the oldest one's creation time."""
    waiting = col(Alert.status).in_(["pending", "sending"])
    count = session.exec(select(func.count()).select_from(Alert).where(waiting)).one()
    oldest = session.exec(select(func.min(Alert.created_at)).where(waiting)).first()
    return int(count), oldest


def first_message_ids_for_cases(
    session: Session, *, subscriber_id: int, case_numbers: Iterable[str], before_alert_id: int | None = None
) -> list[str]:
    """Message-IDs already sent to the subscriber about any of the cases, oldest first (the thread)."""
    wanted = sorted({c for c in case_numbers if c})
    if not wanted:
        return []
    query = select(Alert.id, Alert.case_number, Alert.message_id).where(
        Alert.subscriber_id == subscriber_id,
        Alert.status == "sent",
        col(Alert.message_id).is_not(None),
        or_(*(col(Alert.case_number).contains(case) for case in wanted)),
    )
    if before_alert_id is not None:
        query = query.where(col(Alert.id) < before_alert_id)
    found: list[str] = []
    for _id, numbers, message_id in session.exec(query.order_by(col(Alert.id))):
        if message_id and set(numbers.split(",")) & set(wanted) and message_id not in found:
            found.append(message_id)
    return found


def list_subscriber_alerts(
    session: Session,
    *,
    subscriber_id: int,
    kinds: Sequence[str] | None = None,
    created_from: datetime | None = None,
    created_before: datetime | None = None,
) -> list[Alert]:
    query = select(Alert).where(Alert.subscriber_id == subscriber_id)
    if kinds:
        query = query.where(col(Alert.kind).in_(list(kinds)))
    if created_from is not None:
        query = query.where(col(Alert.created_at) >= created_from)
    if created_before is not None:
        query = query.where(col(Alert.created_at) < created_before)
    return list(session.exec(query.order_by(col(Alert.id))))


def latest_digest_run(session: Session, *, subscriber_id: int) -> DigestRun | None:
    query = select(DigestRun).where(DigestRun.subscriber_id == subscriber_id)
    return session.exec(query.order_by(col(DigestRun.week_start).desc())).first()
