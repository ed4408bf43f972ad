"""One-click unsubscribe (RFC 8058) against a real alert: the pipeline polls the recorded pressure-washers
order, the outbox delivers it to aiosmtpd, and the link is taken from the delivered List-Unsubscribe
header and POSTed as a mail provider does (form body only, no cookie, no CSRF token)."""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest
from sqlalchemy.engine import Engine

from tests.support.mail import SmtpServer
from tests.support.pipeline import (
    IMPORTER_EMAIL,
)
from tests.support.web import POLLED, deliver_order_alert, live_server, web_settings
from worker.alerts.routing import route_notice_events
from worker.app.runtime import run_delivery
from worker.app.settings import Settings
from worker.catalog.events import Event, EventKind, Severity
from worker.outbox.delivery import DeliveryReport
from worker.storage import outbox_rows, people, web_rows
from worker.storage.db import transaction
from worker.storage.models import Alert, Notice, Subscriber

ONE_CLICK_BODY = b"List-Unsubscribe=One-Click"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def header_urls(message: EmailMessage) -> list[str]:
    return re.findall(r"<([^>]+)>", str(message["List-Unsubscribe"]))


def later_notice(engine: Engine, kind: EventKind, number: str, when: datetime) -> list[Alert]:
    """A later notice of `kind` on the pressure-washers cases, routed as the ingest routes it."""
    with transaction(engine) as session:
        notice = Notice(
            document_number=number,
            publication_date=when.date(),
            effective_date=when.date(),
            title=f"Gas Powered Pressure Washers From the People's Republic of China ({kind.value})",
            kind=kind.value,
            html_url=f"https://www.federalregister.gov/d/{number}",
            first_seen_at=when,
        )
        session.add(notice)
        session.flush()
        details = {"revokes": "partial"} if kind is EventKind.REVOCATION else {}
        events = [
            Event(kind, Severity.HIGH, case, number, f"{kind.value} on {case}", date(2024, 6, 3), details)
            for case in ("A-570-148", "C-570-149")
        ]
        return route_notice_events(session, notice=notice, events=events, now=when, threshold=90)


def subscriber_row(engine: Engine) -> Subscriber:
    with transaction(engine) as session:
        [row] = people.list_subscribers_by_email(session, IMPORTER_EMAIL)
        return row


@pytest.fixture
def delivered(engine: Engine, tmp_path: Path, smtp: SmtpServer) -> tuple[Settings, EmailMessage, int]:
    """(settings, the order alert as delivered over SMTP, the port the web server will use)."""
    return deliver_order_alert(engine, tmp_path, smtp)


def test_a_provider_post_to_the_delivered_link_stops_that_kind_and_only_that_kind(
    engine: Engine,
    smtp: SmtpServer,
    delivered: tuple[Settings, EmailMessage, int],
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings, message, port = delivered
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    https_link, mailto = header_urls(message)
    assert https_link.startswith(f"http://127.0.0.1:{port}/u/") and mailto.startswith("mailto:")
    # An order of another notice is already queued when they unsubscribe: it must not go out either.
    [queued] = later_notice(engine, EventKind.ORDER, "2024-90001", POLLED + timedelta(days=1))
    caplog.set_level(logging.INFO)
    with live_server(settings, engine, port=port):
        response = httpx.post(https_link, content=ONE_CLICK_BODY, headers=FORM)
    assert response.status_code == 200
    token = https_link.rsplit("/", 1)[1]
    server_log = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("httpx"))
    assert token not in server_log and IMPORTER_EMAIL not in server_log
    assert "POST /u/… 200" in server_log

    assert subscriber_row(engine).preferences["kinds"]["order"] is False
    report = asyncio_run_delivery(settings, engine, POLLED + timedelta(days=1, minutes=1))
    assert (report.sent, report.unsubscribed) == (0, 1)
    with transaction(engine) as session:
        row = outbox_rows.load_alert(session, queued.id or 0)
        assert row is not None and row.status == "unsubscribed"
    assert later_notice(engine, EventKind.ORDER, "2024-90002", POLLED + timedelta(days=2)) == []
    [revocation] = later_notice(engine, EventKind.REVOCATION, "2024-90003", POLLED + timedelta(days=3))
    assert revocation.subscriber_id == queued.subscriber_id  # other kinds still reach them
    report = asyncio_run_delivery(settings, engine, POLLED + timedelta(days=3, minutes=1))
    assert report.sent == 1
    assert [m["X-ADCVD-Kind"] for m in smtp.sink.messages] == ["order", "revocation"]


