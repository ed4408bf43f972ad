"""The baseline report on joining, and nothing in it announced again as new."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from tests.support.fixtures import fixture
from tests.support.mail import SmtpServer, text_of
from tests.support.pipeline import IMPORTER, pressure_washer_routes, set_cursor, settings_for
from worker.alerts.alert_products import MAX_PRODUCTS_SHOWN
from worker.alerts.baseline import queue_baseline_reports
from worker.alerts.routing import route_notice_events
from worker.app.cli import app
from worker.app.recorded_site import RecordedSite
from worker.app.runtime import run_delivery, run_poll
from worker.catalog.events import Event, EventKind, Severity
from worker.catalog.seed import load_seed_catalog
from worker.portfolios.files import import_portfolio
from worker.storage import notice_rows, outbox_rows, people
from worker.storage.db import transaction
from worker.storage.models import Notice, Subscriber


async def test_subscriber_added_after_the_order_gets_one_baseline_and_no_repeat(
    engine: Engine, smtp: SmtpServer, tmp_path: Path, now: datetime
) -> None:
    assert not import_portfolio(engine, fixture("portfolio", "sample_portfolio.csv")).errors
    set_cursor(engine, "2024-02-09")
    with RecordedSite(pressure_washer_routes()) as site:
        settings = settings_for(
            site.base_url, smtp_url=smtp.url, outbox=tmp_path / "o", database_url=str(engine.url)
        )
        assert (
            await run_poll(settings, engine, "federal_register", now=now)
        ).alerts_created == 0  # nobody yet
    env = {"ADCVD_DATABASE_URL": str(engine.url)}
    added = CliRunner().invoke(
        app,
        [
            "subscriber",
            "add",
            "counsel@law.example",
            "--importer",
            IMPORTER,
            "--role",
            "counsel",
            "--tz",
            "America/New_York",
        ],
        env=env,
    )
    assert added.exit_code == 0 and "baseline report queued" in added.output, added.output
    again = CliRunner().invoke(
        app,
        ["subscriber", "add", "counsel@law.example", "--importer", IMPORTER, "--role", "counsel"],
        env=env,
    )
    assert "baseline" not in again.output  # once per subscriber and importer
    with transaction(engine) as session:
        [queued_by_cli] = outbox_rows.list_alerts(session)
        assert queued_by_cli.kind == "baseline"
        importer = people.load_importer(session, IMPORTER)
        assert importer is not None and importer.id is not None
        session.add(
            Subscriber(
                email="buyer@demo.example",
                importer_id=importer.id,
                role="importer",
                unsubscribe_token="b",
                preferences={"kinds": {"new_deadline": True}},
            )
        )
        session.flush()
        # The CLI used the real clock; the report's content is checked on the fixed one.
        [baseline] = queue_baseline_reports(session, importer_ids=[importer.id], now=now)
        payload = baseline.payload
        assert baseline.kind == "baseline" and payload["template"] == "baseline"
        assert [c["case_number"] for c in payload["cases"]] == ["A-570-148", "C-570-149"]
        pw3100 = next(p for p in payload["products"] if p["sku"] == "PW-3100")
        assert [(m["case_number"], m["rate"], m["step"]) for m in pw3100["matches"]] == [
            ("A-570-148", "169.3400", "combination"),
            ("C-570-149", "11.1900", "all_others"),
        ]
        assert pw3100["stacks"][0]["total_rate"] == "180.5300"
        assert [d["kind"] for d in payload["deadlines"]] == ["annual_inquiry_service_list"]
        assert queue_baseline_reports(session, importer_ids=[importer.id], now=now) == []
        # The order's deadline events, routed again (a re-read or a republication): not new to them.
        notice = notice_rows.load_notice(session, "2024-02902")
        assert notice is not None
        events = [
            Event(
                EventKind.NEW_DEADLINE,
                Severity.MEDIUM,
                case,
                "2024-02902",
                "annual inquiry service list",
                effective_date=date(2024, 3, 13),
                details={"deadline_kind": "annual_inquiry_service_list"},
            )
            for case in ("A-570-148", "C-570-149")
        ]
        later = datetime(2024, 2, 20, tzinfo=UTC)
        newer = Notice(document_number="2024-04444", title="A later notice", kind="other")
        fresh = [
            Event(
                EventKind.NEW_DEADLINE,
                Severity.MEDIUM,
                "A-570-148",
                "2024-04444",
                "case briefs",
                effective_date=date(2024, 3, 20),
                details={"deadline_kind": "case_brief"},
            )
        ]
        with session.begin_nested() as savepoint:  # a later notice's deadline is news
            assert route_notice_events(session, notice=newer, events=fresh, now=later, threshold=90)
            savepoint.rollback()
        alerts = route_notice_events(session, notice=notice, events=events, now=later, threshold=90)
        assert [a for a in alerts if a.subscriber_id == baseline.subscriber_id] == []


def test_portfolio_import_queues_a_baseline_per_portfolio_version(engine: Engine, tmp_path: Path) -> None:
    when = datetime(2024, 2, 13, 15, 0, tzinfo=UTC)
    with transaction(engine) as session:
        importer = people.load_or_create_importer(session, IMPORTER)
        session.add(Subscriber(email="buyer@example.com", importer_id=importer.id, role="importer"))

    def baselines() -> list[str]:
        with transaction(engine) as session:
            return [a.dedupe_key for a in outbox_rows.list_alerts(session) if a.kind == "baseline"]

    source = fixture("portfolio", "sample_portfolio.csv")
    assert not import_portfolio(engine, source, baseline_at=when).errors
    assert len(baselines()) == 1
    assert not import_portfolio(engine, source, baseline_at=when).errors
    assert len(baselines()) == 1  # the same portfolio again: nothing new to report
    changed = tmp_path / "portfolio.csv"
    changed.write_text(source.read_text().replace("PW-2700", "PW-2800"))
    assert not import_portfolio(engine, changed, baseline_at=when).errors
    assert len(baselines()) == 2  # a product was added: a fresh baseline of the whole portfolio
    assert not import_portfolio(engine, changed, dry_run=True, baseline_at=when).errors
    assert len(baselines()) == 2


async def test_a_big_portfolio_baseline_lists_the_top_and_attaches_every_product(
    engine: Engine, smtp: SmtpServer, tmp_path: Path, now: datetime
) -> None:
    """CONSTRUCTED portfolio: 40 melamine lines from China (reached by the seed catalog's A-570-020)
    and 30 unreached lines; the report shows 25 of each, the counts, and all 70 in the CSV."""
    header = "importer,sku,description,hts,country_of_origin,producer,exporter,annual_entered_value_usd\n"
    reached = [f"Big Buyer,MEL-{i:03d},Melamine {i},2933.61.0000,CN,,,{(i + 1) * 1000}\n" for i in range(40)]
    other = [f"Big Buyer,TOY-{i:03d},Wooden toy {i},9503.00.0073,DE,,,1000\n" for i in range(30)]
    portfolio = tmp_path / "big.csv"
    portfolio.write_text(header + "".join(reached + other), encoding="utf-8")
    with transaction(engine) as session:
        load_seed_catalog(session)
        importer = people.load_or_create_importer(session, "Big Buyer")
        session.add(
            Subscriber(
                email="big@example.com", importer_id=importer.id, role="importer", unsubscribe_token="b"
            )
        )
    result = import_portfolio(engine, portfolio, dry_run=False, baseline_at=now)
    assert not result.errors
    with transaction(engine) as session:
        [alert] = [a for a in outbox_rows.list_alerts(session) if a.kind == "baseline"]
        payload = alert.payload
    assert len(payload["products"]) == MAX_PRODUCTS_SHOWN and payload["reached_count"] == 40
    assert len(payload["unreached"]) == MAX_PRODUCTS_SHOWN and payload["unreached_count"] == 30
    assert len(json.dumps(payload)) < 200_000
    settings = settings_for(
        "http://127.0.0.1:9", smtp_url=smtp.url, outbox=tmp_path / "o", database_url=str(engine.url)
    )
    assert (await run_delivery(settings, engine, now=now)).sent == 1
    [message] = smtp.sink.messages
    text = text_of(message)
    assert "and 15 more products" in text and "all 40 are in the attached CSV" in text
    assert "and 5 more products not reached; all are in the attached CSV" in text
    # No rate in the seed catalog: exposure unknown, so the first SKUs are listed; the rest only in the CSV.
    assert [p["sku"] for p in payload["products"]] == [f"MEL-{i:03d}" for i in range(MAX_PRODUCTS_SHOWN)]
    assert "MEL-000" in text and "MEL-039" not in text and "TOY-029" not in text
    [attached] = [part for part in message.iter_attachments() if part.get_content_type() == "text/csv"]
    rows = list(csv.DictReader(io.StringIO(attached.get_content())))
    assert len(rows) == 70 and {r["sku"] for r in rows} >= {"MEL-039", "TOY-029"}
    assert [r["sku"][:3] for r in rows] == ["MEL"] * 40 + ["TOY"] * 30  # reached first
    assert {r["cases"] for r in rows[:40]} == {"A-570-020; C-570-021"} and {
        r["cases"] for r in rows[40:]
    } == {""}
