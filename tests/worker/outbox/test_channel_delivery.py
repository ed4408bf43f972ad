"""Webhook, Slack and Teams subscribers get the same alerts as email, each once, through receiver faults."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from notifier.mailer import SmtpMailer, parse_smtp_url
from tests.support.fixtures import fixture
from tests.support.mail import SmtpServer
from tests.support.pipeline import IMPORTER, pressure_washer_routes, set_cursor, settings_for
from tests.support.receiver import Receiver
from tests.worker.outbox.test_delivery_faults import status_of
from worker.app.cli import app
from worker.app.commands.core import describe_delivery
from worker.app.recorded_site import RecordedSite
from worker.app.runtime import run_poll
from worker.outbox import channels
from worker.outbox.channels import delivery_id_for
from worker.outbox.delivery import DeliveryReport, deliver_due_alerts
from worker.storage import outbox_rows, people
from worker.storage.db import transaction
from worker.storage.models import Alert, Subscriber

SENDER = "adcvd-watch <alerts@example.com>"
FAST = {"channel_timeout": 0.5, "channel_deadline": 1.5}  # the receiver's "slow" takes 2 s


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver(slow_seconds=2.0)
    server.start()
    yield server
    server.stop()


def cli(env: dict[str, str], *args: str) -> str:
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.output


def alerts_of(engine: Engine) -> dict[str, list[Alert]]:
    """Each subscriber's alerts by address, oldest first."""
    with transaction(engine) as session:
        emails = {s.id: s.email for s in people.list_subscribers(session)}
        found: dict[str, list[Alert]] = {}
        for alert in sorted(outbox_rows.list_alerts(session), key=lambda a: a.id or 0):
            found.setdefault(emails[alert.subscriber_id], []).append(alert)
    return found


