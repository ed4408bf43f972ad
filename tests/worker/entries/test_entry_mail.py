"""Entry alerts as mailed: each importer's own entries only, the golden email, never in the log."""

from __future__ import annotations

import asyncio
import csv
import io
import logging
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from notifier.mailer import SmtpMailer, parse_smtp_url
from notifier.render import render_message
from tests.notifier.golden_support import assert_golden
from tests.support.fixtures import fixture
from tests.support.mail import SmtpServer
from tests.worker.entries.support import import_file, importer_with_subscribers, ingest_notice
from worker.alerts.reminders import queue_reminders
from worker.outbox.delivery import build_alert_message, deliver_due_alerts
from worker.storage import people
from worker.storage.db import transaction

GULF, HARBOR = "Gulf Seafood Imports LLC", "Harbor Foods Corp."
SHRIMP_FINAL = "constructed_final_results_ad_shrimp_india.xml"
TITLE = (
    "Certain Frozen Warmwater Shrimp From India: Final Results of Antidumping Duty Administrative Review; "
    "2022-2023"
)
NOW = datetime(2024, 9, 9, 12, 0, tzinfo=UTC)
SENDER = "adcvd-watch <alerts@adcvd-watch.localhost>"
GULF_ENTRIES = ("0000001", "0000002", "0000003", "0000004")  # the numbers, however written
HARBOR_ENTRIES = ("0000101",)
TEST_SERVER_LOG = "mail.log"  # aiosmtpd, the test's SMTP server, logs every line it receives


@pytest.fixture
def two_importers(engine: Engine) -> Engine:
    importer_with_subscribers(
        engine, GULF, ("buyer@gulf.example", "importer"), ("counsel@law.example", "counsel")
    )
    importer_with_subscribers(
        engine, HARBOR, ("ops@harbor.example", "importer"), ("counsel@law.example", "counsel")
    )
    import_file(engine, fixture("entries", "shrimp_entries.csv"), GULF, NOW)
    import_file(engine, fixture("entries", "harbor_entries.csv"), HARBOR, NOW)
    return engine


def test_no_importer_receives_another_importers_entries(
    two_importers: Engine, smtp: SmtpServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    ingest_notice(two_importers, SHRIMP_FINAL, title=TITLE, published=date(2024, 9, 9), now=NOW)
    report = asyncio.run(
        deliver_due_alerts(two_importers, SmtpMailer(parse_smtp_url(smtp.url)), now=NOW, sender=SENDER)
    )
    assert report.sent == 4, report  # two importers, each with a buyer and (the same) counsel
    by_importer: dict[str, list[str]] = {GULF: [], HARBOR: []}
    for message in smtp.sink.messages:
        text = message.as_string()
        own = GULF if "Gulf Seafood" in str(message["Subject"]) else HARBOR
        by_importer[own].append(text)
    assert len(by_importer[GULF]) == 2 and len(by_importer[HARBOR]) == 2
    for text in by_importer[GULF]:
        assert "AB1-0000001-2" in text
        assert not any(number in text for number in HARBOR_ENTRIES) and HARBOR not in text
    for text in by_importer[HARBOR]:
        assert "HB7-0000101-4" in text
        assert not any(number in text for number in GULF_ENTRIES) and GULF not in text
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name != TEST_SERVER_LOG)
    assert not any(number in ours for number in (*GULF_ENTRIES, *HARBOR_ENTRIES))


def test_the_entry_alert_email_golden(two_importers: Engine) -> None:
    alerts = ingest_notice(two_importers, SHRIMP_FINAL, title=TITLE, published=date(2024, 9, 9), now=NOW)
    alert = next(a for a in alerts if a.payload["recipient"]["email"] == "buyer@gulf.example")
    message = build_alert_message(
        alert,
        recipient="buyer@gulf.example",
        sender=SENDER,
        now=NOW,
        thread=(),
        unsubscribe="mailto:alerts@adcvd-watch.localhost?subject=unsubscribe",
    )
    assert_golden("entry_assessment", message)


