"""The alert payloads the worker stores are the typed views the notifier declares (notifier.views)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy.engine import Engine

from notifier.views import AlertView, MatchView, ProductView
from tests.support.pipeline import (
    pressure_washer_routes,
    set_cursor,
    settings_for,
    subscribe_sample_portfolio,
)
from worker.app.recorded_site import RecordedSite
from worker.app.runtime import run_poll
from worker.storage import store
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
        payloads = [a.payload for a in store.list_alerts(session) if a.kind != "baseline"]
    assert payloads
    adapter = TypeAdapter(AlertView)
    for payload in payloads:
        adapter.validate_python(payload)  # every key of the right type, nested views included
        assert keys_of(AlertView) >= set(payload) >= set(AlertView.__required_keys__)
        for product in payload["products"]:
            assert set(product) == keys_of(ProductView)
            for match in product["matches"]:
                assert set(match) == keys_of(MatchView)
