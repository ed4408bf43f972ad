"""Delivers the outbox: claims due alerts, renders and sends them, marks them sent only once accepted."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from notifier.build import Envelope, build_message
from notifier.mailer import DeliveryError, Mailer
from notifier.render import render_message
from worker import store
from worker.db import transaction
from worker.models import Alert, Subscriber

log = logging.getLogger(__name__)
MESSAGE_ID_DOMAIN = "adcvd-watch.localhost"


@dataclass
class DeliveryReport:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] | None = None


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 1, 2, 4 … minutes, at most six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def message_id_for(alert: Alert) -> str:
    """Stable per alert, so a resend after a crash carries the same Message-ID."""
    digest = hashlib.sha256(alert.dedupe_key.encode()).hexdigest()[:20]
    return f"<alert-{alert.id}.{digest}@{MESSAGE_ID_DOMAIN}>"


def template_for(alert: Alert) -> str:
    return str(alert.payload.get("template", "alert"))


async def deliver_due_alerts(
    engine: Engine,
    mailer: Mailer,
    *,
    now: datetime,
    sender: str,
    batch: int = 50,
    lease: timedelta = timedelta(minutes=5),
    max_attempts: int = 12,
) -> DeliveryReport:
    report = DeliveryReport(errors=[])
    with transaction(engine) as session:
        claimed = store.claim_due_alerts(session, now=now, lease=lease, limit=batch)
        work: list[tuple[int, Alert, Subscriber | None, str | None]] = []
        for alert in claimed:
            assert alert.id is not None
            subscriber = session.get(Subscriber, alert.subscriber_id)
            parent = store.first_message_id_of_thread(
                session, subscriber_id=alert.subscriber_id, thread_key=alert.thread_key
            )
            work.append((alert.id, alert, subscriber, parent))
    report.claimed = len(work)
    for alert_id, alert, subscriber, parent in work:
        message_id = message_id_for(alert)
        try:
            if subscriber is None:
                raise DeliveryError("subscriber no longer exists", permanent=True)
            rendered = render_message(template_for(alert), dict(alert.payload))
            message = build_message(
                rendered,
                Envelope(
                    sender=sender,
                    recipient=subscriber.email,
                    message_id=message_id,
                    date=now,
                    in_reply_to=parent if parent != message_id else None,
                    list_unsubscribe=unsubscribe_link(sender, subscriber.unsubscribe_token),
                    extra_headers=(("X-ADCVD-Dedupe-Key", alert.dedupe_key),),
                ),
            )
            await mailer.send(message)
        except DeliveryError as exc:
            _record_failure(engine, alert_id, str(exc), exc.permanent, now, max_attempts, report)
            continue
        with transaction(engine) as session:
            row = store.load_alert(session, alert_id)
            if row is not None:
                row.status = "sent"
                row.sent_at = now
                row.message_id = message_id
                row.attempts += 1
                row.claimed_until = None
                row.last_error = None
                session.add(row)
        report.sent += 1
    return report


def unsubscribe_link(sender: str, token: str) -> str:
    address = sender.split("<")[-1].rstrip(">").strip()
    return f"mailto:{address}?subject=unsubscribe%20{token}"


def _record_failure(
    engine: Engine,
    alert_id: int,
    error: str,
    permanent: bool,
    now: datetime,
    max_attempts: int,
    report: DeliveryReport,
) -> None:
    log.warning("alert %s not delivered: %s", alert_id, error)
    if report.errors is not None:
        report.errors.append(error)
    with transaction(engine) as session:
        row = store.load_alert(session, alert_id)
        if row is None:
            return
        row.attempts += 1
        row.last_error = error[:500]
        row.claimed_until = None
        if permanent or row.attempts >= max_attempts:
            row.status = "failed"
            report.failed += 1
        else:
            row.status = "pending"
            row.next_attempt_at = now + retry_delay(row.attempts)
            report.retried += 1
        session.add(row)
