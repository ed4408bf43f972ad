"""Circuit breaker: a notice that would alert more subscribers at once than the threshold is held for the
operator, who is told, and who releases (or discards) it with `adcvd hold`."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from worker import store
from worker.models import Alert

log = logging.getLogger(__name__)
HELD = "held"
DISCARDED = "discarded"


@dataclass(frozen=True)
class BulkHold:
    """Hold a notice's alerts when there are more than `threshold` (0: never hold)."""

    threshold: int
    operator_email: str | None = None


def hold_if_bulk(
    session: Session, alerts: list[Alert], *, document_number: str, title: str, rule: BulkHold, now: datetime
) -> bool:
    """Marks a notice's new alerts held when there are too many, with an operator alert; True if held."""
    if rule.threshold <= 0 or len(alerts) <= rule.threshold:
        return False
    for alert in alerts:
        alert.status, alert.next_attempt_at = HELD, None
        session.add(alert)
    subject = f"[adcvd-watch] Held: FR Doc {document_number} would alert {len(alerts)} subscribers at once"
    log.warning("%s (threshold %d); nothing sent until released", subject, rule.threshold)
    if rule.operator_email:
        operator = store.load_operator_subscriber(session, rule.operator_email)
        assert operator.id is not None
        lines = [
            f"Notice: {title} (FR Doc {document_number}).",
            f"It would alert {len(alerts)} subscribers; the threshold is {rule.threshold} "
            "(ADCVD_BULK_ALERT_THRESHOLD). Nothing has been sent.",
            "If the notice is read right, send the alerts with:",
            f"    adcvd hold release {document_number}",
            "If not (a misread notice or a wrong portfolio), drop them with:",
            f"    adcvd hold discard {document_number}",
        ]
        store.save_alert_if_new(
            session,
            Alert(
                dedupe_key=f"operator:held:{document_number}",
                subscriber_id=operator.id,
                kind="operator",
                payload={"template": "operator", "subject": subject, "lines": lines},
                created_at=now,
                next_attempt_at=now,
            ),
        )
    return True


def held_by_notice(session: Session) -> dict[str, int]:
    rows = session.exec(select(Alert.notice_document_number).where(col(Alert.status) == HELD))
    return dict(Counter(rows))


def release(session: Session, document_number: str, *, now: datetime) -> int:
    """The notice's held alerts become pending, to go with the next delivery; returns how many."""
    return _set(session, document_number, status="pending", next_attempt_at=now)


def discard(session: Session, document_number: str) -> int:
    return _set(session, document_number, status=DISCARDED, next_attempt_at=None)


def _set(session: Session, document_number: str, *, status: str, next_attempt_at: datetime | None) -> int:
    held = session.exec(
        select(Alert).where(col(Alert.status) == HELD, col(Alert.notice_document_number) == document_number)
    ).all()
    for alert in held:
        alert.status, alert.next_attempt_at = status, next_attempt_at
        session.add(alert)
    return len(held)
