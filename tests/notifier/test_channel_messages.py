"""Slack, Teams and webhook bodies of real alerts: the email's facts, within each service's limits."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from notifier.channel_card import Card, card_for
from notifier.channel_post import ChannelRequest, channel_url_problem, retry_after_seconds
from notifier.render import render_message
from notifier.slack import escape, slack_message
from notifier.teams import teams_message
from notifier.webhook import DATA_KEYS, webhook_body
from tests.notifier.test_golden_emails import NOW, _events, _notice, _subscriber
from worker.alerts.baseline import queue_baseline_report
from worker.alerts.digest import queue_digests
from worker.alerts.reminders import queue_reminders
from worker.alerts.routing import route_notice_events
from worker.catalog.events import EventKind
from worker.storage import people

FR_DOC = "https://www.federalregister.gov/d/2024-90003"


def event_payload(session: Session, kind: EventKind) -> dict[str, Any]:
    subscriber = _subscriber(session, role="importer", kinds={k.value: True for k in EventKind})
    number = f"2024-9{list(EventKind).index(kind):04d}"
    notice = _notice(session, kind, number)
    events = _events(session, kind, number)
    alerts = route_notice_events(
        session, notice=notice, events=events, now=NOW, threshold=90, citation="89 FR 1"
    )
    [alert] = [a for a in alerts if a.subscriber_id == subscriber.id]
    return dict(alert.payload)


def other_payloads(session: Session) -> list[dict[str, Any]]:
    """The reminder, the baseline report, the digest and an operator alert of the same catalog."""
    counsel = _subscriber(session, role="counsel")
    reminders = queue_reminders(
        session, now=datetime(2024, 3, 4, 14, 0, tzinfo=UTC), ladder=(30, 14, 7, 2, 0)
    )
    [reminder] = [a for a in reminders if a.subscriber_id == counsel.id]
    baseline = queue_baseline_report(session, counsel, now=datetime(2024, 2, 20, 15, 0, tzinfo=UTC))
    assert baseline is not None
    counsel.digest = "none"
    for row in people.list_subscribers(session):
        row.digest = "none"
    ops = _subscriber(session, role="ops")
    digests = queue_digests(session, now=datetime(2024, 2, 19, 13, 0, tzinfo=UTC), threshold=90)
    [digest] = [a for a in digests if a.subscriber_id == ops.id]
    operator = {"template": "operator", "subject": "federal_register failing", "lines": ["3 polls failed"]}
    return [dict(reminder.payload), dict(baseline.payload), dict(digest.payload), operator]


def texts_of(block: dict[str, Any]) -> list[str]:
    found = [block["text"]["text"]] if "text" in block and isinstance(block["text"], dict) else []
    found += [field["text"] for field in block.get("fields", ())]
    found += [e["text"] for e in block.get("elements", ()) if isinstance(e.get("text"), str)]
    return found


def assert_slack_limits(message: dict[str, Any]) -> None:
    blocks = message["blocks"]
    assert 1 <= len(blocks) <= 50 and message["text"]
    assert blocks[0]["type"] == "header" and blocks[0]["text"]["type"] == "plain_text"
    assert len(blocks[0]["text"]["text"]) <= 150
    for block in blocks:
        assert block["type"] in {"header", "section", "context", "actions"}
        assert all(0 < len(text) <= 3000 for text in texts_of(block)), block
        assert len(block.get("fields", ())) <= 10 and all(
            len(f["text"]) <= 2000 for f in block.get("fields", ())
        )
        for element in block.get("elements", ()):
            if element.get("type") == "button":
                assert element["url"].startswith("https://") and len(element["text"]["text"]) <= 75


def assert_adaptive_card(message: dict[str, Any]) -> dict[str, Any]:
    """The Workflows webhook's shape: a message with one Adaptive Card attachment, version 1.4 or later."""
    assert message["type"] == "message" and len(message["attachments"]) == 1
    attachment = message["attachments"][0]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["$schema"].endswith("adaptive-card.json")
    assert tuple(int(x) for x in card["version"].split(".")) >= (1, 4)
    assert card["body"]
    for element in card["body"]:
        assert element["type"] in {"TextBlock", "FactSet"}
        if element["type"] == "TextBlock":
            assert isinstance(element["text"], str) and element["text"] and element["wrap"] is True
        else:
            assert all(set(f) == {"title", "value"} and f["value"] for f in element["facts"])
    for action in card.get("actions", ()):
        assert action["type"] == "Action.OpenUrl" and action["url"].startswith("https://") and action["title"]
    assert "@type" not in message and "sections" not in message  # not the retired MessageCard
    assert len(json.dumps(message).encode()) < 28_000
    return dict(card)


