"""The source registry: one adapter entry per source, the only place that names them.

Adding a source is one watcher module whose `read_new` hands back finished records (watchers/finished.py),
one setting for its URL (and one for its interval if it keeps its own), and one `SourceAdapter` in
ADAPTERS (README "Adding a source"); the poll driver (worker/ingest/poll.py), the CLI (`adcvd poll NAME`),
the runtime and the scheduler (`poll:NAME`) take it from here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.engine import Engine

from watchers import federal_register_records, public_inspection_records, trade_gov_records
from watchers.finished import Reader, ReadRequest
from watchers.http import Fetcher, RateLimiter
from worker.alerts.holds import BulkHold
from worker.app.settings import Settings
from worker.ingest.poll import poll_source
from worker.ingest.save import PollReport


@dataclass(frozen=True)
class PollRequest:
    """What one poll was asked for; the source's stored state decides what it fetches."""

    now: datetime
    since: date | None = None
    dry_run: bool = False


@dataclass(frozen=True)
class SourceAdapter:
    name: str
    read_new: Reader  # the watcher's reader of finished records
    url: Callable[[Settings], str]
    interval_seconds: Callable[[Settings], int]
    # True: the job ticks every interval and the Federal Register posting schedule decides
    # whether to fetch (watchers/fr_schedule.py); False: it fetches on every tick.
    follows_fr_schedule: bool = False


ADAPTERS: tuple[SourceAdapter, ...] = (
    SourceAdapter(
        "federal_register",
        federal_register_records.read_new,
        url=lambda s: s.federal_register_url,
        interval_seconds=lambda s: s.poll_public_inspection_seconds,
        follows_fr_schedule=True,
    ),
    SourceAdapter(
        "public_inspection",
        public_inspection_records.read_new,
        url=lambda s: s.federal_register_url,
        interval_seconds=lambda s: s.poll_public_inspection_seconds,
        follows_fr_schedule=True,
    ),
    SourceAdapter(
        "trade_gov",
        trade_gov_records.read_new,
        url=lambda s: s.trade_gov_url,
        interval_seconds=lambda s: s.poll_trade_gov_minutes * 60,
    ),
)
SOURCES: tuple[str, ...] = tuple(adapter.name for adapter in ADAPTERS)


def adapter_for(name: str) -> SourceAdapter:
    """The adapter of a source; ValueError naming the known ones otherwise."""
    for adapter in ADAPTERS:
        if adapter.name == name:
            return adapter
    raise ValueError(f"unknown source {name!r}; known: {', '.join(SOURCES)}")


def read_request(
    adapter: SourceAdapter, settings: Settings, fetcher: Fetcher, request: PollRequest
) -> ReadRequest:
    """What every watcher is told, from the settings every source shares."""
    return ReadRequest(
        base_url=adapter.url(settings),
        now=request.now,
        since=request.since,
        dry_run=request.dry_run,
        prime_days=settings.prime_days,
        full_text_limiter=RateLimiter(settings.http_xml_requests_per_second, fetcher.sleep),
        filed_copy_url=settings.public_inspection_pdf_url,
    )


async def poll_adapter(
    adapter: SourceAdapter, settings: Settings, engine: Engine, fetcher: Fetcher, request: PollRequest
) -> PollReport:
    """One poll of a source through the one driver."""
    return await poll_source(
        engine,
        fetcher,
        adapter.name,
        adapter.read_new,
        read_request(adapter, settings, fetcher, request),
        name_threshold=settings.name_match_threshold,
        bulk_hold=BulkHold(settings.bulk_alert_threshold, settings.operator_email),
    )
