"""/healthz and /metrics on a real uvicorn server: read from the database, 503 once a source fails past the
watchdog's threshold, and Prometheus text that prometheus_client's own parser reads."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.engine import Engine

from tests.support.mail import free_port
from tests.support.web import live_server, web_settings
from worker.app.runtime import run_poll
from worker.storage.db import transaction
from worker.storage.models import Alert, Subscriber


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def fail_polls(engine: Engine, source: str, times: int, now: datetime) -> None:
    """Real polls of trade.gov against a port nobody listens on: each fails with 'connection refused'."""
    dead = f"http://127.0.0.1:{free_port()}"
    settings = web_settings(trade_gov_url=dead, http_max_retries=0)
    for attempt in range(times):
        report = await run_poll(settings, engine, source, now=now + timedelta(minutes=attempt))
        assert not report.ok


async def test_healthz_is_200_then_503_once_a_source_fails_past_the_threshold(
    engine: Engine, now: datetime
) -> None:
    settings = web_settings(source_failure_alert_after=3)
    with live_server(settings, engine, clock=lambda: now) as base:
        async with httpx.AsyncClient(base_url=base) as client:
            fresh = await client.get("/healthz")
            assert fresh.status_code == 200
            assert fresh.json()["status"] == "ok" and fresh.json()["database"] == {"reachable": True}

            await fail_polls(engine, "trade_gov", 2, now)
            two = await client.get("/healthz")
            assert two.status_code == 200  # two failures: below the watchdog's threshold of three
            [source] = two.json()["sources"]
            assert source["name"] == "trade_gov" and source["consecutive_failures"] == 2
            assert source["last_failure_at"] == (now + timedelta(minutes=1)).isoformat(timespec="seconds")
            assert source["last_success_at"] is None

            await fail_polls(engine, "trade_gov", 1, now + timedelta(minutes=2))
            three = await client.get("/healthz")
            assert three.status_code == 503
            assert three.json()["status"] == "failing" and three.json()["failing_sources"] == ["trade_gov"]


async def test_metrics_parse_and_count_polls_alerts_latency_and_outbox_age(
    engine: Engine, now: datetime
) -> None:
    await fail_polls(engine, "trade_gov", 2, now)
    with transaction(engine) as session:
        subscriber = Subscriber(email="buyer@example.com", role="importer")
        session.add(subscriber)
        session.flush()
        assert subscriber.id is not None
        for number, (kind, status, age_minutes, latency) in enumerate(
            [("order", "sent", 90, 30), ("order", "sent", 80, 600), ("reminder", "pending", 45, None)]
        ):
            created = now - timedelta(minutes=age_minutes)
            session.add(
                Alert(
                    dedupe_key=f"test:{number}",
                    subscriber_id=subscriber.id,
                    kind=kind,
                    status=status,
                    created_at=created,
                    sent_at=created + timedelta(seconds=latency) if latency is not None else None,
                )
            )
    with live_server(web_settings(), engine, clock=lambda: now) as base:
        response = httpx.get(f"{base}/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    found = samples(response.text)
    source = (("source", "trade_gov"),)
    assert found[("adcvd_source_polls_total", source)] == 2
    assert found[("adcvd_source_failures_total", source)] == 2
    assert found[("adcvd_source_consecutive_failures", source)] == 2
    email = lambda kind: (("channel", "email"), ("kind", kind))  # noqa: E731
    assert found[("adcvd_alerts_created_total", email("order"))] == 2
    assert found[("adcvd_alerts_created_total", email("reminder"))] == 1
    assert found[("adcvd_alerts_sent_total", email("order"))] == 2
    assert ("adcvd_alerts_sent_total", email("reminder")) not in found
    latency = (("channel", "email"),)
    assert found[("adcvd_delivery_latency_seconds_count", latency)] == 2
    assert found[("adcvd_delivery_latency_seconds_sum", latency)] == 630
    assert found[("adcvd_delivery_latency_seconds_bucket", (("channel", "email"), ("le", "60.0")))] == 1
    assert found[("adcvd_delivery_latency_seconds_bucket", (("channel", "email"), ("le", "900.0")))] == 2
    assert found[("adcvd_outbox_backlog", ())] == 1
    assert found[("adcvd_outbox_oldest_pending_age_seconds", ())] == 45 * 60
    assert found[("adcvd_database_up", ())] == 1
