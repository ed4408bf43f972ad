"""The one poll driver with a source it has never seen: a reader is all a new source brings."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
from sqlalchemy.engine import Engine

from watchers.finished import Batch, FinishedRecord, ReadRequest, StoredRecords, Tally
from watchers.http import Fetcher, SourceError, Validators
from worker.ingest.poll import poll_source
from worker.storage import notice_rows, source_rows
from worker.storage.db import transaction

NOW = datetime(2024, 2, 12, 12, 0, tzinfo=UTC)
BASE = "http://constructed.test"


def record(number: str) -> FinishedRecord:
    columns = {"title": f"Constructed {number}", "kind": "other", "facts": {"n": number}, "unread": []}
    return FinishedRecord(number, f"Constructed {number}", columns, catalog=None)


async def two_batches_then_a_failure(
    fetcher: Fetcher, request: ReadRequest, stored: StoredRecords, tally: Tally
) -> AsyncIterator[Batch]:
    """A constructed source: one GET per batch; the third answers 503."""
    tally.seen = tally.new = 3
    for number, cursor, validators in (
        ("C-1", "2024-02-10", Validators('"v1"', None)),
        ("C-2", "2024-02-11", None),
    ):
        await fetcher.get(f"{BASE}/{number}")
        if number not in stored.known([number]):
            yield Batch([record(number)], cursor=cursor, validators=validators)
    result = await fetcher.get(f"{BASE}/C-3")
    raise SourceError(f"constructed source answered HTTP {result.status}")


def fetcher_for(client: httpx.AsyncClient) -> Fetcher:
    return Fetcher(client=client, allowed_hosts=frozenset({BASE}), max_retries=0)


def answer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(503 if request.url.path == "/C-3" else 200, content=b"{}")


async def test_batches_saved_before_a_failure_stay_saved_with_their_cursor(engine: Engine) -> None:
    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
        fetcher = fetcher_for(client)
        report = await poll_source(
            engine, fetcher, "constructed", two_batches_then_a_failure, ReadRequest(base_url=BASE, now=NOW)
        )
    assert not report.ok and "HTTP 503" in (report.error or "")
    assert report.documents_saved == 2 and report.documents_new == 3 and report.requests == 3
    with transaction(engine) as session:
        notices = {n.document_number: n for n in notice_rows.list_notices(session)}
        state = source_rows.load_source_state(session, "constructed")
    assert sorted(notices) == ["C-1", "C-2"]
    assert {n.source for n in notices.values()} == {"constructed"} and notices["C-2"].facts == {"n": "C-2"}
    # The second batch kept the first's validators; the failure is counted, the cursor is the last batch's.
    assert (state.cursor, state.etag) == ("2024-02-11", '"v1"')
    assert state.consecutive_failures == 1 and "HTTP 503" in (state.last_error or "")


async def test_a_dry_run_reads_and_counts_and_stores_nothing(engine: Engine) -> None:
    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
        request = ReadRequest(base_url=BASE, now=NOW, dry_run=True)
        report = await poll_source(
            engine, fetcher_for(client), "constructed", two_batches_then_a_failure, request
        )
    assert not report.ok and report.documents_new == 3 and report.documents_saved == 0
    with transaction(engine) as session:
        assert notice_rows.list_notices(session) == []
        state = source_rows.load_source_state(session, "constructed")
        assert (state.cursor, state.consecutive_failures) == (None, 0)
