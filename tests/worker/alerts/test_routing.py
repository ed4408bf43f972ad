"""Routing by role and switches; digest-only rows; threading; the outbox commands."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from tests.support.mail import SmtpServer
from tests.support.pipeline import (
    IMPORTER,
    pressure_washer_routes,
    set_cursor,
    settings_for,
    subscribe_sample_portfolio,
)
from worker.alerts.audience import DIGEST_STATUS, wants
from worker.app.cli import app
from worker.app.recorded_site import RecordedSite
from worker.app.runtime import run_delivery, run_poll
from worker.catalog.events import EventKind
from worker.storage import outbox_rows, people
from worker.storage.db import transaction
from worker.storage.models import Subscriber


def _add(
    engine: Engine, email: str, role: str, *, digest: str = "none", kinds: dict[str, bool] | None = None
) -> None:
    with transaction(engine) as session:
        importer = people.load_or_create_importer(session, IMPORTER)
        session.add(
            Subscriber(
                email=email,
                importer_id=importer.id,
                role=role,
                digest=digest,
                unsubscribe_token=role,
                preferences={"kinds": kinds or {}},
                created_at=datetime(2024, 1, 1, tzinfo=UTC),
            )
        )


def test_role_defaults_and_switches() -> None:
    importer = Subscriber(email="a@b.c", role="importer")
    counsel = Subscriber(email="a@b.c", role="counsel")
    ops = Subscriber(email="a@b.c", role="ops")
    assert wants(importer, EventKind.ORDER) and not wants(importer, EventKind.NEW_DEADLINE)
    assert (
        wants(counsel, EventKind.NEW_DEADLINE)
        and wants(counsel, "reminder")
        and not wants(counsel, EventKind.ORDER)
    )
    assert not any(wants(ops, kind) for kind in EventKind)
    assert not wants(
        Subscriber(email="a@b.c", role="importer", preferences={"kinds": {"order": False}}), EventKind.ORDER
    )
    assert wants(Subscriber(email="a@b.c", role="ops", preferences={"kinds": {"reminder": True}}), "reminder")


async def test_each_role_gets_its_part_of_the_order_and_ops_waits_for_the_digest(
    engine: Engine, smtp: SmtpServer, tmp_path: Path, now: datetime
) -> None:
    subscribe_sample_portfolio(engine)
    _add(engine, "counsel@law.example", "counsel")
    _add(engine, "ops@demo.example", "ops", digest="weekly")
    _add(engine, "quiet@demo.example", "importer", kinds={"order": False})
    set_cursor(engine, "2024-02-09")
    with RecordedSite(pressure_washer_routes()) as site:
        settings = settings_for(
            site.base_url, smtp_url=smtp.url, outbox=tmp_path / "o", database_url=str(engine.url)
        )
        report = await run_poll(settings, engine, "federal_register", now=now)
        assert report.alerts_created == 2
        await run_delivery(settings, engine, now=now)
    kinds = {str(m["To"]): str(m["X-ADCVD-Kind"]) for m in smtp.sink.messages}
    assert kinds == {"imports@demo-outdoor-power.example": "order", "counsel@law.example": "new_deadline"}
    counsel = next(m for m in smtp.sink.messages if m["To"] == "counsel@law.example")
    [ics] = list(counsel.iter_attachments())
    assert ics.get_content_type() == "text/calendar"
    with transaction(engine) as session:
        held = [a for a in outbox_rows.list_alerts(session) if a.status == DIGEST_STATUS]
        assert len(held) == 1 and held[0].payload["digest_events"]  # ops: kept for the digest, never sent
        claimed = outbox_rows.claim_due_alerts(
            session, now=now + timedelta(days=1), lease=timedelta(minutes=5), limit=10
        )
        assert claimed == []


async def test_outbox_list_and_retry(engine: Engine, smtp: SmtpServer, tmp_path: Path, now: datetime) -> None:
    subscribe_sample_portfolio(engine)
    set_cursor(engine, "2024-02-09")
    env = {"ADCVD_DATABASE_URL": str(engine.url)}
    with RecordedSite(pressure_washer_routes()) as site:
        settings = settings_for(
            site.base_url, smtp_url=smtp.url, outbox=tmp_path / "o", database_url=str(engine.url)
        )
        await run_poll(settings, engine, "federal_register", now=now)
    smtp.sink.reply = "550 5.1.1 mailbox unavailable"
    failed = await run_delivery(settings, engine, now=now)
    assert failed.failed == 1
    listing = CliRunner().invoke(app, ["outbox", "list", "--status", "failed"], env=env)
    assert listing.exit_code == 0 and "550 5.1.1 mailbox unavailable" in listing.output
    retry = CliRunner().invoke(app, ["outbox", "retry"], env=env)
    assert retry.exit_code == 0 and "1 failed alerts queued again" in retry.output
    smtp.sink.reply = None
    again = await run_delivery(settings, engine, now=datetime.now(UTC))
    assert again.sent == 1 and len(smtp.sink.messages) == 1
    with transaction(engine) as session:
        [alert] = outbox_rows.list_alerts(session)
        assert alert.status == "sent"
