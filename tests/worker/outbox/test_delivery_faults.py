"""Delivery keeps going past one bad alert, waits out a failing mail server, and stops cleanly."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from notifier.mailer import SmtpMailer, parse_smtp_url
from tests.support.mail import SmtpServer
from worker.app.cli import app
from worker.outbox import marks
from worker.outbox.delivery import BUILD_ATTEMPTS, deliver_due_alerts, message_id_for
from worker.storage import outbox_rows
from worker.storage.db import transaction
from worker.storage.models import Alert, Subscriber

SENDER = "adcvd-watch <alerts@example.com>"


def queue(engine: Engine, emails: list[str], *, now: datetime) -> list[int]:
    """One operator-style alert per address, in order; returns the alert ids."""
    ids: list[int] = []
    with transaction(engine) as session:
        for i, email in enumerate(emails):
            subscriber = Subscriber(
                email=email,
                role="ops",
                unsubscribe_token=f"t{i}",
                created_at=datetime(2024, 1, 1, tzinfo=UTC),
            )
            session.add(subscriber)
            session.flush()
            assert subscriber.id is not None
            alert = Alert(
                dedupe_key=f"test:{i}",
                subscriber_id=subscriber.id,
                kind="operator",
                payload={"template": "operator", "subject": f"note {i}", "lines": [f"line {i}"]},
                created_at=now,
            )
            session.add(alert)
            session.flush()
            assert alert.id is not None
            ids.append(alert.id)
    return ids


def alerts_by_id(engine: Engine) -> dict[int, Alert]:
    with transaction(engine) as session:
        return {a.id: a for a in outbox_rows.list_alerts(session) if a.id is not None}


def received_keys(smtp: SmtpServer) -> list[str]:
    return sorted(str(m["X-ADCVD-Dedupe-Key"]) for m in smtp.sink.messages)


async def test_an_alert_that_cannot_be_built_does_not_stop_the_others(
    engine: Engine, smtp: SmtpServer, now: datetime
) -> None:
    emails = [f"ops{i}@example.com" for i in range(6)]
    emails[1] = "a..b@example.com"  # not an address the message builder accepts
    emails[4] = "ops@example.com, other@example.com"  # a list where one address belongs
    ids = queue(engine, emails, now=now)
    mailer = SmtpMailer(parse_smtp_url(smtp.url))
    first = await deliver_due_alerts(engine, mailer, now=now, sender=SENDER)
    assert first.sent == 4 and first.retried == 2 and first.failed == 0
    assert received_keys(smtp) == ["test:0", "test:2", "test:3", "test:5"]
    rows = alerts_by_id(engine)
    assert {rows[ids[1]].status, rows[ids[4]].status} == {"pending"}
    assert rows[ids[1]].attempts == 1 and "could not be built" in (rows[ids[1]].last_error or "")
    later = now
    for _ in range(BUILD_ATTEMPTS - 1):
        later += timedelta(hours=7)
        await deliver_due_alerts(engine, mailer, now=later, sender=SENDER)
    rows = alerts_by_id(engine)
    for bad in (ids[1], ids[4]):
        assert rows[bad].status == "failed" and rows[bad].attempts == BUILD_ATTEMPTS
        assert rows[bad].claimed_until is None and rows[bad].last_error
    assert len(smtp.sink.messages) == 4  # the good ones went once, the bad ones never


def status_of(database_url: str) -> tuple[str, dict[str, Any]]:
    """`adcvd status` and `adcvd status --json` of the database, as the operator reads them."""
    env = {"ADCVD_DATABASE_URL": database_url}
    text = CliRunner().invoke(app, ["status"], env=env)
    as_json = CliRunner().invoke(app, ["status", "--json"], env=env)
    assert text.exit_code == 0 and as_json.exit_code == 0, text.output + as_json.output
    return text.output, json.loads(as_json.stdout)


async def test_login_refused_waits_for_the_server_and_fails_nothing(
    engine: Engine, database_url: str, now: datetime
) -> None:
    smtp = SmtpServer(auth=True)
    smtp.start()
    try:
        ids = queue(engine, [f"ops{i}@example.com" for i in range(3)], now=now)
        mailer = SmtpMailer(parse_smtp_url(smtp.url))
        smtp.sink.refuse_login = True
        later = now
        for _ in range(15):  # more than max_attempts rounds of 535: still nothing failed for good
            report = await deliver_due_alerts(engine, mailer, now=later, sender=SENDER, max_attempts=12)
            assert report.failed == 0 and report.server_error and "535" in report.server_error
            later += timedelta(hours=7)
        rows = alerts_by_id(engine)
        assert all(rows[i].status == "pending" for i in ids)
        assert rows[ids[1]].attempts == 0  # never tried: the batch waited for the server
        # The operator cannot be emailed through a server that refuses us: status says it instead.
        said, report = status_of(database_url)
        since = now.isoformat(timespec="seconds")
        assert f"delivery blocked since {since}: " in said and "535" in said
        assert report["delivery"]["blocked"] and report["delivery"]["blocked_since"] == since
        assert "535" in report["delivery"]["reason"]
        assert all(s["name"] != "mail_server" for s in report["sources"])
        assert rows[ids[0]].next_attempt_at is not None and rows[ids[0]].next_attempt_at > later - timedelta(
            hours=7
        )
        smtp.sink.refuse_login = False
        back = await deliver_due_alerts(engine, mailer, now=later, sender=SENDER)
        assert back.sent == 3 and received_keys(smtp) == ["test:0", "test:1", "test:2"]
        said, report = status_of(database_url)
        assert "delivery blocked" not in said and report["delivery"]["blocked"] is False
    finally:
        smtp.stop()


async def test_an_unreachable_mail_server_is_shown_as_delivery_blocked(
    engine: Engine, database_url: str, now: datetime
) -> None:
    smtp = SmtpServer()
    smtp.start()
    url = smtp.url
    smtp.stop()  # nothing listens on its port any more
    queue(engine, ["ops0@example.com"], now=now)
    report = await deliver_due_alerts(engine, SmtpMailer(parse_smtp_url(url)), now=now, sender=SENDER)
    assert report.failed == 0 and report.server_error
    said, status = status_of(database_url)
    assert f"delivery blocked since {now.isoformat(timespec='seconds')}: " in said
    assert status["delivery"]["reason"] == report.server_error


async def test_a_stop_releases_what_was_claimed_but_not_sent(
    engine: Engine, smtp: SmtpServer, now: datetime
) -> None:
    ids = queue(engine, [f"ops{i}@example.com" for i in range(4)], now=now)
    sent: list[int] = []

    def stopping() -> bool:
        sent.append(len(smtp.sink.messages))
        return len(smtp.sink.messages) >= 2  # SIGTERM arrives after the second message

    mailer = SmtpMailer(parse_smtp_url(smtp.url))
    report = await deliver_due_alerts(engine, mailer, now=now, sender=SENDER, stopping=stopping)
    assert report.sent == 2 and report.released == 2
    rows = alerts_by_id(engine)
    assert [rows[i].status for i in ids] == ["sent", "sent", "pending", "pending"]
    assert rows[ids[2]].claimed_until is None and rows[ids[2]].attempts == 0
    again = await deliver_due_alerts(engine, mailer, now=now, sender=SENDER)
    assert again.sent == 2 and len(smtp.sink.messages) == 4


async def test_the_attempt_and_message_id_are_recorded_before_the_server_answers(
    engine: Engine, smtp: SmtpServer, now: datetime
) -> None:
    [alert_id] = queue(engine, ["ops@example.com"], now=now)
    seen: list[tuple[str, int, str | None]] = []
    original = smtp.sink.handle_DATA

    async def look(server: object, session: object, envelope: object) -> str:
        with transaction(engine) as db:
            row = outbox_rows.load_alert(db, alert_id)
            assert row is not None
            seen.append((row.status, row.attempts, row.message_id))
        return await original(server, session, envelope)

    smtp.sink.handle_DATA = look  # type: ignore[method-assign]
    smtp.stop()
    smtp.start()
    mailer = SmtpMailer(parse_smtp_url(smtp.url))
    await deliver_due_alerts(engine, mailer, now=now, sender=SENDER)
    row = alerts_by_id(engine)[alert_id]
    assert seen == [("sending", 1, message_id_for(row))]
    assert row.status == "sent" and row.attempts == 1
    assert str(smtp.sink.messages[0]["Message-ID"]) == row.message_id


async def test_a_database_locked_after_the_server_accepted_does_not_resend(
    engine: Engine, smtp: SmtpServer, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite is locked by another process right after 250: recording `sent` waits and retries."""
    if engine.dialect.name != "sqlite":
        pytest.skip("the lock is SQLite's; PostgreSQL outages are covered by the fault suite's kills")
    [alert_id] = queue(engine, ["ops@example.com"], now=now)
    path = str(engine.url.database)
    locked = threading.Event()
    unlock = threading.Event()

    def hold_lock() -> None:
        other = sqlite3.connect(path, timeout=5)
        other.execute("BEGIN EXCLUSIVE")
        locked.set()
        unlock.wait(timeout=60)
        other.rollback()
        other.close()

    holder = threading.Thread(target=hold_lock)
    original = smtp.sink.handle_DATA

    async def accept_then_lock(server: object, session: object, envelope: object) -> str:
        answer = await original(server, session, envelope)
        holder.start()  # another process takes the database the moment the server said 250
        locked.wait(timeout=10)
        return answer

    async def release_instead_of_waiting(seconds: float) -> None:
        unlock.set()
        holder.join(timeout=10)

    smtp.sink.handle_DATA = accept_then_lock  # type: ignore[method-assign]
    smtp.stop()
    smtp.start()
    monkeypatch.setattr(marks, "pause", release_instead_of_waiting)
    impatient = create_engine(str(engine.url), connect_args={"timeout": 0.2})
    try:
        report = await deliver_due_alerts(
            impatient, SmtpMailer(parse_smtp_url(smtp.url)), now=now, sender=SENDER
        )
    finally:
        unlock.set()
        impatient.dispose()
    assert report.sent == 1 and unlock.is_set()
    row = alerts_by_id(engine)[alert_id]
    assert row.status == "sent" and row.message_id == str(smtp.sink.messages[0]["Message-ID"])
    later = await deliver_due_alerts(
        engine, SmtpMailer(parse_smtp_url(smtp.url)), now=now + timedelta(hours=1), sender=SENDER
    )
    assert later.claimed == 0 and len(smtp.sink.messages) == 1
