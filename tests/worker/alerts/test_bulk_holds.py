"""The bulk circuit breaker on every path that alerts: public inspection, trade.gov and portfolio imports
(baseline reports); held alerts stay out of the weekly digest until released, and go back where they were."""

from __future__ import annotations

import mailbox
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from tests.support.mail import SmtpServer
from tests.support.pipeline import settings_for, subscribe_sample_portfolio
from tests.support.polls import poll_desk
from tests.worker.ingest.test_announcements import catalog_with_anode_case, mark_watched, routes
from tests.worker.ingest.test_public_inspection_real import (
    AT,
    MELAMINE_BUYER,
    catalog_and_portfolio,
    desk_route,
    recorded_body,
)
from worker.alerts import holds
from worker.alerts.digest import DigestPeriod, build_digest_payload
from worker.alerts.holds import BulkHold
from worker.app.cli import app
from worker.app.recorded_site import RecordedSite
from worker.app.runtime import open_fetcher, run_poll
from worker.storage import outbox_rows, people
from worker.storage.db import transaction
from worker.storage.models import Alert, Subscriber

OPERATOR = "ops@adcvd-watch.example"


def add_subscriber(engine: Engine, importer_name: str, email: str, role: str) -> None:
    with transaction(engine) as session:
        importer = people.load_or_create_importer(session, importer_name)
        session.add(
            Subscriber(
                email=email,
                importer_id=importer.id,
                role=role,
                unsubscribe_token=f"t-{email}",
                created_at=datetime(2026, 1, 1, tzinfo=UTC),
            )
        )


def alerts_of(engine: Engine, document_number: str) -> list[Alert]:
    with transaction(engine) as session:
        return [a for a in outbox_rows.list_alerts(session) if a.notice_document_number == document_number]


def digest_events(engine: Engine, email: str, around: datetime) -> list[str]:
    """The event rows the weekly digest would show this subscriber for the week around `around`."""
    with transaction(engine) as session:
        subscriber = next(s for s in people.list_subscribers(session) if s.email == email)
        start = around.date() - timedelta(days=around.weekday())
        period = DigestPeriod(start=start, end=start + timedelta(days=7), week_start=start)
        payload = build_digest_payload(session, subscriber, period=period, now=around, threshold=90)
    return [str(row["document_number"]) for row in payload["events"]]


async def test_a_bulk_public_inspection_filing_is_held_and_kept_out_of_the_digest(
    engine: Engine, smtp: SmtpServer, tmp_path: Path
) -> None:
    catalog_and_portfolio(engine, tmp_path)
    add_subscriber(engine, MELAMINE_BUYER, "buyer2@laminates.example", "importer")
    add_subscriber(engine, MELAMINE_BUYER, "buyer3@laminates.example", "importer")
    with RecordedSite([desk_route(recorded_body())]) as site:
        settings = settings_for(
            site.base_url, smtp_url=smtp.url, outbox=tmp_path / "outbox", database_url=str(engine.url)
        )
        async with open_fetcher(settings) as fetcher:
            report = await poll_desk(
                engine,
                fetcher,
                base_url=settings.federal_register_url,
                now=AT,
                bulk_hold=BulkHold(2, OPERATOR),
            )
    assert report.ok and report.alerts_created == 0 and report.alerts_held == 3
    held = alerts_of(engine, "2026-20383")
    assert len(held) == 3 and {a.status for a in held} == {"held"}
    before = {a.id: a.payload[holds.HELD_FROM] for a in held}
    with transaction(engine) as session:
        [told] = [a for a in outbox_rows.list_alerts(session) if a.kind == "operator"]
        assert "2026-20383 would alert 3 subscribers" in told.payload["subject"]
        assert holds.held_by_notice(session) == {"2026-20383": 3}
    assert "2026-20383" not in digest_events(engine, "buyer2@laminates.example", AT)

    with transaction(engine) as session:
        assert holds.release(session, "2026-20383", now=AT) == 3
    released = {a.id: a.status for a in alerts_of(engine, "2026-20383")}
    assert released == before == {a.id: "pending" for a in held}
    assert "2026-20383" in digest_events(engine, "buyer2@laminates.example", AT)