async def test_every_channel_gets_the_email_alerts_once_through_receiver_faults(
    engine: Engine, smtp: SmtpServer, receiver: Receiver, now: datetime, tmp_path: Path
) -> None:
    hook = Receiver()  # the webhook's receiver is down until the second round: connection refused
    env = {"ADCVD_DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    cli(env, "portfolio", "import", str(fixture("portfolio", "sample_portfolio.csv")))
    add = ["subscriber", "add", "--importer", IMPORTER]
    cli(env, *add, "buyer@demo.example")
    said = cli(env, *add, "hooks@demo.example", "--channel", "webhook", "--url", hook.url("/adcvd"))
    hook.secrets["/adcvd"] = re.findall(
        r"signing secret \(shown once; keep it with the receiver\): (\S+)", said
    )[0]
    cli(env, *add, "slack@demo.example", "--channel", "slack", "--url", receiver.url("/slack"))
    cli(env, *add, "teams@demo.example", "--channel", "teams", "--url", receiver.url("/teams"))
    set_cursor(engine, "2024-02-09")
    with RecordedSite(pressure_washer_routes()) as site:
        settings = settings_for(
            site.base_url, smtp_url=None, outbox=tmp_path, database_url=env["ADCVD_DATABASE_URL"]
        )
        assert (await run_poll(settings, engine, "federal_register", now=now)).ok
    queued = alerts_of(engine)
    kinds = {
        email: sorted((a.kind, a.notice_document_number) for a in rows) for email, rows in queued.items()
    }
    assert kinds["buyer@demo.example"] and len(set(map(tuple, kinds.values()))) == 1, kinds  # the same alerts

    receiver.plan("/slack", "500 internal_error")
    receiver.plan("/teams", "slow")
    mailer = SmtpMailer(parse_smtp_url(smtp.url))
    start = datetime.now(UTC) + timedelta(minutes=1)  # after the baseline reports `subscriber add` queued
    first = await deliver_due_alerts(engine, mailer, now=start, sender=SENDER, **FAST)  # type: ignore[arg-type]
    emails = len(queued["buyer@demo.example"])  # the baseline report and the order
    # Email all. Each receiver fails its first POST (refused, 500, too slow) and is not tried again in
    # this run: its other alerts wait with it, no attempt counted.
    assert first.sent == emails and first.retried == 3 * emails and first.failed == 0
    assert len([p for p in receiver.posts if p.path == "/slack"]) == 1
    tries = {email: sorted(a.attempts for a in rows) for email, rows in alerts_of(engine).items()}
    assert tries["slack@demo.example"] == [0] * (emails - 1) + [1]
    errors = {email: rows[0].last_error or "" for email, rows in alerts_of(engine).items()}
    assert errors["hooks@demo.example"].endswith("connection refused")
    assert errors["slack@demo.example"].endswith("answered 500: internal_error")
    assert errors["teams@demo.example"].endswith("no answer within the timeout")
    assert "/adcvd" not in " ".join(errors.values()) and "/slack" not in " ".join(errors.values())

    hook.start()
    try:
        later = start + timedelta(minutes=10)
        second = await deliver_due_alerts(engine, mailer, now=later, sender=SENDER, **FAST)  # type: ignore[arg-type]
        assert second.sent == 3 * emails and second.retried == 0
        third = await deliver_due_alerts(engine, mailer, now=later + timedelta(hours=1), sender=SENDER)
        assert third.claimed == 0
    finally:
        hook.stop()

    rows = alerts_of(engine)
    assert all(a.status == "sent" for alerts in rows.values() for a in alerts)
    subjects = sorted(str(m["Subject"]) for m in smtp.sink.messages)
    assert sorted(smtp.sink.by_dedupe_key().values()) == [1] * emails  # each email once
    for email, path, server in (
        ("hooks@demo.example", "/adcvd", hook),
        ("slack@demo.example", "/slack", receiver),
        ("teams@demo.example", "/teams", receiver),
    ):
        posts = server.accepted(path)
        assert sorted(p.delivery_id for p in posts) == sorted(delivery_id_for(a) for a in rows[email])
        assert sorted(title_of(path, p.json()) for p in posts) == subjects  # what the email said, once
    assert all(p.signature_ok for p in hook.posts) and len(hook.posts) == emails
    [slow] = [p for p in receiver.posts if p.path == "/teams" and p.answered == 0]
    again = [p for p in receiver.posts if p.delivery_id == slow.delivery_id and p.answered == 200]
    assert len(again) == 1 and again[0].body != b""  # the retry has the same id: a receiver can drop it


def title_of(path: str, body: dict[str, object]) -> str:
    if path == "/slack":
        return str(body["blocks"][0]["text"]["text"])  # type: ignore[index]
    if path == "/teams":
        return str(body["attachments"][0]["content"]["body"][0]["text"])  # type: ignore[index]
    return str(body["subject"])


def queue_operator_alerts(engine: Engine, urls: dict[str, str], *, now: datetime) -> dict[str, int]:
    """One operator-style alert to a webhook subscriber per name; returns the alert ids by name."""
    ids: dict[str, int] = {}
    with transaction(engine) as session:
        for name, url in urls.items():
            subscriber = Subscriber(
                email=f"{name}@example.com",
                role="ops",
                channel="webhook",
                channel_url=url,
                signing_secret=f"secret-{name}",
                unsubscribe_token=f"t-{name}",
                created_at=datetime(2024, 1, 1, tzinfo=UTC),
            )
            session.add(subscriber)
            session.flush()
            assert subscriber.id is not None
            alert = Alert(
                dedupe_key=f"test:{name}",
                subscriber_id=subscriber.id,
                kind="operator",
                payload={"template": "operator", "subject": f"note {name}", "lines": [f"line {name}"]},
                created_at=now,
            )
            session.add(alert)
            session.flush()
            assert alert.id is not None
            ids[name] = alert.id
    return ids


class Crash(BaseException):
    """The worker dies: nothing after it runs, no except clause of ours catches it."""


async def test_a_crash_between_post_and_mark_resends_with_the_same_delivery_id(
    engine: Engine, receiver: Receiver, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = queue_operator_alerts(engine, {"ops": receiver.url("/hook")}, now=now)
    receiver.secrets["/hook"] = "secret-ops"

    async def crash(*args: object, **kwargs: object) -> bool:
        raise Crash

    with monkeypatch.context() as patched:
        patched.setattr(channels, "mark_sent", crash)
        with pytest.raises(Crash):
            await deliver_due_alerts(
                engine, SmtpMailer(parse_smtp_url("smtp://127.0.0.1:9")), now=now, sender=SENDER
            )
    with transaction(engine) as session:
        row = outbox_rows.load_alert(session, ids["ops"])
        assert row is not None and row.status == "sending" and row.attempts == 1
        delivery_id = row.message_id
    mailer = SmtpMailer(parse_smtp_url("smtp://127.0.0.1:9"))  # never used: no email alerts
    early = await deliver_due_alerts(engine, mailer, now=now + timedelta(minutes=4), sender=SENDER)
    assert early.claimed == 0  # the dead worker's lease still holds it
    after = await deliver_due_alerts(engine, mailer, now=now + timedelta(minutes=6), sender=SENDER)
    assert after.sent == 1
    first, again = receiver.posts
    assert first.delivery_id == again.delivery_id == delivery_id and first.signature_ok and again.signature_ok
    assert len(receiver.accepted("/hook")) == 1


async def test_receiver_answers_retry_or_fail_with_the_answer_kept(
    engine: Engine, receiver: Receiver, now: datetime
) -> None:
    answers = {
        "bad": "400 invalid_blocks",
        "gone": "404 no_service",
        "timeout": "408",
        "limited": "429 rate_limited",
        "busy": "503 Service Unavailable",
        "moved": "301",
    }
    urls = {name: receiver.url(f"/{name}") for name in answers} | {"plain": "http://example.com/hook"}
    ids = queue_operator_alerts(engine, urls, now=now)
    receiver.answer_headers["/limited"] = {"Retry-After": "3600"}  # longer than the 1-minute backoff
    for name, answer in answers.items():
        receiver.plan(f"/{name}", answer)
        receiver.secrets[f"/{name}"] = f"secret-{name}"
    mailer = SmtpMailer(parse_smtp_url("smtp://127.0.0.1:9"))
    report = await deliver_due_alerts(engine, mailer, now=now, sender=SENDER)
    assert report.failed == 4 and report.retried == 3 and report.sent == 0
    with transaction(engine) as session:
        rows = {name: outbox_rows.load_alert(session, alert_id) for name, alert_id in ids.items()}
    status = {name: (row.status, row.last_error) for name, row in rows.items() if row is not None}
    assert status["bad"] == (
        "failed",
        f"webhook at http://127.0.0.1:{receiver.port} answered 400: invalid_blocks",
    )
    assert status["gone"][0] == "failed" and status["gone"][1].endswith("404: no_service")  # type: ignore[union-attr]
    assert status["moved"][0] == "failed" and status["moved"][1].endswith("answered 301")  # type: ignore[union-attr]
    assert status["plain"][0] == "failed" and "must be https" in (status["plain"][1] or "")
    for name in ("timeout", "limited", "busy"):
        assert status[name][0] == "pending", status[name]
    assert status["limited"][1] and status["limited"][1].endswith("429: rate_limited")
    waits = {name: row.next_attempt_at - now for name, row in rows.items() if row and row.next_attempt_at}
    assert waits == {
        "timeout": timedelta(minutes=1),
        "limited": timedelta(hours=1),
        "busy": timedelta(minutes=1),
    }
    assert {p.path for p in receiver.posts} == {f"/{name}" for name in answers}  # nothing went to plain http


async def test_a_channel_url_never_reaches_the_logs(
    engine: Engine, receiver: Receiver, now: datetime, caplog: pytest.LogCaptureFixture
) -> None:
    """Slack and Teams URLs are their own key: logs (even httpx's at debug) and errors show the host."""
    key = "T0AAAAAAA/B0BBBBBBB/XXXXsecretXXXX"
    ids = queue_operator_alerts(
        engine, {"ok": receiver.url(f"/ok/{key}"), "bad": receiver.url(f"/bad/{key}")}, now=now
    )
    receiver.plan(f"/bad/{key}", "500 oops")
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="httpx")  # a CLI test before may have quietened it
    mailer = SmtpMailer(parse_smtp_url("smtp://127.0.0.1:9"))
    report = await deliver_due_alerts(engine, mailer, now=now, sender=SENDER)
    assert report.sent == 1 and report.retried == 1 and len(receiver.posts) == 2
    assert "HTTP Request: POST http://127.0.0.1" in caplog.text  # httpx did log the requests
    with transaction(engine) as session:
        errors = [
            row.last_error or "" for row in (outbox_rows.load_alert(session, i) for i in ids.values()) if row
        ]
    assert "secret" not in caplog.text + " ".join(errors) + " ".join(report.errors)


async def test_a_mail_server_that_is_down_holds_back_only_the_emails(
    engine: Engine, database_url: str, receiver: Receiver, now: datetime
) -> None:
    with transaction(engine) as session:  # an email subscriber's alert first in the batch, then a webhook's
        person = Subscriber(email="ops@example.com", role="ops", unsubscribe_token="t", created_at=now)
        session.add(person)
        session.flush()
        assert person.id is not None
        payload = {"template": "operator", "subject": "note", "lines": ["line"]}
        session.add(Alert(dedupe_key="test:email", subscriber_id=person.id, kind="operator", payload=payload))
    ids = queue_operator_alerts(engine, {"hook": receiver.url("/hook")}, now=now)
    down = SmtpServer()  # never started: connection refused
    report = await deliver_due_alerts(engine, SmtpMailer(parse_smtp_url(down.url)), now=now, sender=SENDER)
    assert report.server_error and report.sent == 1 and report.retried == 1 and report.failed == 0
    with transaction(engine) as session:
        email = outbox_rows.load_alert_by_key(session, "test:email")
        hook = outbox_rows.load_alert(session, ids["hook"])
        assert email is not None and email.status == "pending" and email.attempts == 1
        assert hook is not None and hook.status == "sent"
    assert [p.path for p in receiver.posts] == ["/hook"]
    said, status = status_of(database_url)  # webhooks went out, mail did not: delivery is still blocked
    assert status["delivery"]["blocked"] and "delivery blocked since" in said


def test_the_delivery_line_says_how_many_went_by_each_channel() -> None:
    report = DeliveryReport()
    for channel in ("email", "slack", "slack", "webhook"):
        report.count_sent(channel)
    assert (
        describe_delivery(report, 0) == "delivery: 4 sent (1 email, 2 slack, 1 webhook), 0 to retry, 0 failed"
    )
    only_mail = DeliveryReport()
    only_mail.count_sent("email")
    assert describe_delivery(only_mail, 0) == "delivery: 1 sent, 0 to retry, 0 failed"
    # Alerts closed because the subscriber unsubscribed after they were queued are said, not silent.
    stopped = DeliveryReport(unsubscribed=2)
    assert describe_delivery(stopped, 0) == (
        "delivery: 0 sent, 0 to retry, 0 failed; 2 not sent: unsubscribed after they were queued"
    )
