"""Webhook, Slack and Teams subscribers beside email, with real worker processes killed between POST and mark.

The same nine notices as the other fault scenarios; three more subscribers of the importer take their alerts
by webhook, Slack and Teams from real HTTP receivers on 127.0.0.1. The receivers are down, answer 500, are
slower than the timeout, and hold a POST while the worker is SIGKILLed. Afterwards each email is in the SMTP
server once, and each channel received every alert the email subscriber did: once per delivery id, a resend
after the kill carrying the same id.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update

from tests.faults.harness import Worker, expire_backoff, kill, outbox_counts, wait_until
from tests.support.pipeline import IMPORTER, IMPORTER_EMAIL
from tests.support.receiver import Receiver
from worker.outbox.channels import delivery_id_for
from worker.storage import outbox_rows, people
from worker.storage.db import transaction
from worker.storage.models import Alert, Subscriber

pytestmark = pytest.mark.timeout(300)
SECRET = "fault-suite-webhook-secret"
CHANNELS = {"webhook": "/adcvd", "slack": "/services/T0/B0/key", "teams": "/workflows/abc/triggers/manual"}


@pytest.fixture(params=("sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)))
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def receivers() -> Iterator[tuple[Receiver, Receiver]]:
    """The webhook's receiver (not started: down) and Slack's and Teams' (up)."""
    hook, chat = Receiver(slow_seconds=4.0), Receiver(slow_seconds=4.0)
    chat.start()
    yield hook, chat
    hook.stop()
    chat.stop()


def subscribe_channels(engine: Any, hook: Receiver, chat: Receiver) -> None:
    with transaction(engine) as session:
        importer = people.load_or_create_importer(session, IMPORTER)
        [email] = people.find_subscribers(session, IMPORTER_EMAIL)
        for channel, path in CHANNELS.items():
            server = hook if channel == "webhook" else chat
            session.add(
                Subscriber(
                    email=f"{channel}@example.com",
                    importer_id=importer.id,
                    role=email.role,
                    digest=email.digest,  # the same alerts as the email subscriber, digest included
                    time_zone=email.time_zone,
                    unsubscribe_token=f"t-{channel}",
                    created_at=datetime(2024, 1, 1, tzinfo=UTC),
                    channel=channel,
                    channel_url=server.url(path),
                    signing_secret=SECRET if channel == "webhook" else None,
                )
            )
    hook.secrets[CHANNELS["webhook"]] = SECRET


def expire_leases(engine: Any) -> None:
    """The lease of the killed worker runs out (the worker's clock is real; this moves it for the test)."""
    with transaction(engine) as session:
        session.execute(
            update(Alert)
            .where(Alert.status == "sending")  # type: ignore[arg-type]
            .values(claimed_until=datetime.now(UTC) - timedelta(seconds=1))
        )


def alerts_by_address(engine: Any) -> dict[str, list[Alert]]:
    with transaction(engine) as session:
        addresses = {s.id: s.email for s in people.list_subscribers(session)}
        found: dict[str, list[Alert]] = {}
        for alert in outbox_rows.list_alerts(session, limit=100_000):
            if alert.kind != "operator":
                found.setdefault(addresses[alert.subscriber_id], []).append(alert)
    return found


def title_of(channel: str, body: dict[str, Any]) -> str:
    if channel == "slack":
        return str(body["blocks"][0]["text"]["text"])
    if channel == "teams":
        return str(body["attachments"][0]["content"]["body"][0]["text"])
    return str(body["subject"])


def test_channels_get_every_alert_once_through_receiver_faults_and_a_kill(
    fault_world: tuple[Any, Worker], receivers: tuple[Receiver, Receiver]
) -> None:
    engine, worker = fault_world
    hook, chat = receivers
    subscribe_channels(engine, hook, chat)
    worker.extra_env["ADCVD_CHANNEL_TIMEOUT_SECONDS"] = "1"  # Teams' slow answer (4 s) times out
    chat.plan(CHANNELS["slack"], "500 internal_error")
    chat.plan(CHANNELS["teams"], "slow")

    first = worker.run("run", "--once")  # webhook down, Slack 500, Teams too slow; email goes
    assert "Traceback" not in first.stderr, first.stderr[-3000:]
    errors = {a.last_error or "" for rows in alerts_by_address(engine).values() for a in rows if a.attempts}
    assert any(e.endswith("connection refused") for e in errors), errors
    assert any(e.endswith("answered 500: internal_error") for e in errors), errors
    assert any(e.endswith("no answer within the timeout") for e in errors), errors

    hook.plan(CHANNELS["webhook"], "hold")  # the receiver keeps the next webhook POST and does not answer
    hook.start()
    expire_backoff(engine)
    process = worker.start()
    try:
        assert hook.held.wait(timeout=90), "no webhook POST reached the receiver"
        kill(process)  # between the POST and the 2xx the worker would have recorded
    finally:
        if process.poll() is None:
            kill(process)
    hook.release.set()
    assert outbox_counts(engine).get("sending", 0) >= 1  # the killed worker's claim

    expire_leases(engine)
    expire_backoff(engine)
    for _ in range(5):
        if not outbox_counts(engine).get("pending") and not outbox_counts(engine).get("sending"):
            break
        worker.run("run", "--once")
        expire_backoff(engine)
    wait_until(lambda: set(outbox_counts(engine)) == {"sent"}, what="every alert sent", timeout=30)

    rows = alerts_by_address(engine)
    email_keys = {a.dedupe_key for a in rows[IMPORTER_EMAIL]}
    assert sorted(worker.smtp.sink.by_dedupe_key().get(k, 0) for k in email_keys) == [1] * len(email_keys)
    subjects = sorted(
        str(m["Subject"]) for m in worker.smtp.sink.messages if m["X-ADCVD-Dedupe-Key"] in email_keys
    )
    for channel, path in CHANNELS.items():
        server = hook if channel == "webhook" else chat
        accepted = server.accepted(path)
        assert sorted(p.delivery_id for p in accepted) == sorted(
            delivery_id_for(a) for a in rows[f"{channel}@example.com"]
        )
        assert sorted(title_of(channel, p.json()) for p in accepted) == subjects, channel
    webhook_posts = [p for p in hook.posts if p.path == CHANNELS["webhook"]]
    assert all(p.signature_ok for p in webhook_posts)
    [held] = [p for p in webhook_posts if p.answered == 0]
    assert [p.delivery_id for p in webhook_posts].count(held.delivery_id) == 2  # resent once, same id