async def test_a_bulk_trade_gov_announcement_is_held(engine: Engine, tmp_path: Path) -> None:
    subscribe_sample_portfolio(engine)
    subscribe_sample_portfolio(engine, email="second@example.com")
    catalog_with_anode_case(engine)
    mark_watched(engine)
    with RecordedSite(routes()) as site:
        settings = settings_for(
            site.base_url, smtp_url=None, outbox=tmp_path / "o", database_url=str(engine.url)
        )
        settings = settings.model_copy(update={"bulk_alert_threshold": 1, "operator_email": OPERATOR})
        report = await run_poll(settings, engine, "trade_gov", now=datetime(2025, 7, 17, 12, tzinfo=UTC))
    assert report.ok and report.alerts_created == 0 and report.alerts_held == 2
    with transaction(engine) as session:
        statuses = sorted(a.status for a in outbox_rows.list_alerts(session) if a.kind != "operator")
        assert statuses == ["held", "held"]
        [(_key, count)] = holds.held_by_notice(session).items()
        assert count == 2 and any(a.kind == "operator" for a in outbox_rows.list_alerts(session))


PORTFOLIO = """importer,sku,description,hts,country_of_origin,producer,exporter,annual_entered_value_usd
Alpha Imports,PW-1,Pressure washer,8424.30.9000,CN,,,100000
Beta Imports,PW-2,Pressure washer,8424.30.9000,CN,,,100000
Gamma Imports,PW-3,Pressure washer,8424.30.9000,CN,,,100000
"""


def test_a_portfolio_import_sending_more_baselines_than_the_threshold_waits_for_the_operator(
    tmp_path: Path,
) -> None:
    database_url = f"sqlite:///{tmp_path / 'adcvd.db'}"
    outbox = tmp_path / "outbox"
    env = {
        "ADCVD_DATABASE_URL": database_url,
        "ADCVD_OUTBOX_DIR": str(outbox),
        "ADCVD_OPERATOR_EMAIL": OPERATOR,
        "ADCVD_BULK_ALERT_THRESHOLD": "2",
    }
    runner = CliRunner()
    assert runner.invoke(app, ["init"], env=env).exit_code == 0
    for name in ("Alpha Imports", "Beta Imports", "Gamma Imports"):
        email = f"buyer@{name.split()[0].lower()}.example"
        added = runner.invoke(
            app, ["subscriber", "add", email, "--importer", name, "--create-importer"], env=env
        )
        assert added.exit_code == 0, added.output
    csv = tmp_path / "portfolio.csv"
    csv.write_text(PORTFOLIO)
    imported = runner.invoke(app, ["portfolio", "import", str(csv)], env=env)
    assert imported.exit_code == 0, imported.output
    assert "3 baseline reports held for the operator" in imported.output
    key = imported.output.split("adcvd hold release ")[1].split()[0]
    assert key.startswith("import-")
    assert f"{key}\t3 alerts held" in runner.invoke(app, ["hold", "list"], env=env).output
    assert runner.invoke(app, ["deliver"], env=env).exit_code == 0
    sent = [m for m in mailbox.Maildir(outbox, create=False)]
    assert [str(m["X-ADCVD-Kind"]) for m in sent] == ["operator"]
    released = runner.invoke(app, ["hold", "release", key], env=env)
    assert released.exit_code == 0 and f"3 alerts for {key} released" in released.output
    assert runner.invoke(app, ["deliver"], env=env).exit_code == 0
    kinds = sorted(str(m["X-ADCVD-Kind"]) for m in mailbox.Maildir(outbox, create=False))
    assert kinds == ["baseline", "baseline", "baseline", "operator"]


def test_release_puts_a_digest_only_row_back_in_the_digest(engine: Engine) -> None:
    """An ops subscriber's row kept for the weekly digest is held with the rest, and released back to the
    digest: it is not sent as an email of its own."""
    now = datetime(2026, 10, 2, 18, tzinfo=UTC)
    with transaction(engine) as session:
        alerts = []
        for i, status in enumerate(("pending", "digest", "pending")):
            subscriber = Subscriber(
                email=f"s{i}@example.com", role="ops", unsubscribe_token=f"u{i}", created_at=now
            )
            session.add(subscriber)
            session.flush()
            assert subscriber.id is not None
            alert = Alert(
                dedupe_key=f"notice:2026-00001:{subscriber.id}",
                subscriber_id=subscriber.id,
                kind="order",
                notice_document_number="2026-00001",
                status=status,
                payload={"events": []},
                created_at=now,
                next_attempt_at=now,
            )
            session.add(alert)
            alerts.append(alert)
        session.flush()
        assert holds.hold_if_bulk(
            session, alerts, document_number="2026-00001", title="t", rule=BulkHold(2), now=now
        )
    with transaction(engine) as session:
        assert {a.status for a in outbox_rows.list_alerts(session)} == {"held"}
        assert holds.release(session, "2026-00001", now=now) == 3
        statuses = [a.status for a in sorted(outbox_rows.list_alerts(session), key=lambda a: a.subscriber_id)]
    assert statuses == ["pending", "digest", "pending"]
