"""Backfill: prime the catalog from years of ITA notices, month by month, politely, resumably, silently."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.engine import Engine

from watchers.federal_register_records import read_record
from watchers.federal_register_windows import (
    PER_PAGE,
    fetch_window,
    halve,
    month_windows,
    read_window,
)
from watchers.finished import Batch
from watchers.http import Fetcher, RateLimiter, SourceError
from watchers.records import SetAside
from worker.ingest.full_text import WAITING_KIND
from worker.ingest.save import PollReport, record_failure, save_batch
from worker.ingest.stored_records import StoredLookups
from worker.storage import notice_rows, source_rows
from worker.storage.db import transaction

log = logging.getLogger(__name__)
FEDERAL_REGISTER = "federal_register"  # the live source a backfill primes
BACKFILL_PREFIX = f"backfill:{FEDERAL_REGISTER}"


def state_name(since: date) -> str:
    """One checkpoint per --since: a rerun of the same command resumes, another start date starts afresh."""
    return f"{BACKFILL_PREFIX}:{since.isoformat()}"


def resume_point(cursor: str | None, *, since: date) -> date:
    """The day after the last completed window, or `since` when nothing was completed."""
    if cursor is None:
        return since
    return max(since, date.fromisoformat(cursor) + timedelta(days=1))


@dataclass
class BackfillReport:
    since: date
    until: date
    resumed_from: date | None = None
    ok: bool = True
    error: str | None = None
    windows_total: int = 0
    windows_done: int = 0
    windows_split: int = 0
    documents_seen: int = 0
    documents_new: int = 0
    documents_read: int = 0
    cases_touched: int = 0
    rates_added: int = 0
    alerts_created: int = 0
    requests: int = 0
    set_aside: dict[str, str] = field(default_factory=dict)  # results that could not be read, with why
    waiting: dict[str, str] = field(default_factory=dict)  # full texts that failed: read again next run
    gave_up: dict[str, str] = field(default_factory=dict)  # full texts that never came: metadata only
    started: float = field(default_factory=time.monotonic)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started


Progress = Callable[[BackfillReport], None]


def first_waiting_day(engine: Engine, source: str, *, since: date) -> date | None:
    """The earliest publication day of a document this backfill left waiting for its full text."""
    with transaction(engine) as session:
        days = [
            n.publication_date
            for n in notice_rows.list_notices_of_kind(session, kind=WAITING_KIND, source=source)
            if n.publication_date is not None and n.publication_date >= since
        ]
    return min(days) if days else None


async def run_backfill(
    engine: Engine,
    fetcher: Fetcher,
    *,
    base_url: str,
    since: date,
    until: date,
    now: datetime,
    concurrency: int = 1,
    xml_limiter: RateLimiter | None = None,
    per_page: int = PER_PAGE,
    name_threshold: int = 90,
    progress: Progress | None = None,
) -> BackfillReport:
    """Windows in date order; each is saved primed (no alert) with its end as the checkpoint, in one
    transaction, so an interruption loses at most the window in flight and a rerun resumes after the last."""
    source = state_name(since)
    report = BackfillReport(since=since, until=until)
    with transaction(engine) as session:
        cursor = source_rows.load_source_state(session, source).cursor
    start = resume_point(cursor, since=since)
    waiting_since = first_waiting_day(engine, source, since=since)
    if waiting_since is not None and waiting_since < start:
        start = waiting_since  # windows with a document still waiting for its full text are read again
    report.resumed_from = start if cursor is not None else None
    pending = month_windows(start, until)
    report.windows_total = len(pending)
    requests_before = fetcher.requests_made
    stored = StoredLookups(engine)  # the live poll's lookups: published documents, full-text failures

    def tick() -> None:
        report.documents_read += 1
        report.requests = fetcher.requests_made - requests_before
        if progress:
            progress(report)

    try:
        while pending:
            window = pending.pop(0)
            unreadable: list[SetAside] = []
            documents = await fetch_window(
                fetcher, base_url=base_url, window=window, per_page=per_page, set_aside=unreadable
            )
            for item in unreadable:
                log.warning("backfill: %s set aside: %s", item.document, item.reason)
                report.set_aside[item.document] = item.reason
            if documents is None:
                pending[:0] = halve(window)
                report.windows_split += 1
                report.windows_total += 1
                continue
            report.documents_seen += len(documents)
            known = stored.published(d.document_number for d in documents)
            new = [d for d in documents if d.document_number not in known]
            failures = stored.full_text_failures(d.document_number for d in new)
            report.documents_new += len(new)
            read, waiting = await read_window(
                fetcher,
                new,
                base_url=base_url,
                concurrency=concurrency,
                xml_limiter=xml_limiter,
                failures=failures,
                on_read=tick,
            )
            for wait in waiting:
                if wait.final:
                    report.gave_up[wait.meta.document_number] = wait.error
                else:
                    report.waiting[wait.meta.document_number] = wait.error
            # Saved primed (no alert) with the window's end as the checkpoint; a document waiting for its
            # full text is not stored as read: its placeholder keeps its count and the next run reads it.
            saved = PollReport(source=source, primed=True)
            batch = Batch(
                [read_record(item) for item in read],
                cursor=window.end.isoformat(),
                validators=None,
                waiting=[w for w in waiting if not w.final],
            )
            save_batch(engine, source, batch, primed=True, now=now, threshold=name_threshold, report=saved)
            report.cases_touched += saved.cases_touched
            report.rates_added += saved.rates_added
            report.alerts_created += saved.alerts_created
            report.windows_done += 1
            report.requests = fetcher.requests_made - requests_before
            if progress:
                progress(report)
    except SourceError as exc:
        report.ok, report.error = False, str(exc)
        report.requests = fetcher.requests_made - requests_before
        record_failure(engine, source, str(exc), now)
        return report
    hand_over_to_live_source(engine, until=until, today=now.astimezone(UTC).date())
    return report


def hand_over_to_live_source(engine: Engine, *, until: date, today: date) -> None:
    """A backfill that reached today has primed the live source: it alerts from here on, never primes.

    Only a live source that never polled takes the backfill's end as its cursor (a day of slack for
    time zones: the cursor's day is read again); one with a cursor keeps it, so nothing is skipped.
    """
    if until < today - timedelta(days=1):
        return
    with transaction(engine) as session:
        live = source_rows.load_source_state(session, FEDERAL_REGISTER)
        if live.cursor is None:
            live.cursor = min(until, today).isoformat()
            session.add(live)
