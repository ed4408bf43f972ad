"""The alert payloads the worker stores are the typed views the notifier declares (notifier.views)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy.engine import Engine

from notifier.report_views import BaselineView, DigestView, ReminderView
from notifier.views import AlertView, MatchView, ProductView
from tests.support.pipeline import (
    pressure_washer_routes,
    set_cursor,
    settings_for,
    subscribe_sample_portfolio,
)
from worker.alerts.audience import local_today
from worker.alerts.baseline import build_baseline_payload
from worker.alerts.digest import build_digest_payload, preview_period
from worker.alerts.importer_deadlines import collect_deadlines
from worker.alerts.reminders import reminder_payload
from worker.app.recorded_site import RecordedSite
from worker.app.runtime import run_poll
from worker.storage import outbox_rows, people
from worker.storage.db import transaction


def keys_of(view: type[Any]) -> set[str]:
    return set(view.__required_keys__) | set(view.__optional_keys__)


async def test_routed_alert_payloads_are_alert_views(engine: Engine, tmp_path: Path, now: datetime) -> None:
    subscribe_sample_portfolio(engine)
    set_cursor(engine, "2024-02-09")
    with RecordedSite(pressure_washer_routes()) as site:
        settings = settings_for(
            site.base_url, smtp_url=None, outbox=tmp_path / "o", database_url=str(engine.url)
        )
        report = await run_poll(settings, engine, "federal_register", now=now)
    assert report.alerts_created >= 1
    with transaction(engine) as session:
        payloads = [a.payload for a in outbox_rows.list_alerts(session) if a.kind != "baseline"]
    assert payloads
    adapter = TypeAdapter(AlertView)
    for payload in payloads:
        adapter.validate_python(payload)  # every key of the right type, nested views included
        assert keys_of(AlertView) >= set(payload) >= set(AlertView.__required_keys__)
        for product in payload["products"]:
            assert set(product) == keys_of(ProductView)
            for match in product["matches"]:
                assert set(match) == keys_of(MatchView)


async def test_reminder_digest_and_baseline_payloads_are_their_views(
    engine: Engine, tmp_path: Path, now: datetime
) -> None:
    """The other messages the notifier renders are typed too: each payload validates against its view."""
    subscribe_sample_portfolio(engine)
    set_cursor(engine, "2024-02-09")
    with RecordedSite(pressure_washer_routes()) as site:
        settings = settings_for(
            site.base_url, smtp_url=None, outbox=tmp_path / "o", database_url=str(engine.url)
        )
        await run_poll(settings, engine, "federal_register", now=now)
    with transaction(engine) as session:
        subscriber = people.list_subscribers(session)[0]
        assert subscriber.importer_id is not None
        today = local_today(now, subscriber.time_zone)
        baseline = build_baseline_payload(session, subscriber, now=now, threshold=90)
        digest = build_digest_payload(
            session, subscriber, period=preview_period(session, subscriber, now=now), now=now, threshold=90
        )
        items = collect_deadlines(
            session, importer_id=subscriber.importer_id, today=today, until=today + timedelta(days=800)
        )
        reminders = [
            reminder_payload(
                item, subscriber=subscriber, importer="x", today=today, now=now, rung=1, ladder=(10, 1)
            )
            for item in items
        ]
    assert baseline["products"] and digest["exposure"] and reminders  # the views are not empty
    for view, payloads in (
        (BaselineView, [baseline]),
        (DigestView, [digest]),
        (ReminderView, reminders),
    ):
        adapter = TypeAdapter(view)
        for payload in payloads:
            stored = json.loads(json.dumps(payload))  # as the outbox stores it
            adapter.validate_python(stored)
            assert set(stored) >= set(view.__required_keys__)
            assert set(stored) <= keys_of(view)
