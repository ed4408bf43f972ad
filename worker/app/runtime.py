"""The runtime seams: real clock, HTTP client, mailer and the jobs the scheduler and CLI run."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

import httpx
from sqlalchemy.engine import Engine

from notifier.links import SOURCE_LINK_HOSTS
from notifier.mailer import Mailer, make_mailer
from watchers.fr_schedule import next_poll_delay
from watchers.http import Fetcher, FetchResult, RateLimiter, origin_of
from worker.alerts.audience import local_today
from worker.alerts.watchdog import WatchReport, check_sources, note_set_aside
from worker.app.settings import Settings
from worker.app.sources import ADAPTERS, PollRequest, adapter_for, poll_adapter
from worker.ingest.recording import Recorder
from worker.ingest.save import PollReport
from worker.outbox.delivery import DeliveryReport, deliver_due_alerts
from worker.storage import poll_counts, source_rows
from worker.storage.db import transaction
from worker.storage.locks import poll_lock
from worker.web.links import EmailLinks
from worker.web.tokens import LinkTokens


def utc_now() -> datetime:
    return datetime.now(UTC)


def source_urls(settings: Settings) -> tuple[str, ...]:
    """The configured sources' base URLs: each adapter's, then where filed copies are read."""
    urls = [*(adapter.url(settings) for adapter in ADAPTERS), settings.public_inspection_pdf_url]
    return tuple(dict.fromkeys(urls))


def source_hosts(settings: Settings) -> frozenset[str]:
    """The configured sources' origins (scheme, host and port): the only places the worker fetches from."""
    return frozenset(origin_of(u) for u in source_urls(settings))


def link_hosts(settings: Settings) -> frozenset[str]:
    """Hosts an email may link to: the official sources' and the configured ones served over https."""
    urls = source_urls(settings)
    configured = {urlsplit(u).hostname or "" for u in urls if urlsplit(u).scheme == "https"}
    return SOURCE_LINK_HOSTS | {host.lower() for host in configured if host}


@asynccontextmanager
async def open_fetcher(settings: Settings, *, record_dir: str | None = None) -> AsyncIterator[Fetcher]:
    timeout = httpx.Timeout(settings.http_timeout_seconds, connect=10.0)
    async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as client:
        fetcher = Fetcher(
            client=client,
            allowed_hosts=source_hosts(settings),
            max_retries=settings.http_max_retries,
            deadline_seconds=settings.http_request_deadline_seconds,
        )
        fetcher.limiter = RateLimiter(settings.http_requests_per_second, fetcher.sleep)
        if record_dir:
            recorder = Recorder(record_dir)

            def record(result: FetchResult) -> None:
                recorder.save(result)

            fetcher.recorder = record
        yield fetcher


def mailer_for(settings: Settings) -> Mailer:
    return make_mailer(
        smtp_url=settings.smtp_url_value(),
        outbox_dir=settings.outbox_dir,
        timeout=settings.smtp_timeout_seconds,
    )


async def run_poll(
    settings: Settings,
    engine: Engine,
    source: str,
    *,
    since: date | None = None,
    dry_run: bool = False,
    record_dir: str | None = None,
    now: datetime | None = None,
) -> PollReport:
    adapter = adapter_for(source)  # ValueError for an unknown source, before any lock or fetch
    now = now or utc_now()
    with poll_lock(engine, source) as mine:
        if not mine:
            # Another worker is polling this source; its stored state decides what comes next.
            return PollReport(source=source, skipped="another worker is polling this source")
        async with open_fetcher(settings, record_dir=record_dir) as fetcher:
            request = PollRequest(now=now, since=since, dry_run=dry_run)
            report = await poll_adapter(adapter, settings, engine, fetcher, request)
        if not dry_run:
            note_set_aside(
                engine,
                operator_email=settings.operator_email,
                source=source,
                set_aside=report.set_aside,
                now=now,
            )
            note_set_aside(
                engine,
                operator_email=settings.operator_email,
                source=source,
                set_aside=report.gave_up,
                now=now,
                what="no-full-text",
            )
            count_finished_poll(engine, report, now=now)
            watch_sources(settings, engine, now=now)
    return report


def count_finished_poll(engine: Engine, report: PollReport, *, now: datetime) -> None:
    """The source's running totals for /metrics; a poll that set documents aside counts as failed, as
    the watchdog counts it."""
    with transaction(engine) as session:
        poll_counts.count_poll(
            session,
            report.source,
            failed=not report.ok or bool(report.set_aside),
            documents=report.documents_seen,
            now=now,
        )


def watch_sources(settings: Settings, engine: Engine, *, now: datetime) -> WatchReport:
    """Operator alerts for failing or silent sources (worker.alerts.watchdog), decided from stored state."""
    return check_sources(
        engine,
        operator_email=settings.operator_email,
        failure_alert_after=settings.source_failure_alert_after,
        today=local_today(now, settings.time_zone),
        now=now,
    )


def poll_is_due(engine: Engine, source: str, *, now: datetime) -> bool:
    """Whether the FR schedule calls for a poll now: fast around posting times, slow otherwise."""
    with transaction(engine) as session:
        last = source_rows.load_source_state(session, source).last_attempt_at
    return last is None or last + timedelta(seconds=next_poll_delay(last)) <= now


class Stopping:
    """Set on SIGTERM: jobs finish what is in flight and claim nothing new."""

    def __init__(self) -> None:
        self.requested = False

    def __call__(self) -> bool:
        return self.requested


STOPPING = Stopping()


async def run_delivery(settings: Settings, engine: Engine, *, now: datetime | None = None) -> DeliveryReport:
    moment = now or utc_now()
    return await deliver_due_alerts(
        engine,
        mailer_for(settings),
        now=moment,
        sender=settings.mail_from,
        batch=settings.delivery_batch,
        lease=timedelta(seconds=settings.delivery_lease_seconds),
        max_attempts=settings.max_delivery_attempts,
        link_hosts=link_hosts(settings),
        stopping=STOPPING,
        channel_timeout=settings.channel_timeout_seconds,
        channel_deadline=settings.channel_timeout_seconds * 3,
        links=email_links(settings, now=moment),
    )


def email_links(settings: Settings, *, now: datetime) -> EmailLinks | None:
    """Signed links to the web pages for the emails (stamped `now`), when ADCVD_PUBLIC_URL is set."""
    secret = settings.secret_key_value()
    if not settings.public_url or not secret:
        return None
    return EmailLinks(LinkTokens(secret, clock=lambda: now), settings.public_url)