def card_of(payload: dict[str, Any]) -> tuple[Card, str]:
    subject = (
        render_message(payload["template"], payload).subject if payload["template"] != "operator" else ""
    )
    title = subject or str(payload["subject"])
    return card_for(payload, title=title), title


@pytest.mark.parametrize("kind", list(EventKind), ids=[k.value for k in EventKind])
def test_every_alert_kind_fits_slack_and_teams_and_says_what_the_email_says(
    session: Session, kind: EventKind
) -> None:
    payload = event_payload(session, kind)
    card, subject = card_of(payload)
    slack = slack_message(card)
    assert_slack_limits(slack)
    assert slack["blocks"][0]["text"]["text"] == subject and slack["text"] == subject
    teams = assert_adaptive_card(teams_message(card))
    assert teams["body"][0]["text"] == subject
    buttons = [e for b in slack["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [b["url"] for b in buttons] == [payload["notice"]["html_url"]]
    assert [a["url"] for a in teams["actions"]] == [payload["notice"]["html_url"]]
    listed = " ".join(t for b in slack["blocks"] for t in texts_of(b))
    for product in payload["products"]:
        assert product["sku"] in listed


def test_the_order_alert_shows_case_rate_and_exposure_as_the_email_does(session: Session) -> None:
    """Figures from the email of the real order (tests/golden/alert_order.txt): 275.02% and 180.53%
    stacked deposits, $2,194,553 a year."""
    card, _subject = card_of(event_payload(session, EventKind.ORDER))
    facts = dict(card.facts)
    assert (
        facts["Case"]
        == "A-570-148 (AD), C-570-149 (CVD): Gas Powered Pressure Washers, People's Republic of China"
    )
    assert facts["Deposit rate"] == "PW-2700: 275.02% (AD + CVD); PW-3100: 180.53% (AD + CVD)"
    assert facts["Exposure"] == "$2,194,553 a year (estimate)"
    assert card.link == FR_DOC
    fields = slack_message(card)["blocks"][2]["fields"]
    assert fields[1]["text"] == "*Deposit rate*\nPW-2700: 275.02% (AD + CVD); PW-3100: 180.53% (AD + CVD)"
    [pw2700] = [line for line in card.lines if line.startswith("PW-2700")]
    assert "A-570-148 likely (high) at 263.83%; C-570-149 likely (high) at 11.19%; total 275.02%" in pw2700


def test_reminder_baseline_digest_and_operator_render_for_every_channel(session: Session) -> None:
    payloads = other_payloads(session)
    for payload in payloads:
        card, subject = card_of(payload)
        assert card.title == subject and (card.explanation or card.lines)
        assert_slack_limits(slack_message(card))
        assert_adaptive_card(teams_message(card))
        body = json.loads(
            webhook_body(payload, delivery_id="d", kind=payload["template"], template=payload["template"],
                         subject=subject, created_at=NOW)
        )  # fmt: skip
        assert body["type"] == payload["template"] and set(body["data"]) <= set(DATA_KEYS[body["type"]])
    reminder = card_of(payloads[0])[0]
    assert dict(reminder.facts)["Deadline"].startswith("Annual inquiry service list: due March 13, 2024")


def test_many_products_are_cut_to_slack_and_teams_limits_with_a_count_of_the_rest() -> None:
    lines = tuple(f'SKU-{i:03d} "{"widget " * 25}", HTS 8424.30.90.00, origin CN' for i in range(300))
    card = Card(
        "Order issued", "x" * 5000, (("Case", "A-570-148"),) * 12, lines, 40, "product", FR_DOC, "Read"
    )
    slack = slack_message(card)
    assert_slack_limits(slack)
    listed = sum(t.count("• SKU-") for b in slack["blocks"] for t in texts_of(b))
    more = slack["blocks"][-2]["elements"][0]["text"]
    assert more == f"and {300 - listed + 40} more products" and listed > 40
    assert slack["blocks"][1]["text"]["text"].endswith("…") and len(slack["blocks"][2]["fields"]) == 10
    teams = assert_adaptive_card(teams_message(card))
    shown = teams["body"][-2]["text"].count("- SKU-")
    assert teams["body"][-1]["text"] == f"and {300 - shown + 40} more products"


def test_slack_text_shows_data_as_written_never_as_a_link() -> None:
    assert escape("<https://evil.example|click> & <!channel>") == (
        "&lt;https://evil.example|click&gt; &amp; &lt;!channel&gt;"
    )


def test_the_webhook_signature_is_hmac_sha256_over_timestamp_dot_body() -> None:
    body = b'{"kind":"order"}'
    request = ChannelRequest("webhook", "https://hooks.example.com/x", body, "delivery-1", secret="s3cret")
    headers = request.headers(timestamp=1707739200)
    expected = hmac.new(b"s3cret", b"1707739200." + body, hashlib.sha256).hexdigest()
    assert headers["X-Adcvd-Signature"] == f"t=1707739200,v1={expected}"
    assert headers["X-Adcvd-Delivery"] == "delivery-1"
    slack = ChannelRequest("slack", "https://hooks.slack.com/services/T/B/X", body, "delivery-1")
    assert "X-Adcvd-Signature" not in slack.headers(timestamp=1)


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://hooks.slack.com/services/T0/B0/xyz", None),
        ("http://127.0.0.1:8080/hook", None),
        ("http://localhost/hook", None),
        ("http://hooks.example.com/hook", "must be https"),
        ("ftp://example.com/x", "must be https"),
        ("https://user:pw@example.com/x", "user name or password"),
        ("https:///nohost", "no host"),
        ("https://example.com:99999/x", "not a URL"),
        ("https://example.com/a b", "spaces"),
    ],
)
def test_channel_urls_must_be_https_but_on_this_machine(url: str, problem: str | None) -> None:
    found = channel_url_problem(url)
    assert (found is None) if problem is None else (found is not None and problem in found)