def test_counsel_are_reminded_of_the_deemed_liquidation_day_of_their_importers_entries(
    two_importers: Engine,
) -> None:
    # Final results of 2024-09-09: the decided entries are deemed liquidated at the deposit on
    # 2025-03-09 (19 U.S.C. 1504(d)); a week before, counsel get the rung with a calendar entry.
    ingest_notice(two_importers, SHRIMP_FINAL, title=TITLE, published=date(2024, 9, 9), now=NOW)
    week_before = datetime(2025, 2, 28, 13, 0, tzinfo=UTC)
    with transaction(two_importers) as session:
        queued = queue_reminders(session, now=week_before, ladder=(30, 14, 7, 2, 0))
        emails = {s.id: (s.email, s.importer_id) for s in people.list_subscribers(session)}
        importers = {i.id: i.name for i in people.list_importers(session)}
    deemed = [a for a in queued if a.payload["deadline"]["kind"] == "deemed_liquidation"]
    assert sorted((emails[a.subscriber_id][0], importers[emails[a.subscriber_id][1]]) for a in deemed) == [
        ("counsel@law.example", GULF),
        ("counsel@law.example", HARBOR),
    ]
    for alert in deemed:
        deadline = alert.payload["deadline"]
        assert deadline["due"] == "2025-03-09" and deadline["citation"] == "19 U.S.C. 1504(d)"
        assert alert.payload["ics"]["entries"][0]["day"] == "2025-03-09"
    gulf = next(a for a in deemed if importers[emails[a.subscriber_id][1]] == GULF)
    harbor = next(a for a in deemed if importers[emails[a.subscriber_id][1]] == HARBOR)
    assert "2 of your entries" in gulf.payload["deadline"]["sentence"]
    assert "1,143.46 USD refunded" in gulf.payload["deadline"]["sentence"]
    assert "1 of your entries" in harbor.payload["deadline"]["sentence"]
    assert "1,143.46" not in harbor.payload["deadline"]["sentence"]
    rendered = render_message("reminder", gulf.payload)
    assert "2025" in rendered.subject and "deemed liquidated at the deposit" in rendered.text


def test_a_long_list_of_entries_shows_the_first_and_attaches_every_one(
    engine: Engine, tmp_path: Path
) -> None:
    importer_with_subscribers(engine, GULF, ("buyer@gulf.example", "importer"))
    lines = [
        f"AB1-{n:07d}-1,2022-{n % 11 + 2:02d}-10,SHR-1620,0306.17.0003,IN,Apex Frozen Foods Private Limited,"
        f"Apex Frozen Foods Private Limited,1000.00,A-533-840,2.49,24.90"
        for n in range(1, 61)
    ]
    many = tmp_path / "many.csv"
    many.write_text(
        "entry_number,entry_date,sku,hts,country_of_origin,producer,exporter,entered_value_usd,case_number,"
        "deposit_rate_pct,deposit_paid_usd\n" + "\n".join(lines) + "\n",
        encoding="utf-8",
    )
    import_file(engine, many, GULF, NOW)
    [alert] = ingest_notice(engine, SHRIMP_FINAL, title=TITLE, published=date(2024, 9, 9), now=NOW)
    assert len(alert.payload["entries"]) == 50 and alert.payload["entry_count"] == 60
    message = build_alert_message(
        alert,
        recipient="buyer@gulf.example",
        sender=SENDER,
        now=NOW,
        thread=(),
        unsubscribe="mailto:x@y.example",
    )
    body = message.get_body(preferencelist=("plain",))
    assert body is not None and "... and 10 more entries" in str(body.get_content())
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "adcvd-entries-2024-20001.csv"
    content = attachment.get_content()
    rows = list(csv.DictReader(io.StringIO(content.decode() if isinstance(content, bytes) else content)))
    assert len(rows) == 60 and rows[0]["entry_number"].startswith("AB1-")
    # 1,000.00 x 1.23 % = 12.30 assessed against 24.90 deposited: -12.60 on every entry
    assert {r["difference"] for r in rows} == {"-12.60"}
