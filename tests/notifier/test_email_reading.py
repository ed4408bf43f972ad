"""What a reader relies on: subject names product and country, preheader and summary first, title once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from notifier.summary import alert_summary
from tests.notifier.golden_support import pressure_washer_catalog
from tests.notifier.test_golden_emails import _build, _events, _notice, _subscriber
from tests.support.mail import html_of, text_of
from worker.alerts.routing import route_notice_events
from worker.catalog.events import EventKind

TITLE = (
    "Gas Powered Pressure Washers From the People's Republic of China: Antidumping Duty and Countervailing"
)


@pytest.fixture(scope="module")
def order_email(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmailMessage]:
    engine: Engine = pressure_washer_catalog(tmp_path_factory.mktemp("reading"))
    with Session(engine, expire_on_commit=False) as session:
        session.begin()
        subscriber = _subscriber(session, role="importer")
        notice = _notice(session, EventKind.ORDER, "2024-90003")
        events = _events(session, EventKind.ORDER, "2024-90003")
        alerts = route_notice_events(
            session, notice=notice, events=events, now=notice.first_seen_at, threshold=90
        )
        [alert] = [a for a in alerts if a.subscriber_id == subscriber.id]
        message = _build(alert, subscriber)
        session.rollback()
    engine.dispose()
    assert isinstance(message, EmailMessage)
    yield message


def test_subject_names_product_and_country(order_email: EmailMessage) -> None:
    subject = str(order_email["Subject"])
    assert "Gas Powered Pressure Washers from China" in subject and "A-570-148" in subject


def test_preheader_opens_the_body_with_rate_exposure_and_what_to_do(order_email: EmailMessage) -> None:
    html = html_of(order_email)
    body = html.split("<body", 1)[1].split(">", 1)[1]
    assert body.startswith('<div class="preheader"')
    preheader = re.sub(r"<[^>]+>", "", body.split("</div>", 1)[0])
    for fact in ("275.02% (AD + CVD)", "180.53% (AD + CVD)", "$2,194,553 a year", "Post cash deposits"):
        assert fact in preheader
    assert "display: none" in body.split(">", 1)[0]


def test_text_summary_comes_before_the_details(order_email: EmailMessage) -> None:
    text = text_of(order_email)
    short = text.index("IN SHORT")
    assert short < text.index("WHAT HAPPENED") < text.index("YOUR PRODUCTS")
    block = text[short : text.index("WHAT HAPPENED")]
    assert "PW-2700: 275.02% (AD + CVD); PW-3100: 180.53% (AD + CVD)" in block
    assert "Exposure: $2,194,553 a year (estimate)" in block


def test_the_notice_title_appears_once_in_each_part(order_email: EmailMessage) -> None:
    html_body = html_of(order_email).split("</head>", 1)[1]
    assert text_of(order_email).count(TITLE) == 1
    assert html_body.count(TITLE.replace("'", "&#39;")) + html_body.count(TITLE) == 1


def test_tables_stack_at_phone_width(order_email: EmailMessage) -> None:
    html = html_of(order_email)
    media = html.split("@media only screen and (max-width: 600px)", 1)[1].split("</style>", 1)[0]
    assert "table.stack" in media and "display: block !important" in media
    table = html.split('<table class="stack"', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r"<td(?![^>]*rowspan)[^>]*>", table)
    assert cells and all("data-label=" in cell for cell in cells)  # each stacked cell says what it is


def test_summary_says_unknown_rather_than_zero() -> None:
    products = [
        {
            "sku": "A",
            "stacks": [{"total_rate": "10.00", "exposure": "1000.00", "both": False, "complete": True}],
        },
        {"sku": "B", "stacks": [{"total_rate": None, "exposure": None, "both": False, "complete": False}]},
    ]
    summary = alert_summary(products)
    assert summary["exposure"] is None and summary["known_exposure"] == "1000.00"
    assert summary["unknown_exposure"] == 1 and summary["top_rate"] == "10.00"
    assert [p["rate"] for p in summary["products"]] == ["10.00", None]
