"""The public-inspection watcher hands back finished records: what a filing signals, follow-ups, retries."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime

import httpx

from tests.support.fixtures import fixture_bytes
from watchers.finished import (
    Amendment,
    Batch,
    CandidateSignal,
    FinishedRecord,
    FollowUp,
    PendingCopy,
    ReadRequest,
    StageSignal,
    Tally,
)
from watchers.http import Fetcher
from watchers.public_inspection_records import PDF_ATTEMPTS, PDF_FAILURES, read_new

BASE = "http://desk.test"
DESK = "/api/v1/public-inspection-documents/current.json"
PDF = "/2024-02902.pdf"
NOW = datetime(2024, 2, 9, 21, 20, tzinfo=UTC)
# The ITA filing of the constructed desk (the other one is the EPA's), as its JSON says.
NUMBER = "2024-02902"
CASES = ("A-570-148", "C-570-149")


class Stored:
    """The stored records as a test states them."""

    def __init__(self, known: Iterable[str] = (), retry: list[PendingCopy] | None = None) -> None:
        self.known_numbers, self.retry = set(known), retry or []

    def known(self, numbers: Iterable[str]) -> set[str]:
        return set(numbers) & self.known_numbers

    def published(self, numbers: Iterable[str]) -> set[str]:
        return set()

    def full_text_failures(self, numbers: Iterable[str]) -> dict[str, int]:
        return {}

    def copies_to_retry(self, counter: str, attempts: int) -> list[PendingCopy]:
        assert (counter, attempts) == (PDF_FAILURES, PDF_ATTEMPTS)
        return self.retry


def desk(*, dockets: bool = True, note: str | None = None) -> bytes:
    payload = json.loads(fixture_bytes("fr_api", "constructed_pi_current_2024-02-09.json"))
    for item in payload["results"]:
        if not dockets:
            item["docket_numbers"] = []  # CONSTRUCTED: as on every real ITA filing
        item["editorial_note"] = note
    return json.dumps(payload).encode()


async def read(
    body: bytes, stored: Stored, *, pdf: tuple[int, bytes] | None = None
) -> tuple[list[Batch], Tally]:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == DESK:
            return httpx.Response(200, content=body, headers={"content-type": "application/json"})
        if request.url.path == PDF and pdf is not None:
            return httpx.Response(pdf[0], content=pdf[1], headers={"content-type": "application/pdf"})
        return httpx.Response(404)

    tally = Tally()
    request = ReadRequest(base_url=BASE + "/api/v1", now=NOW, filed_copy_url=BASE if pdf else None)
    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
        fetcher = Fetcher(client=client, allowed_hosts=frozenset({BASE}), max_retries=0)
        batches = [batch async for batch in read_new(fetcher, request, stored, tally)]
    return batches, tally


async def test_a_filing_with_its_dockets_signals_the_stage_of_its_cases() -> None:
    [batch], tally = await read(desk(), Stored())
    [record] = batch.records
    assert isinstance(record, FinishedRecord) and record.document_number == NUMBER
    assert record.catalog is None and record.only_if_new  # not law, stored once
    assert isinstance(record.signal, StageSignal) and record.signal.case_numbers == CASES
    assert record.own_alerts is not None and record.own_alerts.scope == "public_inspection"
    assert record.event_details["scheduled_publication"] == "2024-02-12"
    assert record.columns["on_public_inspection"] is True
    assert (tally.seen, tally.new) == (1, 1)  # the EPA's filing is not ITA's
    assert batch.validators is not None and (batch.validators.etag or "").startswith("sha256:")


async def test_a_filing_without_dockets_signals_its_product_and_country() -> None:
    [batch], _ = await read(desk(dockets=False), Stored())
    [record] = batch.records
    assert isinstance(record, FinishedRecord) and isinstance(record.signal, CandidateSignal)
    assert record.signal.product == "Gas Powered Pressure Washers"
    assert [name for name in record.signal.country_names if "China" in name] == list(
        record.signal.country_names
    )
    assert "not known yet" in record.signal.summary_head


async def test_a_known_filing_with_a_withdrawal_request_is_a_follow_up_only() -> None:
    [batch], tally = await read(desk(note="Withdrawn at the request of the agency"), Stored({NUMBER}))
    assert batch.records == [
        FollowUp(NUMBER, "public_inspection", "withdrawal_requested", "withdrawal", {"withdrawal": True})
    ]
    assert tally.new == 0


async def test_a_filed_pdf_failing_again_counts_and_one_read_late_amends_the_filing() -> None:
    pending = [PendingCopy(NUMBER, f"https://public-inspection.federalregister.gov{PDF}", 2)]
    [batch], _ = await read(desk(), Stored({NUMBER}, pending), pdf=(503, b"busy"))
    assert batch.records == [Amendment(NUMBER, {PDF_FAILURES: 3})]
    filed = fixture_bytes("fr_api", "constructed_pi_2024-02902_filed.pdf")
    [batch], _ = await read(desk(), Stored({NUMBER}, pending), pdf=(200, filed))
    [amendment] = batch.records
    assert isinstance(amendment, Amendment) and amendment.drop == (PDF_FAILURES,)
    assert amendment.facts["case_numbers"] == list(CASES) and amendment.columns["kind"] == "order"
