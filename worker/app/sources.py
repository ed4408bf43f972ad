"""The source registry: one adapter entry per source, the only place that names them.

Adding a source is one watcher module (fetch, parse, records with their classification), a small ingest
module (its poll, record and event hook; saving goes through worker/ingest/save.py), one setting for its
URL or interval, and one `SourceAdapter` in ADAPTERS (README "Adding a source"); the CLI
(`adcvd poll NAME`), the runtime and the scheduler (`poll:NAME`) take it from here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.engine import Engine

from watchers.http import Fetcher, RateLimiter
from worker.alerts.holds import BulkHold
from worker.app.settings import Settings
from worker.ingest.federal_register import poll_federal_register
from worker.ingest.public_inspection import poll_public_inspection
from worker.ingest.save import PollReport
from worker.ingest.trade_gov import poll_trade_gov


@dataclass(frozen=True)
class PollRequest:
    """What one poll was asked for; the source's stored state decides what it fetches."""

    now: datetime
    since: date | None = None
    dry_run: bool = False


Poll = Callable[[Settings, Engine, Fetcher, PollRequest], Awaitable[PollReport]]


@dataclass(frozen=True)
class SourceAdapter:
    name: str
    poll: Poll
    interval_seconds: Callable[[Settings], int]
    # True: the job ticks every interval and the Federal Register posting schedule decides
    # whether to fetch (watchers/fr_schedule.py); False: it fetches on every tick.
    follows_fr_schedule: bool


def _bulk_hold(settings: Settings) -> BulkHold:
    return BulkHold(settings.bulk_alert_threshold, settings.operator_email)


async def _poll_federal_register(
    settings: Settings, engine: Engine, fetcher: Fetcher, request: PollRequest
) -> PollReport:
    return await poll_federal_register(
        engine,
        fetcher,
        base_url=settings.federal_register_url,
        now=request.now,
        prime_days=settings.prime_days,
        since=request.since,
        name_threshold=settings.name_match_threshold,
        dry_run=request.dry_run,
        full_text_limiter=RateLimiter(settings.http_xml_requests_per_second, fetcher.sleep),
        bulk_hold=_bulk_hold(settings),
    )


async def _poll_public_inspection(
    settings: Settings, engine: Engine, fetcher: Fetcher, request: PollRequest
) -> PollReport:
    return await poll_public_inspection(
        engine,
        fetcher,
        base_url=settings.federal_register_url,
        now=request.now,
        name_threshold=settings.name_match_threshold,
        dry_run=request.dry_run,
        pdf_base_url=settings.public_inspection_pdf_url,
        bulk_hold=_bulk_hold(settings),
    )


async def _poll_trade_gov(
    settings: Settings, engine: Engine, fetcher: Fetcher, request: PollRequest
) -> PollReport:
    return await poll_trade_gov(
        engine,
        fetcher,
        base_url=settings.trade_gov_url,
        now=request.now,
        name_threshold=settings.name_match_threshold,
        bulk_hold=_bulk_hold(settings),
        dry_run=request.dry_run,
    )


ADAPTERS: tuple[SourceAdapter, ...] = (
    SourceAdapter(
        "federal_register",
        _poll_federal_register,
        lambda s: s.poll_public_inspection_seconds,
        follows_fr_schedule=True,
    ),
    SourceAdapter(
        "public_inspection",
        _poll_public_inspection,
        lambda s: s.poll_public_inspection_seconds,
        follows_fr_schedule=True,
    ),
    SourceAdapter(
        "trade_gov", _poll_trade_gov, lambda s: s.poll_trade_gov_minutes * 60, follows_fr_schedule=False
    ),
)
SOURCES: tuple[str, ...] = tuple(adapter.name for adapter in ADAPTERS)


def adapter_for(name: str) -> SourceAdapter:
    """The adapter of a source; ValueError naming the known ones otherwise."""
    for adapter in ADAPTERS:
        if adapter.name == name:
            return adapter
    raise ValueError(f"unknown source {name!r}; known: {', '.join(SOURCES)}")
