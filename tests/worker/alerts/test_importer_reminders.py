"""The order alert promises importers a review-request reminder: they get it by default."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.engine import Engine

from tests.support.realistic import add_subscriber, seeded_realistic_portfolio
from worker.alerts.reminders import queue_reminders
from worker.storage import outbox_rows, people
from worker.storage.db import transaction
from worker.storage.models import Deadline

LADDER = (30, 14, 7, 2, 0)
# Steel Nails (A-570-909) was ordered 2008-08-01: the 2024 window closes Saturday Aug 31, so
# Tuesday Sep 3 after Labor Day (19 CFR 351.303(b)(1)). Sep 3 is the ladder's 0 rung.
DUE = date(2024, 9, 3)
NOW = datetime(2024, 9, 3, 15, 0, tzinfo=UTC)


def _setup(engine: Engine, subscribers: dict[str, tuple[str, dict[str, bool]]]) -> None:
    seeded_realistic_portfolio(engine)
    for email, (role, kinds) in subscribers.items():
        add_subscriber(
            engine,
            email,
            role=role,
            unsubscribe_token=email,
            preferences={"kinds": kinds},
            created_at=datetime(2024, 1, 2, tzinfo=UTC),
        )
    with transaction(engine) as session:
        session.add(
            Deadline(case_number="A-570-909", kind="case_brief", due_date=DUE, sentence="Case briefs...")
        )


def _reminders(engine: Engine) -> dict[str, set[tuple[str, str]]]:
    with transaction(engine) as session:
        queue_reminders(session, now=NOW, ladder=LADDER)
        emails = {s.id: s.email for s in people.list_subscribers(session)}
        sent: dict[str, set[tuple[str, str]]] = {email: set() for email in emails.values()}
        for alert in outbox_rows.list_alerts(session):
            if alert.kind == "reminder" and alert.subscriber_id is not None:
                deadline = alert.payload["deadline"]
                sent[emails[alert.subscriber_id]].add((deadline["case_number"], deadline["kind"]))
    return sent


def test_importers_get_the_review_window_reminder_by_default_and_counsel_every_deadline(
    engine: Engine,
) -> None:
    _setup(
        engine,
        {
            "imports@harbor.example": ("importer", {}),
            "quiet@harbor.example": ("importer", {"reminder": False}),
            "counsel@law.example": ("counsel", {}),
            "ops@harbor.example": ("ops", {}),
        },
    )
    sent = _reminders(engine)
    assert ("A-570-909", "review_request") in sent["imports@harbor.example"]
    assert {kind for _, kind in sent["imports@harbor.example"]} == {"review_request"}
    assert {("A-570-909", "review_request"), ("A-570-909", "case_brief")} <= sent["counsel@law.example"]
    assert sent["quiet@harbor.example"] == set() and sent["ops@harbor.example"] == set()
