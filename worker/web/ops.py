"""/healthz (JSON, 503 when the database is away or a source fails past the watchdog's rule) and /metrics.

Both are read from the database at request time, so any number of worker processes report one truth.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from worker.alerts.watchdog import source_failing
from worker.storage import outbox_rows, source_rows, web_rows
from worker.storage.db import transaction
from worker.web.context import web

# Created → sent, in seconds: a minute's poll-and-deliver cycle up to a week of backoff.
LATENCY_BUCKETS = (10.0, 30.0, 60.0, 120.0, 300.0, 900.0, 3600.0, 6 * 3600.0, 86400.0, 7 * 86400.0)


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def health(engine: Engine, *, failing_after: int, now: datetime) -> tuple[int, dict[str, object]]:
    """(HTTP status, body): 200 when the database answers and no source fails past the rule, else 503."""
    try:
        with transaction(engine) as session:
            web_rows.database_answers(session)
            states = source_rows.list_source_states(session)
            backlog, oldest = outbox_rows.outbox_backlog(session)
            blocked = source_rows.mail_blocked(session)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
        return 503, {"status": "failing", "database": {"reachable": False, "error": reason}}
    sources = [
        {
            "name": state.name,
            "last_success_at": iso(state.last_success_at),
            "last_failure_at": iso(state.last_failure_at),
            "consecutive_failures": state.consecutive_failures,
            "failing": source_failing(state, after=failing_after),
        }
        for state in states
    ]
    failing = [s["name"] for s in sources if s["failing"]]
    body: dict[str, object] = {
        "status": "failing" if failing else "ok",
        "checked_at": iso(now),
        "database": {"reachable": True},
        "sources": sources,
        "failing_sources": failing,
        "failing_after": failing_after,
        "outbox": {
            "backlog": backlog,
            "oldest_waiting_since": iso(oldest),
            "oldest_waiting_seconds": round((now - oldest).total_seconds()) if oldest else 0,
        },
        # Shown, not judged: a mail server refusing us is the operator's to fix, and alerts wait safely.
        "delivery": {"blocked": blocked is not None, "blocked_since": iso(blocked[0]) if blocked else None},
    }
    return (503 if failing else 200), body


class DatabaseCollector(Collector):
    """Reads every figure from the database at scrape time (prometheus_client custom collector)."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("adcvd_database_up", "1 when the database answered this scrape.")
        try:
            figures = list(self._figures())
        except SQLAlchemyError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from figures

    def _figures(self) -> Iterator[Metric]:
        now = self.clock()
        with transaction(self.engine) as session:
            states = source_rows.list_source_states(session)
            by_kind_status_channel = web_rows.count_alerts_by_kind_status_channel(session)
            backlog, oldest = outbox_rows.outbox_backlog(session)
            latencies = web_rows.sent_latency_histograms(session, LATENCY_BUCKETS)
        polls = CounterMetricFamily("adcvd_source_polls", "Polls of each source.", labels=["source"])
        failures = CounterMetricFamily("adcvd_source_failures", "Failed polls.", labels=["source"])
        documents = CounterMetricFamily("adcvd_source_documents_read", "Documents read.", labels=["source"])
        in_a_row = GaugeMetricFamily(
            "adcvd_source_consecutive_failures", "Failed polls in a row.", labels=["source"]
        )
        success = GaugeMetricFamily(
            "adcvd_source_last_success_timestamp_seconds",
            "Last successful poll (Unix time).",
            labels=["source"],
        )
        for state in states:
            polls.add_metric([state.name], state.polls_total)
            failures.add_metric([state.name], state.failures_total)
            documents.add_metric([state.name], state.documents_read_total)
            in_a_row.add_metric([state.name], state.consecutive_failures)
            if state.last_success_at is not None:
                success.add_metric([state.name], state.last_success_at.timestamp())
        yield from (polls, failures, documents, in_a_row, success)
        for name, doc, statuses in (
            ("adcvd_alerts_created", "Alerts created (outbox rows), by kind and channel.", None),
            ("adcvd_alerts_sent", "Alerts sent, by kind and channel.", {"sent"}),
            ("adcvd_alerts_failed", "Alerts given up on, by kind and channel.", {"failed"}),
        ):
            counts: dict[tuple[str, str], int] = {}
            for (kind, status, channel), count in by_kind_status_channel.items():
                if statuses is None or status in statuses:
                    counts[kind, channel] = counts.get((kind, channel), 0) + count
            family = CounterMetricFamily(name, doc, labels=["kind", "channel"])
            for (kind, channel), count in sorted(counts.items()):
                family.add_metric([kind, channel], count)
            yield family
        histogram = HistogramMetricFamily(
            "adcvd_delivery_latency_seconds",
            "Seconds from an alert's creation to its sending, by channel.",
            labels=["channel"],
        )
        for channel, (within, total, count) in sorted(latencies.items()):
            buckets = [(repr(bound), float(n)) for bound, n in zip(LATENCY_BUCKETS, within, strict=True)]
            buckets.append(("+Inf", float(count)))
            histogram.add_metric([channel], buckets=buckets, sum_value=total)
        yield histogram
        pending = GaugeMetricFamily("adcvd_outbox_backlog", "Alerts waiting to be sent.")
        pending.add_metric([], backlog)
        yield pending
        age = GaugeMetricFamily(
            "adcvd_outbox_oldest_pending_age_seconds", "Age of the oldest alert waiting (0 when none)."
        )
        age.add_metric([], max((now - oldest).total_seconds(), 0.0) if oldest else 0.0)
        yield age


def healthz(request: Request) -> Response:
    context = web(request)
    status, body = health(
        context.engine, failing_after=context.settings.source_failure_alert_after, now=context.clock()
    )
    return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


def metrics(request: Request) -> Response:
    context = web(request)
    registry = CollectorRegistry(auto_describe=False)
    registry.register(DatabaseCollector(context.engine, context.clock))
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


ROUTES: list[BaseRoute] = [
    Route("/healthz", healthz, methods=["GET"]),
    Route("/metrics", metrics, methods=["GET"]),
]