def test_docs_webhooks_names_every_kind_and_data_field() -> None:
    """docs/webhooks.md is the receivers' contract: each event kind and each `data` field is in it."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "webhooks.md").read_text(encoding="utf-8")
    missing = [kind.value for kind in EventKind if f"`{kind.value}`" not in doc]
    missing += [f"{kind}.{key}" for kind, keys in DATA_KEYS.items() for key in keys if f"`{key}`" not in doc]
    missing += [f"type {kind}" for kind in DATA_KEYS if f"### type `{kind}`" not in doc]
    assert missing == []


def test_retry_after_is_read_as_seconds_or_a_date_and_capped() -> None:
    now = datetime(2024, 2, 12, 12, 0, tzinfo=UTC)
    assert retry_after_seconds("120", now=now) == 120.0
    assert retry_after_seconds("Mon, 12 Feb 2024 12:30:00 GMT", now=now) == 1800.0
    assert retry_after_seconds("Mon, 12 Feb 2024 11:00:00 GMT", now=now) == 0.0
    assert retry_after_seconds("86400", now=now) == 6 * 3600.0
    assert retry_after_seconds("soon", now=now) is None and retry_after_seconds(None, now=now) is None


def test_the_verification_code_in_the_docs_accepts_our_signature_and_refuses_a_forgery() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "webhooks.md").read_text(encoding="utf-8")
    code = doc.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, Any] = {}
    exec(compile(code, "docs/webhooks.md", "exec"), namespace)  # our own documentation
    verify = namespace["verify"]
    body = b'{"schema_version":1,"kind":"order"}'
    request = ChannelRequest("webhook", "https://erp.example/adcvd", body, "d-1", secret="s3cret")
    header = request.headers(timestamp=int(time.time()))["X-Adcvd-Signature"]
    assert verify("s3cret", header, body)
    assert not verify("s3cret", header, body.replace(b"order", b"revocation"))
    assert not verify("other", header, body)
    stale = request.headers(timestamp=int(time.time()) - 3600)["X-Adcvd-Signature"]
    assert not verify("s3cret", stale, body)


def test_a_link_slack_would_refuse_is_left_out_not_the_message() -> None:
    long_link = "https://www.federalregister.gov/documents/" + "x" * 3000
    card = Card("Order issued", "text", (), ("one",), 0, "product", long_link, "Read the notice")
    message = slack_message(card)
    assert_slack_limits(message)
    assert all(block["type"] != "actions" for block in message["blocks"])