def asyncio_run_delivery(settings: Settings, engine: Engine, now: datetime) -> DeliveryReport:
    return asyncio.run(run_delivery(settings, engine, now=now))


def test_the_page_asks_first_and_its_button_needs_the_csrf_token(
    engine: Engine, delivered: tuple[Settings, EmailMessage, int]
) -> None:
    settings, message, port = delivered
    path = "/u/" + header_urls(message)[0].rsplit("/u/", 1)[1]
    with live_server(settings, engine, port=port) as base, httpx.Client(base_url=base) as browser:
        page = browser.get(path)
        assert page.status_code == 200 and "Stop order emails?" in page.text
        assert IMPORTER_EMAIL not in page.text and "i••••@demo-outdoor-power.example" in page.text
        preferences = re.search(r'<a href="([^"]+)">Choose what you receive instead', page.text)
        assert preferences is not None
        assert browser.get(urljoin(str(page.url), preferences.group(1))).status_code == 200
        assert (
            subscriber_row(engine).preferences.get("kinds", {}).get("order") is None
        )  # a GET changes nothing
        field = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert field is not None
        # A form from elsewhere (no token; or the token without its cookie) changes nothing.
        assert browser.post(path, data={"confirm": "1"}).status_code == 403
        with httpx.Client(base_url=base) as elsewhere:
            stolen = elsewhere.post(path, data={"confirm": "1", "csrf_token": field.group(1)})
        assert stolen.status_code == 403
        assert subscriber_row(engine).preferences.get("kinds", {}).get("order") is None
        done = browser.post(path, data={"confirm": "1", "csrf_token": field.group(1)})
    assert done.status_code == 200 and "no more order emails" in done.text
    assert subscriber_row(engine).preferences["kinds"]["order"] is False


def test_a_forged_or_revoked_link_is_refused(
    engine: Engine, delivered: tuple[Settings, EmailMessage, int]
) -> None:
    settings, message, port = delivered
    token = header_urls(message)[0].rsplit("/u/", 1)[1]
    payload, stamp, signature = token.split(".")
    with live_server(web_settings(secret_key="x" * 40), engine) as base:
        assert httpx.post(f"{base}/u/{token}", content=ONE_CLICK_BODY, headers=FORM).status_code == 404
    with live_server(settings, engine, port=port) as base, httpx.Client(base_url=base) as client:
        for bad in (f"{payload}.{stamp}.{signature[::-1]}", "nonsense", token[:-3]):
            assert client.post(f"/u/{bad}", content=ONE_CLICK_BODY, headers=FORM).status_code == 404
        with transaction(engine) as session:
            row = web_rows.load_subscriber_by_id(session, subscriber_row(engine).id or 0)
            assert row is not None
            web_rows.bump_token_version(row, session)
        assert client.post(f"/u/{token}", content=ONE_CLICK_BODY, headers=FORM).status_code == 404
        assert client.get(f"/u/{token}").status_code == 404
    assert subscriber_row(engine).preferences.get("kinds", {}).get("order") is None


def test_a_provider_may_post_the_one_click_body_as_multipart(
    engine: Engine, delivered: tuple[Settings, EmailMessage, int]
) -> None:
    settings, message, port = delivered
    boundary = "----adcvd-provider-boundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\n'
        f"One-Click\r\n--{boundary}--\r\n"
    ).encode()
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    with live_server(settings, engine, port=port):
        # Any other body without a CSRF token is a form from elsewhere: refused, nothing changes.
        other = httpx.post(header_urls(message)[0], content=b"List-Unsubscribe=All", headers=FORM)
        assert other.status_code == 403
        assert subscriber_row(engine).preferences.get("kinds", {}).get("order") is None
        response = httpx.post(header_urls(message)[0], content=body, headers=headers)
    assert response.status_code == 200
    assert subscriber_row(engine).preferences["kinds"]["order"] is False
