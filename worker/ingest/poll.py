"""The one poll driver: stored state in, a source's watcher reads, each batch of finished records saved."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from sqlalchemy.engine import Engine

from watchers.finished import Reader, ReadRequest, StoredState, Tally
from watchers.http import Fetcher, SourceError
from worker.alerts.holds import BulkHold
from worker.ingest.save import PollReport, failed_poll, save_batch
from worker.ingest.stored_records import StoredLookups
from worker.storage import source_rows
from worker.storage.db import transaction


def load_stored_state(engine: Engine, source: str) -> StoredState:
    with transaction(engine) as session:
        state = source_rows.load_source_state(session, source)
        return StoredState(state.cursor, state.etag, state.last_modified)


async def poll_source(
    engine: Engine,
    fetcher: Fetcher,
    source: str,
    read_new: Reader,
    request: ReadRequest,
    *,
    name_threshold: int = 90,
    bulk_hold: BulkHold | None = None,
) -> PollReport:
    """Load the source's state, let its watcher read what is new, and save each batch it hands back in one
    transaction with its cursor and validators (none with `request.dry_run`). A SourceError fails the
    poll: the batches saved before it stay saved, the state is as the last of them left it."""
    report = PollReport(source=source)
    request = replace(request, state=load_stored_state(engine, source))
    tally = Tally()
    before = fetcher.requests_made
    try:
        async for batch in read_new(fetcher, request, StoredLookups(engine), tally):
            take_tally(report, tally)
            if request.dry_run:
                continue
            save_batch(
                engine,
                source,
                batch,
                primed=tally.primed,
                now=request.now,
                threshold=name_threshold,
                report=report,
                bulk_hold=bulk_hold,
            )
            await asyncio.sleep(0)  # each batch's transaction is closed: delivery and other jobs run between
    except SourceError as exc:
        take_tally(report, tally)
        return failed_poll(
            engine,
            report,
            exc,
            requests=fetcher.requests_made - before,
            now=request.now,
            dry_run=request.dry_run,
        )
    take_tally(report, tally)
    report.requests = fetcher.requests_made - before
    return report


def take_tally(report: PollReport, tally: Tally) -> None:
    """The watcher's counts into the report; its notes on unread documents are taken once."""
    report.primed, report.not_modified = tally.primed, tally.not_modified
    report.documents_seen, report.documents_new = tally.seen, tally.new
    report.set_aside, report.gave_up = dict(tally.set_aside), dict(tally.gave_up)
    for number, notes in tally.unread.items():
        report.unread.setdefault(number, []).extend(notes)
    tally.unread.clear()
