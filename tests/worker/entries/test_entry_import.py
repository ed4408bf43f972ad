"""`adcvd entries import`: header variants, bad lines named, nothing saved until clean, re-import replaces."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from tests.support.fixtures import fixture
from worker.app.cli import app
from worker.entries.files import import_entries
from worker.storage import entry_rows
from worker.storage.db import transaction
from worker.storage.models import Importer

IMPORTER = "Gulf Seafood Imports LLC"
NOW = datetime(2024, 9, 9, 12, 0, tzinfo=UTC)


@pytest.fixture
def env(engine: Engine) -> dict[str, str]:
    with transaction(engine) as session:
        session.add(Importer(name=IMPORTER))
    return {"ADCVD_DATABASE_URL": engine.url.render_as_string(hide_password=False)}


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


def test_a_broker_export_is_read_whatever_its_headers_and_formats(
    engine: Engine, env: dict[str, str]
) -> None:
    code, out = run(
        env, "entries", "import", str(fixture("entries", "shrimp_entries.csv")), "--importer", IMPORTER
    )
    assert code == 0, out
    assert f"imported 4 entry line(s) for {IMPORTER}, replacing the 0 imported before" in out
    with transaction(engine) as session:
        entries = entry_rows.list_entries(session)
    first = next(e for e in entries if e.entry_number == "AB100000012")
    assert (first.entry_date, first.hts, first.country, first.case_number) == (
        date(2022, 6, 15), "0306170003", "IN", "A-533-840"
    )  # fmt: skip
    assert (first.entered_value, first.deposit_rate, first.deposit_paid) == (
        Decimal("100000.00"), Decimal("2.4900"), Decimal("2490.00")
    )  # fmt: skip
    falcon = next(e for e in entries if e.entry_number == "AB100000020")
    assert (falcon.entry_date, falcon.country, falcon.case_number) == (date(2022, 11, 30), "IN", "A-533-840")
    assert {e.entry_number: e.liquidation_status for e in entries}["AB100000046"] == "liquidated"
    assert {e.entry_number: e.liquidation_status for e in entries}["AB100000038"] == "unliquidated"


def test_importing_again_replaces_the_importers_entries(
    engine: Engine, env: dict[str, str], tmp_path: Path
) -> None:
    source = fixture("entries", "shrimp_entries.csv")
    assert run(env, "entries", "import", str(source), "--importer", IMPORTER)[0] == 0
    code, out = run(env, "entries", "import", str(source), "--importer", IMPORTER)
    assert code == 0 and "imported 4 entry line(s)" in out and "replacing the 4 imported before" in out
    shorter = tmp_path / "two.csv"
    shorter.write_text(
        "\n".join(source.read_text(encoding="utf-8").splitlines()[:3]) + "\n", encoding="utf-8"
    )
    assert run(env, "entries", "import", str(shorter), "--importer", IMPORTER)[0] == 0
    with transaction(engine) as session:
        assert sorted(e.entry_number for e in entry_rows.list_entries(session)) == [
            "AB100000012",
            "AB100000020",
        ]


def test_every_bad_line_is_named_by_line_and_field_and_nothing_is_imported(
    engine: Engine, env: dict[str, str]
) -> None:
    bad = fixture("entries", "bad_entries.csv")
    code, out = run(env, "entries", "import", str(bad), "--importer", IMPORTER)
    assert code == 1
    assert "nothing imported" in out
    named = {
        (line.split(":")[2], line.split(":")[3].strip())
        for line in out.splitlines()
        if line.startswith("error: ")
    }
    assert named >= {
        ("3", "entry_number"),
        ("4", "entry_date"),
        ("5", "case_number"),
        ("6", "deposit_rate_pct"),
        ("7", "importer"),
        ("8", "sku"),
        ("9", "entry_number"),
        ("10", "entered_value_usd"),
        ("10", "liquidation_status"),
    }
    assert not any(":2: " in line for line in out.splitlines())
    # Each says what a good value looks like, the negative amount too.
    assert "entered_value_usd: not an amount in USD, zero or more (25,000.00 or $25,000): '-5'" in out
    with transaction(engine) as session:
        assert entry_rows.list_entries(session) == []


def test_an_unknown_importer_is_refused_with_what_to_do(env: dict[str, str]) -> None:
    code, out = run(
        env, "entries", "import", str(fixture("entries", "shrimp_entries.csv")), "--importer", "Nobody"
    )
    assert code == 1
    assert "no importer named 'Nobody'" in out


def test_entry_numbers_never_reach_the_log(
    engine: Engine, env: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    import_entries(engine, fixture("entries", "shrimp_entries.csv"), importer=IMPORTER, now=NOW)
    import_entries(engine, fixture("entries", "bad_entries.csv"), importer=IMPORTER, now=NOW)
    assert "AB1" not in caplog.text and "0000001" not in caplog.text
