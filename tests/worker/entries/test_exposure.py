"""`adcvd exposure --entries`: open liabilities by case and period, with the expected liquidation window."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime

from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from notifier.render import render_message
from tests.support.fixtures import fixture
from tests.worker.entries.support import import_file, importer_with_subscribers, ingest_notice
from tests.worker.entries.test_results_decide_entries import (
    COURT,
    COURT_TITLE,
    SHRIMP_FINAL,
    SHRIMP_FINAL_TITLE,
)
from worker.alerts.digest import build_digest_payload, preview_period
from worker.app.cli import app
from worker.storage import outbox_rows, people
from worker.storage.db import transaction

GULF, HARBOR = "Gulf Seafood Imports LLC", "Harbor Foods Corp."
NOW = datetime(2024, 9, 9, 12, 0, tzinfo=UTC)


def exposure(engine: Engine, *args: str) -> tuple[int, str]:
    env = {"ADCVD_DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    result = CliRunner().invoke(app, ["exposure", *args], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


def test_open_liabilities_follow_the_governing_notice_of_each_entry(engine: Engine) -> None:
    # By hand: Apex by the court decision (750.00 assessed, -1,740.00, interest -341.13), Sandhya by
    # the final results (492.00, +292.00, +54.32): deposits 2,690.00, assessed 1,242.00, difference
    # -1,448.00, interest -286.81, net -1,734.81 (a refund); the window runs from the final results'
    # instructions (2024-10-14) to the court decision's deemed liquidation (2025-05-18).
    importer_with_subscribers(engine, GULF, ("buyer@gulf.example", "importer"))
    importer_with_subscribers(engine, HARBOR, ("buyer@harbor.example", "importer"))
    import_file(engine, fixture("entries", "shrimp_entries.csv"), GULF, NOW)
    import_file(engine, fixture("entries", "harbor_entries.csv"), HARBOR, NOW)
    ingest_notice(engine, SHRIMP_FINAL, title=SHRIMP_FINAL_TITLE, published=date(2024, 9, 9), now=NOW)
    later = datetime(2024, 11, 18, 12, 0, tzinfo=UTC)
    ingest_notice(engine, COURT, title=COURT_TITLE, published=date(2024, 11, 18), now=later)

    code, out = exposure(engine, "--entries", "--json", "--importer", GULF)
    assert code == 0, out
    [gulf] = json.loads(out)["liabilities"]
    assert gulf == {
        "importer": GULF,
        "case_number": "A-533-840",
        "period_start": "2022-02-01",
        "period_end": "2023-01-31",
        "entries": 2,
        "deposit_paid_usd": "2690.00",
        "assessed_duty_usd": "1242.00",
        "difference_usd": "-1448.00",
        "interest_usd": "-286.81",
        "net_usd": "-1734.81",
        "projection": False,
        "liquidation_from": "2024-10-14",
        "liquidation_to": "2025-05-18",
        "interest_through": "2025-05-18",
        "notices": "2024-20001 2024-26001",
    }
    code, out = exposure(engine, "--entries", "--csv")
    assert code == 0, out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["importer"], r["case_number"], r["entries"]) for r in rows] == [
        (GULF, "A-533-840", "2"),
        (HARBOR, "A-533-840", "1"),
    ]
    code, out = exposure(engine, "--entries", "--importer", HARBOR)
    assert code == 0 and "Harbor Foods" in out and "Gulf" not in out and "2022-02-01..2023-01-31" in out


def test_entries_imported_after_the_results_are_assessed_at_once_without_an_alert(engine: Engine) -> None:
    importer_with_subscribers(engine, GULF, ("buyer@gulf.example", "importer"))
    ingest_notice(engine, SHRIMP_FINAL, title=SHRIMP_FINAL_TITLE, published=date(2024, 9, 9), now=NOW)
    import_file(engine, fixture("entries", "shrimp_entries.csv"), GULF, NOW)
    _, out = exposure(engine, "--entries", "--json")
    [gulf] = json.loads(out)["liabilities"]
    assert (gulf["entries"], gulf["net_usd"]) == (2, "-1143.46")  # as the final results' alert says
    with transaction(engine) as session:
        assert outbox_rows.list_alerts_of_notice(session, "2024-20001", status="pending") == []


def test_exposure_says_what_it_needs(engine: Engine) -> None:
    code, out = exposure(engine)
    assert code == 2 and "--entries" in out  # a usage error, as the README says of them
    code, out = exposure(engine, "--entries", "--json", "--csv")
    assert code == 2 and "exclude each other" in out
    code, out = exposure(engine, "--entries")
    assert code == 0 and "no open liabilities" in out


def test_a_misspelt_importer_is_an_error_not_an_empty_list(engine: Engine) -> None:
    importer_with_subscribers(engine, GULF, ("buyer@gulf.example", "importer"))
    code, out = exposure(engine, "--entries", "--importer", "Gulf Seafood Imports")
    assert code == 1 and out == "error: no importer named 'Gulf Seafood Imports'\n"
    code, out = exposure(engine, "--entries", "--importer", GULF)
    assert code == 0 and out == f"no open liabilities for importer {GULF}\n"


def test_the_weekly_digest_carries_each_importers_own_open_liabilities(engine: Engine) -> None:
    importer_with_subscribers(engine, GULF, ("ops@gulf.example", "ops"))
    importer_with_subscribers(engine, HARBOR, ("ops@harbor.example", "ops"))
    import_file(engine, fixture("entries", "shrimp_entries.csv"), GULF, NOW)
    import_file(engine, fixture("entries", "harbor_entries.csv"), HARBOR, NOW)
    ingest_notice(engine, SHRIMP_FINAL, title=SHRIMP_FINAL_TITLE, published=date(2024, 9, 9), now=NOW)
    monday = datetime(2024, 9, 16, 12, 0, tzinfo=UTC)
    texts: dict[str, str] = {}
    with transaction(engine) as session:
        for subscriber in people.list_subscribers(session):
            period = preview_period(session, subscriber, now=monday)
            payload = build_digest_payload(session, subscriber, period=period, now=monday, threshold=90)
            texts[subscriber.email] = render_message("digest", payload).text
    gulf, harbor = texts["ops@gulf.example"], texts["ops@harbor.example"]
    assert "OPEN LIABILITIES OF YOUR ENTRIES" in gulf
    assert (
        "A-533-840, period 2022-02-01 to 2023-01-31: 2 entries, difference -$968.00, interest -$175.46, "
        "net -$1,143.46"
    ) in gulf
    assert "expected liquidation 2024-10-14 to 2025-03-09 (FR Doc 2024-20001)" in gulf
    assert "1 entry" in harbor and "2 entries" not in harbor and "-$1,143.46" not in harbor


def test_the_table_shows_each_notice_number_whole(engine: Engine) -> None:
    """The document number is what a user cites: the table cut it to '2024-200…' to fit the importer."""
    importer_with_subscribers(engine, GULF, ("buyer@gulf.example", "importer"))
    import_file(engine, fixture("entries", "shrimp_entries.csv"), GULF, NOW)
    ingest_notice(engine, SHRIMP_FINAL, title=SHRIMP_FINAL_TITLE, published=date(2024, 9, 9), now=NOW)
    code, out = exposure(engine, "--entries")
    assert code == 0 and "2024-20001" in out and "-1,143.46" in out and "…" not in out, out
