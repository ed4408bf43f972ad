"""Hostile input cannot harm the worker or its users: entities refused, markup escaped, no header
injection, no credentials in logs or errors, no fetching from hosts other than the configured sources."""

from __future__ import annotations

import json
import logging
import tracemalloc
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from notifier.mailer import DeliveryError, SmtpMailer, parse_smtp_url
from tests.support.fixtures import fixture_bytes
from tests.support.mail import SmtpServer, free_port, html_of, text_of
from tests.support.pipeline import (
    SEARCH_PATH,
    XML_PATH,
    pressure_washer_routes,
    set_cursor,
    settings_for,
    subscribe_sample_portfolio,
)
from watchers.xml_safety import UnsafeXmlError, parse_xml_safely
from worker.app.recorded_site import RecordedSite, Route
from worker.app.runtime import run_delivery, run_poll
from worker.storage import notice_rows
from worker.storage.database_url import redacted_url
from worker.storage.db import transaction

SCRIPT = "<script>alert('x')</script>"
INJECTION = "\r\nBcc: attacker@example.com\r\nX-Injected: yes"


def hostile_search(**changes: str) -> bytes:
    payload = json.loads(fixture_bytes("fr_api", "search_ita_2024-02-09.json"))
    payload["results"][0].update(changes)
    return json.dumps(payload).encode()


def billion_laughs(levels: int = 10) -> bytes:
    """A nested entity bomb: expanded it would be 10**levels times 'lol' (10 GB at ten levels)."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels)
    ]
    return (
        f'<?xml version="1.0"?><!DOCTYPE NOTICE [{"".join(entities)}]>'
        f"<NOTICE><P>&lol{levels - 1};</P></NOTICE>"
    ).encode()


def test_entity_bomb_is_refused_without_exhausting_memory() -> None:
    tracemalloc.start()
    try:
        with pytest.raises(UnsafeXmlError):
            parse_xml_safely(billion_laughs())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000  # bytes: nothing was expanded


async def test_markup_and_header_injection_in_a_title_reach_mail_escaped_and_inert(
    engine: Engine, smtp: SmtpServer, tmp_path: Path, now: datetime
) -> None:
    subscribe_sample_portfolio(engine)
    set_cursor(engine, "2024-02-09")
    real = json.loads(fixture_bytes("fr_api", "search_ita_2024-02-09.json"))["results"][0]["title"]
    hostile = Route(SEARCH_PATH, hostile_search(title=f"{real} {SCRIPT}{INJECTION}"))
    routes = [hostile, *pressure_washer_routes()[1:]]
    with RecordedSite(routes) as site:
        settings = settings_for(
            site.base_url, smtp_url=smtp.url, outbox=tmp_path / "o", database_url=str(engine.url)
        )
        report = await run_poll(settings, engine, "federal_register", now=now)
        assert report.ok and report.alerts_created == 1
        assert (await run_delivery(settings, engine, now=now)).sent == 1
    [message] = smtp.sink.messages
    assert message["Bcc"] is None and message["X-Injected"] is None
    assert all("\n" not in str(value) and "\r" not in str(value) for _, value in message.items())
    assert SCRIPT not in html_of(message)
    assert "&lt;script&gt;" in html_of(message)
    assert "attacker@example.com" not in str(message["To"])
    assert text_of(message)  # the plain text carries the title as text, where markup is inert


async def test_notice_with_an_entity_bomb_is_stored_unread_and_the_poll_goes_on(
    engine: Engine, tmp_path: Path, now: datetime
) -> None:
    set_cursor(engine, "2024-02-09")
    routes = [pressure_washer_routes()[0], Route(XML_PATH, billion_laughs(), content_type="application/xml")]
    with RecordedSite(routes) as site:
        settings = settings_for(
            site.base_url, smtp_url=None, outbox=tmp_path / "o", database_url=str(engine.url)
        )
        report = await run_poll(settings, engine, "federal_register", now=now)
    assert report.ok and report.documents_new == 1
    with transaction(engine) as session:
        notice = notice_rows.load_notice(session, "2024-02902")
        assert notice is not None and any("refused" in note for note in notice.unread)


async def test_the_worker_fetches_only_from_the_configured_source_hosts(
    engine: Engine, tmp_path: Path, now: datetime
) -> None:
    set_cursor(engine, "2024-02-09")
    elsewhere = f"http://127.0.0.2:{free_port()}/steal.xml"
    with RecordedSite([Route(SEARCH_PATH, hostile_search(full_text_xml_url=elsewhere))]) as site:
        settings = settings_for(
            site.base_url, smtp_url=None, outbox=tmp_path / "o", database_url=str(engine.url)
        )
        report = await run_poll(settings, engine, "federal_register", now=now)
    assert not report.ok and "not a configured source host" in (report.error or "")
    with transaction(engine) as session:
        assert notice_rows.list_notices(session) == []


async def test_smtp_credentials_never_reach_errors_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    secret = "s3cr3t-Pa55"
    mailer = SmtpMailer(parse_smtp_url(f"smtp://alerts:{secret}@127.0.0.1:{free_port()}"), timeout=2)
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@example.com", "b@example.com", "x"
    message.set_content("x")
    with caplog.at_level(logging.DEBUG), pytest.raises(DeliveryError) as raised:
        await mailer.send(message)
    assert secret not in str(raised.value) and secret not in mailer.description
    assert secret not in caplog.text


def test_database_passwords_are_redacted_in_what_the_cli_prints() -> None:
    shown = redacted_url("postgresql+psycopg://adcvd:hunter2@db.internal:5432/adcvd")
    assert "hunter2" not in shown and "db.internal" in shown
