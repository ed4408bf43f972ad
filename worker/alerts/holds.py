"""Circuit breaker: a notice or portfolio import alerting too many subscribers waits for the operator."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session

from worker.alerts.watchdog import operator_alert
from worker.storage import outbox_rows
from worker.storage.models import Alert

log = logging.getLogger(__name__)
HELD = "held"
DISCARDED = "discarded"
HELD_FROM = "held_from"  # in a held alert's payload: its status before the hold (pending or digest)


@dataclass(frozen=True)
class BulkHold:
    """Hold a notice's alerts when there are more than `threshold` (0: never hold)."""

    threshold: int
    operator_email: str | None = None


def hold_if_bulk(
    session: Session, alerts: list[Alert], *, document_number: str, title: str, rule: BulkHold, now: datetime
) -> bool:
    """Marks a notice's new alerts held when there are too many, with an operator alert; True if held.

    Used by every source that alerts: Federal Register, public inspection and trade.gov.
    """
    if rule.threshold <= 0 or len(alerts) <= rule.threshold:
        return False
    subject = f"[adcvd-watch] Held: FR Doc {document_number} would alert {len(alerts)} subscribers at once"
    about = f"Notice: {title} (FR Doc {document_number})."
    _hold(session, alerts, key=document_number, subject=subject, about=about, rule=rule, now=now)
    return True


def import_hold_key(now: datetime) -> str:
    """The name a held portfolio import goes by in `adcvd hold list|release|discard`."""
    return f"import-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def hold_import_if_bulk(
    session: Session, alerts: list[Alert], *, source: str, rule: BulkHold, now: datetime
) -> str | None:
    """A portfolio import whose baseline reports (or alerts) would reach more subscribers than the threshold:
    they are held under an import key, with an operator alert; the key if held, else None."""
    if rule.threshold <= 0 or len({a.subscriber_id for a in alerts}) <= rule.threshold:
        return None
    key = import_hold_key(now)
    for alert in alerts:
        alert.notice_document_number = key
    subject = f"[adcvd-watch] Held: portfolio import {key} would send {len(alerts)} messages at once"
    about = f"Portfolio import of {source} ({key})."
    _hold(session, alerts, key=key, subject=subject, about=about, rule=rule, now=now)
    return key


def _hold(
    session: Session,
    alerts: list[Alert],
    *,
    key: str,
    subject: str,
    about: str,
    rule: BulkHold,
    now: datetime,
) -> None:
    for alert in alerts:
        # A digest-mode alert goes back to the digest on release, not to its own email.
        alert.payload = {**alert.payload, HELD_FROM: alert.status}
        alert.status, alert.next_attempt_at = HELD, None
        session.add(alert)
    log.warning("%s (threshold %d); nothing sent until released", subject, rule.threshold)
    if not rule.operator_email:
        return
    lines = [
        about,
        f"It would reach {len(alerts)} subscribers; the threshold is {rule.threshold} "
        "(ADCVD_BULK_ALERT_THRESHOLD). Nothing has been sent.",
        "If it is right, send the alerts with:",
        f"    adcvd hold release {key}",
        "If not (a misread notice or a wrong portfolio), drop them with:",
        f"    adcvd hold discard {key}",
    ]
    note_key = f"operator:held:{key}"
    operator_alert(
        session, operator_email=rule.operator_email, key=note_key, subject=subject, lines=lines, now=now
    )


def held_by_notice(session: Session) -> dict[str, int]:
    return dict(Counter(outbox_rows.document_numbers_of_status(session, HELD)))


def release(session: Session, document_number: str, *, now: datetime) -> int:
    """The notice's held alerts become pending, to go with the next delivery; returns how many."""
    return _set(session, document_number, status="pending", next_attempt_at=now)


def discard(session: Session, document_number: str) -> int:
    return _set(session, document_number, status=DISCARDED, next_attempt_at=None)


def _set(session: Session, document_number: str, *, status: str, next_attempt_at: datetime | None) -> int:
    held = outbox_rows.list_alerts_of_notice(session, document_number, status=HELD)
    for alert in held:
        was = str(alert.payload.get(HELD_FROM) or "pending")
        alert.status = status if status == DISCARDED or was != "digest" else was
        alert.next_attempt_at = next_attempt_at if alert.status == "pending" else alert.next_attempt_at
        session.add(alert)
    return len(held)
