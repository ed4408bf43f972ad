"""Golden emails for every alert kind, the reminder, the digest and the baseline report.

Each is built by the real code (routing, reminders, digest, baseline, delivery's message builder)
over a catalog holding the real pressure-washers order (FR Doc 2024-02902). Regenerate the files
in tests/golden only on purpose: UPDATE_GOLDEN=1 .venv/bin/pytest tests/notifier.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlmodel import Session

from tests.notifier.golden_support import assert_golden
from watchers.review_request import REVIEW_REQUEST_CITATION
from worker.alerts.baseline import queue_baseline_report
from worker.alerts.digest import queue_digests
from worker.alerts.link_mail import queue_preferences_link
from worker.alerts.reminders import queue_reminders
from worker.alerts.routing import route_notice_events
from worker.catalog.events import Event, EventKind, Severity
from worker.outbox.delivery import build_alert_message
from worker.outbox.mail_links import footer_links, one_click_link
from worker.storage import case_rows, outbox_rows, people
from worker.storage.models import Alert, CompanyRate, Notice, Subscriber
from worker.web.links import EmailLinks
from worker.web.tokens import LinkTokens

NOW = datetime(2024, 3, 4, 15, 0, tzinfo=UTC)  # Monday 10:00 Eastern
SENDER = "adcvd-watch <alerts@adcvd-watch.localhost>"
PUBLIC_URL = "https://alerts.adcvd-watch.example"
CASES = ("A-570-148", "C-570-149")
TITLES: dict[EventKind, str] = {
    EventKind.NEW_INVESTIGATION: "Initiation of Less-Than-Fair-Value Investigation",
    EventKind.PRELIMINARY_DETERMINATION: "Preliminary Affirmative Determination of Sales at Less Than "
    "Fair Value",
    EventKind.FINAL_DETERMINATION: "Final Affirmative Determination of Sales at Less Than Fair Value",
    EventKind.ORDER: "Antidumping Duty and Countervailing Duty Orders",
    EventKind.RATE_CHANGE: "Notice of Court Decision Not in Harmony and Notice of Amended Final "
    "Determination",
    EventKind.REVOCATION: "Revocation of Antidumping Duty Order in Part",
    EventKind.CONTINUATION: "Continuation of Antidumping and Countervailing Duty Orders",
    EventKind.RESCISSION: "Rescission of Antidumping Duty Administrative Review; 2024-2025",
    EventKind.REVIEW_RESULTS: "Final Results of Antidumping Duty Administrative Review; 2024-2025",
    EventKind.NEW_SHIPPER: "Initiation of Antidumping Duty New Shipper Review",
    EventKind.CHANGED_CIRCUMSTANCES: "Initiation of Changed Circumstances Review",
    EventKind.SCOPE: "Final Scope Ruling",
    EventKind.CIRCUMVENTION: "Initiation of Circumvention Inquiry on the Antidumping Duty Order",
    EventKind.SUSPENSION: "Suspension of Antidumping Duty Investigation",
    EventKind.SUNSET: "Initiation of Five-Year (Sunset) Reviews",
    EventKind.NEW_DEADLINE: "Opportunity To Request Administrative Review",
    EventKind.EARLY_SIGNAL: "Preliminary Results of Antidumping Duty Administrative Review (announced)",
}
SEVERITY = {EventKind.RESCISSION: Severity.INFO, EventKind.CONTINUATION: Severity.INFO}


def _subscriber(session: Session, *, role: str, kinds: dict[str, bool] | None = None) -> Subscriber:
    importer = people.load_importer(session, "Demo Outdoor Power Inc.")
    assert importer is not None
    subscriber = Subscriber(
        email=f"{role}@demo-outdoor-power.example",
        importer_id=importer.id,
        role=role,
        digest="weekly",
        time_zone="America/New_York",
        unsubscribe_token="golden-token",
        preferences={"kinds": kinds or {}},
        created_at=datetime(2024, 1, 2, tzinfo=UTC),
    )
    session.add(subscriber)
    session.flush()
    return subscriber


def _notice(session: Session, kind: EventKind, number: str) -> Notice:
    notice = Notice(
        document_number=number,
        publication_date=date(2024, 3, 4),
        effective_date=date(2024, 3, 4),
        title=f"Gas Powered Pressure Washers From the People's Republic of China: {TITLES[kind]}",
        kind=kind.value,
        html_url=f"https://www.federalregister.gov/d/{number}",
        first_seen_at=NOW,
    )
    session.add(notice)
    session.flush()
    return notice


def _events(session: Session, kind: EventKind, number: str) -> list[Event]:
    severity = SEVERITY.get(
        kind, Severity.HIGH if kind in (EventKind.ORDER, EventKind.REVOCATION) else Severity.MEDIUM
    )
    if kind is EventKind.NEW_DEADLINE:
        due = date(2024, 3, 29)
        details = {
            "deadline_kind": "review_request",
            "due": due.isoformat(),
            "sentence": "Not later than the last day of March 2024, interested parties may request "
            "administrative review of the following orders.",
            "citation": REVIEW_REQUEST_CITATION,
            "key_suffix": ":review_request:2024-03-29",
        }
        return [
            Event(
                kind, severity, case, number, f"review request due {due}", effective_date=due, details=details
            )
            for case in CASES
        ]
    if kind is EventKind.RATE_CHANGE:
        [sumec] = [r for r in case_rows.list_rates(session, ["A-570-148"]) if r.exporter.startswith("Sumec")]
        session.add(
            CompanyRate(
                case_number="A-570-148",
                exporter=sumec.exporter,
                producer=sumec.producer,
                rate=Decimal("98.20"),
                basis=sumec.basis,
                effective_date=date(2024, 3, 4),
                notice_document_number=number,
            )
        )
        session.flush()
        label = (
            sumec.exporter
            if sumec.producer in ("", sumec.exporter)
            else f"{sumec.exporter} / {sumec.producer}"
        )
        return [
            Event(
                kind,
                Severity.HIGH,
                "A-570-148",
                number,
                f"Rate for {label} changed from {sumec.cash_deposit or sumec.rate}% to 98.20%",
                effective_date=date(2024, 3, 4),
                details={"company": label, "key_suffix": ":sumec"},
            )
        ]
    details = {"revokes": "partial"} if kind is EventKind.REVOCATION else {}
    cases = CASES[:1] if kind in (EventKind.NEW_SHIPPER, EventKind.RESCISSION) else CASES
    return [Event(kind, severity, case, number, TITLES[kind], details=details) for case in cases]


# Signed links are deterministic for one secret, payload and time: the goldens show real ones.
LINKS = EmailLinks(LinkTokens("golden-secret-key-0123456789-abcdefghij", clock=lambda: NOW), PUBLIC_URL)


def _build(alert: Alert, subscriber: Subscriber) -> object:
    return build_alert_message(
        alert,
        recipient=subscriber.email,
        sender=SENDER,
        now=NOW,
        thread=(),
        unsubscribe=f"mailto:alerts@adcvd-watch.localhost?subject=unsubscribe%20{subscriber.unsubscribe_token}",
        one_click=one_click_link(LINKS, subscriber, alert),
        footer=footer_links(LINKS, subscriber, alert),
    )


@pytest.mark.parametrize("kind", list(EventKind), ids=[k.value for k in EventKind])
def test_alert_kind_golden(session: Session, kind: EventKind) -> None:
    subscriber = _subscriber(session, role="importer", kinds={k.value: True for k in EventKind})
    number = f"2024-9{list(EventKind).index(kind):04d}"
    notice = _notice(session, kind, number)
    alerts = route_notice_events(
        session,
        notice=notice,
        events=_events(session, kind, number),
        now=NOW,
        threshold=90,
        citation=f"89 FR {17000 + list(EventKind).index(kind)}",
    )
    [alert] = [a for a in alerts if a.subscriber_id == subscriber.id]
    assert alert.payload["template"] == f"alert_{kind.value}" and alert.kind == kind.value
    message = _build(alert, subscriber)
    assert_golden(f"alert_{kind.value}", message)  # type: ignore[arg-type]


def test_reminder_golden(session: Session) -> None:
    subscriber = _subscriber(session, role="counsel")
    # Seven business days before the annual inquiry service list deadline of March 13, 2024.
    queued = queue_reminders(session, now=datetime(2024, 3, 4, 14, 0, tzinfo=UTC), ladder=(30, 14, 7, 2, 0))
    [alert] = [a for a in queued if a.subscriber_id == subscriber.id]
    assert alert.payload["rung"] == 7
    assert_golden("reminder", _build(alert, subscriber))  # type: ignore[arg-type]


def test_digest_golden(session: Session) -> None:
    subscriber = _subscriber(session, role="ops")
    importer = people.load_importer(session, "Demo Outdoor Power Inc.")
    assert importer is not None
    for row in people.list_subscribers(session, importer_ids=[importer.id or 0]):
        if row.id != subscriber.id:
            row.digest = "none"
    # The order's alert rows are from February 12: the ops digest of that week, sent Monday the 19th.
    queued = queue_digests(session, now=datetime(2024, 2, 19, 13, 0, tzinfo=UTC), threshold=90)
    [alert] = [a for a in queued if a.subscriber_id == subscriber.id]
    assert_golden("digest", _build(alert, subscriber))  # type: ignore[arg-type]


def test_baseline_golden(session: Session) -> None:
    subscriber = _subscriber(session, role="counsel")
    alert = queue_baseline_report(session, subscriber, now=datetime(2024, 2, 20, 15, 0, tzinfo=UTC))
    assert alert is not None
    assert_golden("baseline", _build(alert, subscriber))  # type: ignore[arg-type]


def test_preferences_link_golden(session: Session) -> None:
    subscriber = _subscriber(session, role="importer")
    assert queue_preferences_link(session, subscriber, now=NOW, link_days=30)
    [alert] = outbox_rows.list_subscriber_alerts(
        session, subscriber_id=subscriber.id or 0, kinds=["preferences_link"]
    )
    assert_golden("preferences_link", _build(alert, subscriber))  # type: ignore[arg-type]
