"""The public-inspection watcher on bodies in the real api-core shape: filings, empty issues, errors, 304."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from tests.support.fixtures import fixture_bytes
from watchers import public_inspection as pi
from watchers.http import Fetcher, FetchResult, SourceError, Validators

API = "https://www.federalregister.gov/api/v1"


def result(body: bytes, status: int = 200, content_type: str = "application/json") -> FetchResult:
    headers = {"content-type": content_type}
    return FetchResult(url=pi.current_url(API), status=status, headers=headers, body=body)


def test_filing_parses_title_agency_dockets_pdf_and_scheduled_date() -> None:
    body = fixture_bytes("fr_api", "constructed_pi_current_2024-02-09.json")
    documents = pi.parse_public_inspection(result(body))
    assert [d.document_number for d in documents] == ["2024-02900", "2024-02902"]
    [filing] = pi.select_agency(documents)
    assert filing.on_public_inspection
    assert filing.title == (
        "Gas Powered Pressure Washers From the People's Republic of China: "
        "Antidumping Duty and Countervailing Duty Orders"
    )  # subjects joined with a trailing space upstream; whitespace normalised here
    assert filing.docket_ids == ("A-570-148", "C-570-149")
    assert filing.agencies == ("international-trade-administration",)
    assert filing.publication_date == date(2024, 2, 12)
    assert filing.pdf_url == "https://public-inspection.federalregister.gov/2024-02902.pdf"
    assert filing.html_url and "/public-inspection/2024-02902/" in filing.html_url
    assert filing.full_text_xml_url is None and filing.document_type == "Notice"


def test_day_without_issue_is_an_empty_list() -> None:
    body = fixture_bytes("fr_api", "constructed_pi_available_on_zero.json")
    assert pi.parse_public_inspection(result(body)) == []
    assert pi.parse_public_inspection(result(b'{"count": 0}')) == []


@pytest.mark.parametrize(
    ("body", "status", "match"),
    [
        (b'{"status":400,"message":"field \'x\' not valid"}', 400, "HTTP 400: field 'x' not valid"),
        (b'{"errors":{"available_on":"is not a valid date"}}', 400, "is not a valid date"),
        (b"<!DOCTYPE html><html><title>Request Access</title></html>", 200, "an HTML page"),
        (b'{"results": []}', 200, "has no count"),
        (b'{"count": 1, "results": {"a": 1}}', 200, "not a list"),
        (b'{"count": 1, "results": [{"title": "no number"}]}', 200, "without document_number"),
    ],
    ids=["field-error", "condition-error", "html-block-page", "no-count", "results-not-list", "no-number"],
)
def test_bad_bodies_are_source_errors(body: bytes, status: int, match: str) -> None:
    with pytest.raises(SourceError, match=match):
        pi.parse_public_inspection(result(body, status=status))


def test_available_on_request_names_day_and_agency() -> None:
    params = pi.build_available_on_params(date(2024, 2, 9))
    assert params == [
        ("conditions[available_on]", "2024-02-09"),
        ("conditions[agencies][]", "international-trade-administration"),
    ]
    assert pi.available_on_url(API + "/") == API + "/public-inspection-documents.json"
    assert pi.current_url(API) == API + "/public-inspection-documents/current.json"


async def test_idle_poll_is_one_conditional_get_answered_304() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(304)

    fetcher = Fetcher(
        client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
        allowed_hosts=frozenset({"www.federalregister.gov"}),
    )
    answer = await pi.fetch_public_inspection(fetcher, base_url=API, validators=Validators(etag='"v1"'))
    assert answer.not_modified and answer.body is None
    assert len(seen) == 1 and seen[0].headers["If-None-Match"] == '"v1"'
    assert seen[0].url.path == "/api/v1/public-inspection-documents/current.json"
