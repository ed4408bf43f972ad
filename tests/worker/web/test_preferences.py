"""The preferences page from the link in a delivered email's footer: the form shows what they receive,
saves kinds, digest and time zone (a bad IANA name saves nothing), refuses forms without CSRF, and an
expired link mails a new one through the outbox."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest
from pydantic import TypeAdapter
from sqlalchemy.engine import Engine

from notifier.report_views import PreferencesLinkView
from tests.support.mail import SmtpServer, text_of
from tests.support.pipeline import IMPORTER_EMAIL
from tests.support.web import POLLED, SECRET_KEY, deliver_order_alert, live_server
from worker.alerts.audience import stopped
from worker.alerts.importer_deadlines import REVIEW_REQUEST
from worker.alerts.reminders import reminder_kinds
from worker.app.runtime import run_delivery
from worker.app.settings import Settings
from worker.storage import outbox_rows, people
from worker.storage.db import transaction
from worker.storage.models import Subscriber
from worker.web.tokens import LinkTokens

SENT = POLLED + timedelta(minutes=1)  # when the delivered links were signed


def subscriber_row(engine: Engine) -> Subscriber:
    with transaction(engine) as session:
        [row] = people.list_subscribers_by_email(session, IMPORTER_EMAIL)
        return row


def preferences_path(message: EmailMessage) -> str:
    found = re.search(
        r"Choose what you receive \(alert kinds, weekly digest, time zone\): \S+(/p/\S+)", text_of(message)
    )
    assert found is not None, text_of(message)
    return found.group(1)


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def form_action(page: httpx.Response) -> str:
    """Where the page's form posts, resolved against the page's URL as a browser does."""
    found = re.search(r'<form method="post" action="([^"]+)"', page.text)
    assert found is not None
    return urljoin(str(page.url), found.group(1))


def checked_kinds(page: httpx.Response) -> set[str]:
    return set(re.findall(r'name="kind" value="([a-z_]+)" checked', page.text))


@pytest.fixture
def delivered(engine: Engine, tmp_path: Path, smtp: SmtpServer) -> tuple[Settings, EmailMessage, int]:
    return deliver_order_alert(engine, tmp_path, smtp)


def test_the_footer_link_opens_the_form_and_saves_kinds_digest_and_time_zone(
    engine: Engine, delivered: tuple[Settings, EmailMessage, int]
) -> None:
    settings, message, port = delivered
    path = preferences_path(message)
    with live_server(settings, engine, lambda: SENT + timedelta(days=29), port=port) as base:
        with httpx.Client(base_url=base) as browser:
            page = browser.get(path)
            assert page.status_code == 200
            assert "i••••@demo-outdoor-power.example" in page.text and IMPORTER_EMAIL not in page.text
            # An importer hears of every event but new deadlines, and is reminded of review requests.
            assert {"order", "revocation", "rate_change", "reminder"} <= checked_kinds(page)
            assert "new_deadline" not in checked_kinds(page)
            form = {"csrf_token": csrf_of(page), "kind": ["revocation", "reminder"], "digest": "weekly"}
            bad = browser.post(path, data={**form, "time_zone": "Mars/Phobos"})
            assert bad.status_code == 400 and "not a known IANA time zone: &#39;Mars/Phobos&#39;" in bad.text
            assert subscriber_row(engine).time_zone == "UTC"  # nothing saved
            saved = browser.post(
                path, data={**form, "csrf_token": csrf_of(bad), "time_zone": "America/Chicago"}
            )
        assert saved.status_code == 200 and "Saved." in saved.text
        assert checked_kinds(saved) == {"revocation", "reminder"}
        row = subscriber_row(engine)
        assert (row.digest, row.time_zone) == ("weekly", "America/Chicago")
        assert row.preferences["kinds"]["order"] is False and reminder_kinds(row) == frozenset(
            {REVIEW_REQUEST}
        )
        # Without the page's CSRF cookie and token, nothing is saved.
        forged = httpx.post(f"{base}{path}", data={"digest": "none", "time_zone": "UTC"})
        assert forged.status_code == 403
        assert subscriber_row(engine).digest == "weekly"


def test_an_expired_link_mails_a_new_one_that_works(
    engine: Engine, smtp: SmtpServer, delivered: tuple[Settings, EmailMessage, int]
) -> None:
    settings, message, port = delivered
    path = preferences_path(message)
    later = SENT + timedelta(days=settings.link_days, seconds=1)
    with (
        live_server(settings, engine, lambda: later, port=port) as base,
        httpx.Client(base_url=base) as browser,
    ):
        expired = browser.get(path)
        assert expired.status_code == 410 and "This link has expired" in expired.text
        assert browser.post(path, data={"digest": "none"}).status_code == 403  # CSRF first
        renew_url = form_action(expired)  # as a browser resolves it: /p/TOKEN/renew
        assert renew_url == f"{base}{path}/renew"
        renew = browser.post(renew_url, data={"csrf_token": csrf_of(expired)})
        assert renew.status_code == 200 and "i••••@demo-outdoor-power.example" in renew.text
        again = browser.post(renew_url, data={"csrf_token": csrf_of(expired)})
        assert again.status_code == 200
    report = asyncio.run(run_delivery(settings, engine, now=later + timedelta(minutes=1)))
    assert report.sent == 1  # asked twice within the hour: one email
    link_mail = smtp.sink.messages[-1]
    assert link_mail["X-ADCVD-Kind"] == "preferences_link" and link_mail["To"] == IMPORTER_EMAIL
    assert "List-Unsubscribe-Post" not in link_mail  # not a list to leave
    fresh = re.search(r"/p/[A-Za-z0-9_.-]+", text_of(link_mail))  # the first link: the new one
    assert fresh is not None
    with live_server(settings, engine, lambda: later + timedelta(minutes=5), port=port) as base:
        assert fresh.group(0) != path
        assert httpx.get(f"{base}{fresh.group(0)}").status_code == 200
        assert httpx.get(f"{base}{path}").status_code == 410


def test_a_new_link_by_address_tells_nobody_who_subscribes(
    engine: Engine, delivered: tuple[Settings, EmailMessage, int]
) -> None:
    settings, _, port = delivered
    now = datetime.fromisoformat("2024-03-01T10:00:00+00:00")
    with (
        live_server(settings, engine, lambda: now, port=port) as base,
        httpx.Client(base_url=base) as browser,
    ):
        invalid = browser.get("/p/not-a-token")
        assert invalid.status_code == 404 and "Send me a new link" in invalid.text
        assert form_action(invalid) == f"{base}/p/new"
        answers = [
            browser.post(form_action(invalid), data={"csrf_token": csrf_of(invalid), "email": address})
            for address in ("nobody@example.com", IMPORTER_EMAIL.upper())
        ]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].text == answers[1].text
    with transaction(engine) as session:
        queued = [
            a for a in outbox_rows.list_alerts(session, status="pending") if a.kind == "preferences_link"
        ]
    assert [a.subscriber_id for a in queued] == [subscriber_row(engine).id]
    stored = json.loads(json.dumps(queued[0].payload))  # as the outbox keeps it
    TypeAdapter(PreferencesLinkView).validate_python(stored)
    assert set(stored) == set(PreferencesLinkView.__required_keys__)


def test_a_body_over_the_limit_is_refused(
    engine: Engine, delivered: tuple[Settings, EmailMessage, int]
) -> None:
    settings, message, port = delivered
    small = settings.model_copy(update={"web_max_body_bytes": 2048})
    with live_server(small, engine, port=port) as base:
        declared = httpx.post(f"{base}{preferences_path(message)}", content=b"x" * 4096)

        def chunks() -> object:
            for _ in range(8):
                yield b"y" * 1024

        streamed = httpx.post(
            f"{base}{preferences_path(message)}",
            content=chunks(),  # type: ignore[arg-type]
            headers={"Content-Type": "application/x-www-form-urlencoded"},  # no length: chunked
        )
    assert declared.status_code == 413 and streamed.status_code == 413


def test_a_kind_stopped_by_its_link_can_be_switched_back_on(
    engine: Engine, delivered: tuple[Settings, EmailMessage, int]
) -> None:
    """Entry assessments (issue 16) are sent unless stopped: their one-click link stops them, and the page
    lists them so the person can take it back."""
    settings, _, port = delivered
    subscriber = subscriber_row(engine)
    assert subscriber.id is not None
    tokens = LinkTokens(SECRET_KEY, clock=lambda: SENT)
    stop = tokens.sign("unsubscribe", subscriber.id, subscriber.token_version, kind="entry_assessment")
    page = f"/p/{tokens.sign('preferences', subscriber.id, subscriber.token_version)}"
    with (
        live_server(settings, engine, lambda: SENT, port=port) as base,
        httpx.Client(base_url=base) as browser,
    ):
        before = browser.get(page)
        assert "entry_assessment" in checked_kinds(before) and "Entry assessment" in before.text
        one_click = {"Content-Type": "application/x-www-form-urlencoded"}
        assert (
            browser.post(f"/u/{stop}", content=b"List-Unsubscribe=One-Click", headers=one_click).status_code
            == 200
        )
        assert subscriber_row(engine).preferences["kinds"]["entry_assessment"] is False
        after = browser.get(page)
        assert "entry_assessment" not in checked_kinds(after)
        kinds = [*checked_kinds(after), "entry_assessment"]
        form = {"csrf_token": csrf_of(after), "kind": kinds, "digest": "none", "time_zone": "UTC"}
        assert browser.post(page, data=form).status_code == 200
    assert not stopped(subscriber_row(engine), "entry_assessment")


def test_saving_the_page_keeps_an_importers_review_request_reminders(
    engine: Engine, delivered: tuple[Settings, EmailMessage, int]
) -> None:
    """The order alert promises an importer a reminder of the review-request window: the page shows
    reminders on, saving it untouched (a new time zone only) keeps them, unticking stops them and
    ticking again brings back the importer's reminders, not counsel's every deadline."""
    settings, message, port = delivered
    path = preferences_path(message)
    assert reminder_kinds(subscriber_row(engine)) == frozenset({REVIEW_REQUEST})
    with (
        live_server(settings, engine, lambda: SENT, port=port) as base,
        httpx.Client(base_url=base) as browser,
    ):
        page = browser.get(path)
        assert "reminder" in checked_kinds(page)
        as_shown = {"csrf_token": csrf_of(page), "kind": sorted(checked_kinds(page)), "digest": "weekly"}
        saved = browser.post(path, data={**as_shown, "time_zone": "America/Chicago"})
        assert saved.status_code == 200 and "Saved." in saved.text
        assert subscriber_row(engine).time_zone == "America/Chicago"
        assert reminder_kinds(subscriber_row(engine)) == frozenset({REVIEW_REQUEST})
        without = sorted(checked_kinds(saved) - {"reminder"})
        unticked = browser.post(
            path, data={**as_shown, "csrf_token": csrf_of(saved), "kind": without, "time_zone": "UTC"}
        )
        assert "reminder" not in checked_kinds(unticked)
        assert reminder_kinds(subscriber_row(engine)) == frozenset()
        again = [*without, "reminder"]
        browser.post(
            path, data={**as_shown, "csrf_token": csrf_of(unticked), "kind": again, "time_zone": "UTC"}
        )
    assert reminder_kinds(subscriber_row(engine)) == frozenset({REVIEW_REQUEST})
