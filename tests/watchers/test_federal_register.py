"""The Federal Register watcher on real API bodies: envelopes, paging, errors, retries, hosts."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import httpx
import pytest

from tests.support.fixtures import fixture_bytes
from watchers import federal_register as fr
from watchers.classify import classify_notice
from watchers.http import Fetcher, FetchResult, HostNotAllowedError, SourceError, Validators
from watchers.records import Agency

API = "https://www.federalregister.gov/api/v1"


def result(body: bytes, status: int = 200, content_type: str = "application/json") -> FetchResult:
    return FetchResult(
        url=API + "/documents.json", status=status, headers={"content-type": content_type}, body=body
    )


def test_real_cursor_page_parses_documents_and_next_url() -> None:
    page = fr.parse_search_page(
        result(fixture_bytes("fr_api", "fr_api_search_newest_page1_2024_cursor.json"))
    )
    assert page.count == 10000
    assert [d.document_number for d in page.documents] == ["2024-31440", "2024-31439"]
    assert page.documents[0].publication_date == date(2024, 12, 31)
    assert page.documents[0].agencies == ("energy-department", "federal-energy-regulatory-commission")
    assert page.next_page_url is not None and "search_after_cursor=" in page.next_page_url


def test_zero_result_body_without_results_key_is_an_empty_page() -> None:
    page = fr.parse_search_page(result(fixture_bytes("fr_api", "fr_api_search_zero_results.json")))
    assert page.count == 0 and page.documents == () and page.next_page_url is None


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("fr_api_error_invalid_cursor.json", "Invalid search_after_cursor token"),
        ("fr_api_error_unknown_field.json", "field 'nonexistent_example' not valid"),
    ],
    ids=["bad-cursor", "unknown-field"],
)
def test_400_json_error_body_is_a_clear_error(name: str, message: str) -> None:
    with pytest.raises(SourceError, match="HTTP 400") as caught:
        fr.parse_search_page(result(fixture_bytes("fr_api", name), status=400))
    assert message in str(caught.value)


def test_html_page_instead_of_json_is_a_clear_error() -> None:
    body = b"<!DOCTYPE html><html><head><title>Federal Register :: Request Access</title></head></html>"
    with pytest.raises(SourceError, match="an HTML page"):
        fr.parse_search_page(result(body, content_type="text/html"))


def test_truncated_json_is_a_clear_error() -> None:
    body = fixture_bytes("fr_api", "search_ita_2024-02-09.json")[:300]
    with pytest.raises(SourceError, match="not JSON"):
        fr.parse_search_page(result(body))


def test_single_document_fields_for_ita_notice() -> None:
    payload = json.loads(fixture_bytes("fr_api", "fr_api_document_2025-05887_24D_prc_final_cvd.json"))
    doc = fr.parse_document(payload)
    assert doc.document_number == "2025-05887"
    assert doc.docket_ids == ("C-570-161",)
    assert "international-trade-administration" in doc.agencies
    assert doc.full_text_xml_url and doc.full_text_xml_url.endswith("/2025-05887.xml")
    assert doc.citation == "90 FR 14957"
    assert doc.dates == "Applicable April 7, 2025."


def test_an_agency_given_by_raw_name_only_is_kept() -> None:
    """Older documents can list an agency the FR API did not match: only `raw_name`, no slug or name."""
    payload = json.loads(fixture_bytes("fr_api", "fr_api_document_2025-05887_24D_prc_final_cvd.json"))
    payload["agencies"] = [
        {"raw_name": "DEPARTMENT OF COMMERCE"},
        {"raw_name": "International Trade Administration"},
    ]
    doc = fr.parse_document(payload)
    assert doc.agencies == ("DEPARTMENT OF COMMERCE", "International Trade Administration")
    assert classify_notice(title=doc.title, agencies=doc.agencies).agency is Agency.ITA


def test_search_params_ask_for_ita_window_and_needed_fields() -> None:
    params = fr.build_search_params(since=date(2024, 2, 9), until=date(2024, 2, 12))
    assert ("conditions[agencies][]", "international-trade-administration") in params
    assert ("conditions[publication_date][gte]", "2024-02-09") in params
    assert ("conditions[publication_date][lte]", "2024-02-12") in params
    fields = {v for k, v in params if k == "fields[]"}
    assert {"docket_ids", "full_text_xml_url", "abstract", "action", "dates"} <= fields


def test_rebase_points_canonical_urls_at_configured_base() -> None:
    url = "https://www.federalregister.gov/api/v1/documents?page=2&search_after_cursor=abc"
    assert fr.rebase_url(url, "http://127.0.0.1:8000/api/v1") == (
        "http://127.0.0.1:8000/api/v1/documents?page=2&search_after_cursor=abc"
    )
    assert fr.rebase_url(url, API) == url


class Sleeps:
    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def fetcher_for(handler: Callable[[httpx.Request], httpx.Response], sleeps: Sleeps | None = None) -> Fetcher:
    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return Fetcher(
        client=client,
        allowed_hosts=frozenset({"www.federalregister.gov"}),
        max_retries=3,
        sleep=sleeps or Sleeps(),
    )


async def test_fetch_search_follows_search_after_cursor_pages() -> None:
    page1 = fixture_bytes("fr_api", "fr_api_search_newest_page1_2024_cursor.json")
    page2 = json.loads(fixture_bytes("fr_api", "fr_api_search_newest_page2_2024_cursor.json"))
    page2.pop("next_page_url")  # end the walk after page two
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if "search_after_cursor" in request.url.params:
            return httpx.Response(200, json=page2)
        return httpx.Response(200, content=page1, headers={"content-type": "application/json"})

    documents, first = await fr.fetch_search(fetcher_for(handler), base_url=API, since=date(2024, 1, 1))
    assert [d.document_number for d in documents] == ["2024-31440", "2024-31439", "2024-31438", "2024-31437"]
    assert len(seen) == 2 and "search_after_cursor=WzE3MzU2MDMyMDAwMDAsIjIwMjQtMzE0MzkiXQ" in seen[1]
    assert first is not None and first.status == 200


async def test_retry_after_on_429_is_honoured_then_succeeds() -> None:
    answers = [
        httpx.Response(429, headers={"Retry-After": "7"}),
        httpx.Response(503),
        httpx.Response(200, content=fixture_bytes("fr_api", "fr_api_search_zero_results.json")),
    ]
    sleeps = Sleeps()
    documents, _ = await fr.fetch_search(
        fetcher_for(lambda _r: answers.pop(0), sleeps), base_url=API, since=date(2024, 1, 1)
    )
    assert documents == []
    assert sleeps.calls == [7.0, 2.0]  # Retry-After, then exponential backoff for the second try


async def test_persistent_500_raises_source_error_after_retries() -> None:
    sleeps = Sleeps()
    with pytest.raises(SourceError, match="HTTP 500 after 4 attempts"):
        await fr.fetch_search(
            fetcher_for(lambda _r: httpx.Response(500), sleeps), base_url=API, since=date(2024, 1, 1)
        )
    assert len(sleeps.calls) == 3


async def test_timeout_is_retried_then_reported() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(SourceError, match="timed out"):
        await fr.fetch_search(fetcher_for(handler), base_url=API, since=date(2024, 1, 1))


async def test_conditional_get_sends_validators_and_handles_304() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["If-None-Match"] == '"abc"'
        return httpx.Response(304)

    documents, first = await fr.fetch_search(
        fetcher_for(handler), base_url=API, since=date(2024, 1, 1), validators=Validators(etag='"abc"')
    )
    assert documents == [] and first is not None and first.not_modified


async def test_next_page_on_another_host_is_refused() -> None:
    body = {"count": 3, "results": [], "next_page_url": "https://evil.example.com/api/v1/documents?page=2"}
    with pytest.raises(HostNotAllowedError, match=r"evil\.example\.com"):
        await fr.fetch_search(
            fetcher_for(lambda _r: httpx.Response(200, json=body)), base_url=API, since=date(2024, 1, 1)
        )
