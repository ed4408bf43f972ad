"""/healthz and /metrics on a real uvicorn server: read from the database, 503 once a source fails past the
watchdog's threshold, and Prometheus text that prometheus_client's own parser reads."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.engine import Engine

from tests.support.mail import free_port
from tests.support.pipeline import pressure_washer_routes, set_cursor, settings_for
from tests.support.web import POLLED, live_server, web_settings
from worker.app.recorded_site import RecordedSite
from worker.app.runtime import run_poll
from worker.storage.db import make_engine, transaction
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
    assert found[("adcvd_delivery_latency_seconds_bucket", (("channel", "email"), ("le", "10.0")))] == 0
    assert (
        found[("adcvd_delivery_latency_seconds_bucket", (("channel", "email"), ("le", "30.0")))] == 1
    )  # 30 s
    assert found[("adcvd_delivery_latency_seconds_bucket", (("channel", "email"), ("le", "300.0")))] == 1
    assert found[("adcvd_delivery_latency_seconds_bucket", (("channel", "email"), ("le", "+Inf")))] == 2
    assert found[("adcvd_delivery_latency_seconds_bucket", (("channel", "email"), ("le", "900.0")))] == 2
    assert found[("adcvd_outbox_backlog", ())] == 1
    assert found[("adcvd_outbox_oldest_pending_age_seconds", ())] == 45 * 60
    assert found[("adcvd_database_up", ())] == 1


def test_a_database_that_does_not_answer_turns_healthz_503_and_metrics_down() -> None:
    away = make_engine(f"postgresql+psycopg://adcvd:secret@127.0.0.1:{free_port()}/adcvd?connect_timeout=2")
    with live_server(web_settings(), away) as base:
        health = httpx.get(f"{base}/healthz")
        metrics = httpx.get(f"{base}/metrics")
    assert health.status_code == 503
    assert health.json()["database"]["reachable"] is False and health.json()["status"] == "failing"
    assert "secret" not in health.text  # the reason names no password
    assert metrics.status_code == 200
    assert samples(metrics.text) == {("adcvd_database_up", ()): 0}
    away.dispose()


async def test_a_good_poll_counts_its_documents_and_its_success(engine: Engine, tmp_path: Path) -> None:
    set_cursor(engine, "2024-02-09")
    with RecordedSite(pressure_washer_routes()) as site:
        settings = settings_for(site.base_url, smtp_url=None, outbox=tmp_path, database_url=str(engine.url))
        report = await run_poll(settings, engine, "federal_register", now=POLLED)
    assert report.ok and report.documents_seen >= 1
    with live_server(web_settings(), engine, clock=lambda: POLLED + timedelta(minutes=5)) as base:
        found = samples(httpx.get(f"{base}/metrics").text)
        health = httpx.get(f"{base}/healthz").json()
    source = (("source", "federal_register"),)
    assert found[("adcvd_source_polls_total", source)] == 1
    assert found[("adcvd_source_failures_total", source)] == 0
    assert found[("adcvd_source_documents_read_total", source)] == report.documents_seen
    assert found[("adcvd_source_last_success_timestamp_seconds", source)] == POLLED.timestamp()
    [state] = health["sources"]
    assert state == {
        "name": "federal_register",
        "last_success_at": "2024-02-12T12:00:00+00:00",
        "last_failure_at": None,
        "consecutive_failures": 0,
        "failing": False,
    }
