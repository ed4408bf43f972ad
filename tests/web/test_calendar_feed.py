"""The calendar feed as calendar programs use it: subscribed in khal, refreshed after a new notice."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import httpx
from icalendar import Calendar
from pydantic import SecretStr
from sqlalchemy.engine import Engine

from tests.support.deadline_cases import shrimp_order
from tests.support.mail import SmtpServer, free_port, html_of, text_of
from tests.support.pipeline import (
    pressure_washer_routes,
    set_cursor,
    settings_for,
    subscribe_sample_portfolio,
)
from tests.support.web import SECRET_KEY, live_server, web_settings
from tests.web.khal import Khal
from worker.app.recorded_site import RecordedSite
from worker.app.runtime import run_delivery, run_poll
from worker.storage import people, web_rows
from worker.storage.db import transaction
from worker.web.calendar_feed import calendar_path
from worker.web.tokens import LinkTokens

COUNSEL = "counsel@trade-law.example"
NOW = datetime(2024, 2, 12, 12, 0, tzinfo=UTC)  # the morning the pressure-washer orders are published
DEMO = "(Demo Outdoor Power Inc.)"


def feed_path(engine: Engine, email: str = COUNSEL) -> str:
    with transaction(engine) as session:
        [subscriber] = people.list_subscribers_by_email(session, email)
        assert subscriber.id is not None
        return calendar_path(LinkTokens(SECRET_KEY), subscriber.id, subscriber.token_version)


async def test_khal_subscribed_to_a_counsel_feed_shows_every_deadline_and_a_new_notice_once(
    engine: Engine, tmp_path: Path
) -> None:
    subscribe_sample_portfolio(engine, email=COUNSEL, role="counsel")
    shrimp_order(engine)
    set_cursor(engine, "2024-02-09")
    khal = Khal(tmp_path / "khal")
    path = feed_path(engine)
    with live_server(web_settings(), engine, clock=lambda: NOW) as base:
        async with httpx.AsyncClient(base_url=base) as client:
            first = await client.get(path)
            assert first.status_code == 200
            assert first.headers["content-type"] == "text/calendar; charset=utf-8"
            khal.import_feed(first.content)
            assert khal.listed("2024-01-01", "2026-12-31") == [
                f"2024-02-29 AD/CVD A-533-840: Administrative review request window closes {DEMO}",
            ]

            # The pressure-washer orders (FR Doc 2024-02902) are read: the entry of appearance for the
            # annual inquiry service list is due 30 days after publication (Wednesday March 13, 2024),
            # and each order's first review-request window closes on Friday February 28, 2025.
            with RecordedSite(pressure_washer_routes()) as site:
                settings = settings_for(
                    site.base_url, smtp_url=None, outbox=tmp_path / "outbox", database_url=str(engine.url)
                )
                report = await run_poll(settings, engine, "federal_register", now=NOW)
            assert report.ok and report.documents_new == 1

            refreshed = await client.get(path)
            assert refreshed.status_code == 200
            khal.import_feed(refreshed.content, "refresh.ics")
            khal.import_feed(refreshed.content, "refresh-again.ics")  # a second refresh changes nothing
    assert khal.listed("2024-01-01", "2026-12-31") == [
        f"2024-02-29 AD/CVD A-533-840: Administrative review request window closes {DEMO}",
        f"2024-03-13 AD/CVD A-570-148: Annual inquiry service list {DEMO}",
        f"2024-03-13 AD/CVD C-570-149: Annual inquiry service list {DEMO}",
        f"2025-02-28 AD/CVD A-570-148: Administrative review request window closes {DEMO}",
        f"2025-02-28 AD/CVD C-570-149: Administrative review request window closes {DEMO}",
    ]
    assert len(list((tmp_path / "khal" / "calendar").glob("*.ics"))) == 5  # one file per event


def test_the_feed_answers_unchanged_with_304_and_refuses_forged_or_revoked_links(engine: Engine) -> None:
    subscribe_sample_portfolio(engine, email=COUNSEL, role="counsel")
    shrimp_order(engine)
    path = feed_path(engine)
    with (
        live_server(web_settings(), engine, clock=lambda: NOW) as base,
        httpx.Client(base_url=base) as client,
    ):
        fetched = client.get(path)
        assert fetched.status_code == 200
        [event] = Calendar.from_ical(fetched.content).walk("VEVENT")
        assert str(event["uid"]) == "demo-outdoor-power-inc:A-533-840:review_request:2024-02-29@adcvd-watch"
        again = client.get(path, headers={"If-None-Match": fetched.headers["etag"]})
        assert again.status_code == 304 and again.content == b""

        assert client.get(path.replace("/cal/", "/cal/x")).status_code == 404
        other_purpose = LinkTokens(SECRET_KEY).sign("preferences", 1, 0)
        assert client.get(f"/cal/{other_purpose}.ics").status_code == 404
        with transaction(engine) as session:
            [subscriber] = people.list_subscribers_by_email(session, COUNSEL)
            web_rows.bump_token_version(subscriber, session)
        revoked = client.get(path)
        assert revoked.status_code == 404 and "no longer valid" in revoked.text


async def test_a_deadline_email_links_the_feed_and_attaches_the_feeds_own_events(
    engine: Engine, tmp_path: Path, smtp: SmtpServer
) -> None:
    port = free_port()
    subscribe_sample_portfolio(engine, email=COUNSEL, role="counsel")
    set_cursor(engine, "2024-02-09")
    with RecordedSite(pressure_washer_routes()) as site:
        settings = settings_for(
            site.base_url, smtp_url=smtp.url, outbox=tmp_path / "outbox", database_url=str(engine.url)
        ).model_copy(update={"public_url": f"http://127.0.0.1:{port}", "secret_key": SecretStr(SECRET_KEY)})
        assert (await run_poll(settings, engine, "federal_register", now=NOW)).alerts_created == 1
    assert (await run_delivery(settings, engine, now=NOW)).sent == 1
    [message] = smtp.sink.messages
    assert message["X-ADCVD-Kind"] == "new_deadline"
    text = text_of(message)
    [webcal] = re.findall(r"webcal://\S+\.ics", text)
    [https] = re.findall(r"\(or add a calendar from this address: (\S+\.ics)\)", text)
    assert webcal == "webcal://" + https.split("://", 1)[1] and https.startswith(
        f"http://127.0.0.1:{port}/cal/"
    )
    assert f'href="{webcal}"' in html_of(message)
    [attachment] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    attached = {str(e["uid"]) for e in Calendar.from_ical(attachment.get_content()).walk("VEVENT")}

    with live_server(settings, engine, clock=lambda: NOW, port=port):
        fetched = httpx.get(https)
    assert fetched.status_code == 200
    in_feed = {str(e["uid"]) for e in Calendar.from_ical(fetched.content).walk("VEVENT")}
    # The email's calendar entries are the feed's events (same UIDs): adding both never duplicates.
    assert attached == {
        "demo-outdoor-power-inc:A-570-148:annual_inquiry_service_list:2024-03-13@adcvd-watch",
        "demo-outdoor-power-inc:C-570-149:annual_inquiry_service_list:2024-03-13@adcvd-watch",
    }
    assert attached < in_feed
