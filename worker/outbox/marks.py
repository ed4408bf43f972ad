"""The outbox row's steps: an attempt counted, sent, put back, retried with backoff or failed for good."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from notifier.mailer import DeliveryError
from worker.storage import outbox_rows
from worker.storage.db import transaction

log = logging.getLogger(__name__)


@dataclass
class DeliveryReport:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    unsubscribed: int = 0  # claimed, then not sent: the subscriber stopped that kind after it was queued
    released: int = 0  # claimed, then put back unsent because the worker is stopping
    server_error: str | None = None  # the mail server failed (login, connection): the batch waits
    errors: list[str] = field(default_factory=list)
    sent_by_channel: dict[str, int] = field(default_factory=dict)  # email, webhook, slack, teams

    def count_sent(self, channel: str) -> None:
        self.sent += 1
        self.sent_by_channel[channel] = self.sent_by_channel.get(channel, 0) + 1


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 1, 2, 4 … minutes, at most six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


BUILD_ATTEMPTS = 3  # a message that cannot be built fails after this many tries (it will not heal by itself)


MARK_SENT_TRIES = 5  # 1 + 2 + 4 + 8 s of waiting for a locked or restarting database


async def pause(seconds: float) -> None:
    await asyncio.sleep(seconds)


async def mark_sent(engine: Engine, alert_id: int, *, message_id: str, now: datetime) -> bool:
    """Record that the server accepted the alert; a database that is locked or away is tried again."""
    for attempt in range(MARK_SENT_TRIES):
        try:
            with transaction(engine) as session:
                row = outbox_rows.load_alert(session, alert_id)
                if row is not None:
                    row.status = "sent"
                    row.sent_at = now
                    row.message_id = message_id
                    row.claimed_until = None
                    row.last_error = None
                    session.add(row)
            return True
        except SQLAlchemyError as exc:
            log.warning(
                "alert %s was sent but could not be recorded (try %d): %s", alert_id, attempt + 1, exc
            )
            if attempt + 1 < MARK_SENT_TRIES:
                await pause(2**attempt)
    log.error(
        "alert %s was sent but is not recorded as sent: it will be resent with its Message-ID", alert_id
    )
    return False


def record_attempt(engine: Engine, alert_id: int, *, message_id: str) -> None:
    """Count the attempt and keep the Message-ID before sending: a crash after it cannot hide the try."""
    with transaction(engine) as session:
        row = outbox_rows.load_alert(session, alert_id)
        if row is not None:
            row.attempts += 1
            row.message_id = message_id
            session.add(row)


def release_claims(engine: Engine, alert_ids: list[int], *, now: datetime, delay: timedelta | None) -> None:
    """Put claimed alerts back to pending without counting an attempt (due again after `delay`)."""
    with transaction(engine) as session:
        for alert_id in alert_ids:
            row = outbox_rows.load_alert(session, alert_id)
            if row is None or row.status != "sending":
                continue
            row.status = "pending"
            row.claimed_until = None
            row.next_attempt_at = now + delay if delay is not None else None
            session.add(row)


def record_failure(
    engine: Engine,
    alert_id: int,
    error: str,
    permanent: bool,
    now: datetime,
    max_attempts: int,
    report: DeliveryReport,
    *,
    counted: bool = False,
    not_before: timedelta | None = None,
) -> timedelta | None:
    """Retry later or fail for good; `counted` when record_attempt already counted this try.

    `not_before`: the receiver's own Retry-After, when it asks for longer than the backoff.
    Returns how long the alert waits before its next try (None: failed for good, or gone).
    """
    log.warning("alert %s not delivered: %s", alert_id, error)
    report.errors.append(error)
    with transaction(engine) as session:
        row = outbox_rows.load_alert(session, alert_id)
        if row is None:
            return None
        if not counted:
            row.attempts += 1
        row.last_error = error[:500]
        row.claimed_until = None
        wait = None
        if permanent or row.attempts >= max_attempts:
            row.status = "failed"
            report.failed += 1
        else:
            row.status = "pending"
            wait = max(retry_delay(row.attempts), not_before or timedelta(0))
            row.next_attempt_at = now + wait
            report.retried += 1
        session.add(row)
    return wait


def record_build_failure(
    engine: Engine, alert_id: int, exc: Exception, now: datetime, max_attempts: int, report: DeliveryReport
) -> None:
    """A message that could not be made: a DeliveryError says itself whether for good; any other failure
    to render is this alert's alone, tried at most BUILD_ATTEMPTS times (it will not heal by itself)."""
    if isinstance(exc, DeliveryError):
        record_failure(engine, alert_id, str(exc), exc.permanent, now, max_attempts, report)
        return
    error = f"message could not be built: {type(exc).__name__}: {exc}"
    record_failure(engine, alert_id, error, False, now, min(max_attempts, BUILD_ATTEMPTS), report)
