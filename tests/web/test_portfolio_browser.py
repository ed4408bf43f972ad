"""The portfolio page in a real browser: a bad file shows the CLI's own lines and imports nothing, the
mended file imports and the exposure table shows; the calendar link opens as a calendar file."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from click.testing import Result
from icalendar import Calendar
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from tests.support.deadline_cases import shrimp_order
from tests.support.fixtures import fixture
from tests.support.pipeline import subscribe_sample_portfolio
from tests.support.web import SECRET_KEY
from tests.web.browser import WAIT_SECONDS, Browser
from worker.app.cli import app
from worker.catalog.seed import load_seed_catalog
from worker.storage import people
from worker.storage.db import transaction
from worker.web.calendar_feed import calendar_path
from worker.web.portfolio_page import portfolio_path
from worker.web.tokens import LinkTokens

ACME = "Acme Imports LLC"


def cli_import(database_url: str, folder: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> Result:
    """`adcvd portfolio import NAME --dry-run` run in the file's folder, as a person runs it."""
    monkeypatch.chdir(folder)
    return CliRunner().invoke(
        app, ["portfolio", "import", name, "--dry-run"], env={"ADCVD_DATABASE_URL": database_url}
    )


def acme_products(engine: Engine) -> list[str]:
    with transaction(engine) as session:
        owner = people.load_importer(session, ACME)
        assert owner is not None
        return [p.sku for p in people.list_products(session, importer_id=owner.id)]


def test_a_bad_file_shows_the_cli_lines_and_imports_nothing_then_the_mended_file_shows_the_exposure(
    engine: Engine, database_url: str, browser: Browser, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    with transaction(engine) as session:
        load_seed_catalog(session)
        owner = people.load_or_create_importer(session, ACME)
        assert owner.id is not None
        path = portfolio_path(LinkTokens(SECRET_KEY, clock=lambda: now), owner.id, owner.token_version)
    bad, good = fixture("portfolio", "bad_rows.csv"), fixture("portfolio", "acme_portfolio.csv")
    cli = cli_import(database_url, bad.parent, bad.name, monkeypatch)
    assert cli.exit_code == 1
    cli_lines = cli.stderr.splitlines()

    browser.open(path)
    browser.wait_for("#upload")
    assert browser.driver.title == f"Portfolio of {ACME} · adcvd-watch"
    assert browser.texts("#no-products") == ["No products yet: upload a portfolio file."]

    browser.driver.find_element(By.ID, "file").send_keys(str(bad))
    browser.driver.find_element(By.CSS_SELECTOR, "#upload button[type=submit]").click()
    refused = browser.wait_for("#refused")
    # Line 3 HTS, 4 country, 5 SKU, 6 duplicate, 7 negative value, 8 HTS + country + value: 8 errors.
    assert refused.text == "8 error(s); nothing imported" == cli_lines[-1]
    assert browser.texts("#problems li") == cli_lines[:-1]
    assert "error: bad_rows.csv:6: sku: duplicate of line 2 for importer 'Acme Imports LLC'" in cli_lines
    browser.screenshot("portfolio-refused")
    assert acme_products(engine) == []

    browser.driver.find_element(By.ID, "file").send_keys(str(good))
    browser.driver.find_element(By.CSS_SELECTOR, "#upload button[type=submit]").click()
    done = browser.wait_for("#imported")
    assert done.text == "imported 5 line(s): 5 created, 0 updated, 0 unchanged"
    assert sorted(acme_products(engine)) == ["BOLT-M10", "ROD-M10", "ROD-M12", "ROD-M14", "ROD-M16"]
    rows = {
        row.find_element(By.CSS_SELECTOR, "td").text: row.text
        for row in browser.driver.find_elements(By.CSS_SELECTOR, "#exposure tr")[1:]
    }
    assert sorted(rows) == ["BOLT-M10", "ROD-M10", "ROD-M12", "ROD-M14", "ROD-M16"]
    # The seed catalog's threaded-rod orders list HTS 7318.15: China's reach the Chinese studs,
    # India's the Indian ones; no Vietnamese order lists 7318.15.
    for case in ("A-570-932", "A-570-104", "C-570-105"):
        assert case in rows["ROD-M10"] and case not in rows["ROD-M14"]
    for case in ("A-533-887", "C-533-888"):
        assert case in rows["ROD-M14"] and case not in rows["ROD-M10"]
    assert "No AD/CVD case reaches it." in rows["BOLT-M10"]
    browser.screenshot("portfolio-imported")


def test_the_calendar_link_opens_as_the_subscribers_calendar(
    engine: Engine, browser: Browser, tmp_path: Path
) -> None:
    subscribe_sample_portfolio(engine, email="counsel@trade-law.example", role="counsel")
    shrimp_order(engine)
    with transaction(engine) as session:
        [subscriber] = people.list_subscribers_by_email(session, "counsel@trade-law.example")
        assert subscriber.id is not None
        path = calendar_path(LinkTokens(SECRET_KEY), subscriber.id, subscriber.token_version)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    browser.open(path)
    saved = downloads / "adcvd-deadlines.ics"
    WebDriverWait(browser.driver, WAIT_SECONDS).until(lambda _: saved.is_file() and saved.stat().st_size > 0)
    [event] = Calendar.from_ical(saved.read_bytes()).walk("VEVENT")
    assert str(event["summary"]) == (
        "AD/CVD A-533-840: Administrative review request window closes (Demo Outdoor Power Inc.)"
    )
