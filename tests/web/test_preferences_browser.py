"""The preferences page in a real browser (headless chromium through the selenium harness of
tests/web/browser.py, from the h15-pages branch): the form as a person uses it, with the page's CSRF
cookie (SameSite=Strict), its CSP and its IANA check. Skipped where the harness is not (yet) merged."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy.engine import Engine

from tests.support.pipeline import IMPORTER_EMAIL, subscribe_sample_portfolio
from tests.support.web import SECRET_KEY
from worker.storage import people
from worker.storage.db import transaction
from worker.storage.models import Subscriber
from worker.web.tokens import LinkTokens

pytest.importorskip("tests.web.browser", reason="the selenium harness (tests/web/browser.py) is not here")
from selenium.webdriver.common.by import By

from tests.web.browser import Browser


def subscriber_row(engine: Engine) -> Subscriber:
    with transaction(engine) as session:
        [row] = people.list_subscribers_by_email(session, IMPORTER_EMAIL)
        return row


def test_a_person_switches_kinds_digest_and_time_zone_in_the_browser(
    engine: Engine, browser: Browser, now: datetime
) -> None:
    subscribe_sample_portfolio(engine)
    subscriber = subscriber_row(engine)
    assert subscriber.id is not None
    token = LinkTokens(SECRET_KEY, clock=lambda: now).sign(
        "preferences", subscriber.id, subscriber.token_version
    )
    browser.open(f"/p/{token}")
    browser.wait_for("form button[type=submit]")
    assert browser.driver.title == "Your alerts · adcvd-watch"

    def box(kind: str) -> object:
        return browser.driver.find_element(By.CSS_SELECTOR, f"input[name=kind][value={kind}]")

    # An importer is reminded of the review-request window of their orders: reminders show ticked.
    assert box("order").is_selected() and box("reminder").is_selected()  # type: ignore[attr-defined]
    box("order").click()  # type: ignore[attr-defined]
    box("reminder").click()  # type: ignore[attr-defined]
    browser.driver.find_element(By.CSS_SELECTOR, "input[name=digest][value=none]").click()
    zone = browser.driver.find_element(By.NAME, "time_zone")
    zone.clear()
    zone.send_keys("Mars/Phobos")
    browser.driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    refused = browser.wait_for("[role=alert]")
    assert "not a known IANA time zone: 'Mars/Phobos'" in refused.text
    browser.screenshot("preferences-refused")
    assert subscriber_row(engine).time_zone == "UTC"  # nothing saved

    # The refused form keeps what was chosen; mend the zone and save.
    assert not box("order").is_selected() and not box("reminder").is_selected()  # type: ignore[attr-defined]
    zone = browser.driver.find_element(By.NAME, "time_zone")
    zone.clear()
    zone.send_keys("America/Chicago")
    browser.driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    assert browser.wait_for("[role=status]").text == "Saved. The next alerts follow these choices."
    browser.screenshot("preferences-saved")
    row = subscriber_row(engine)
    assert (row.digest, row.time_zone) == ("none", "America/Chicago")
    assert row.preferences["kinds"]["order"] is False and row.preferences["kinds"]["reminder"] is False
