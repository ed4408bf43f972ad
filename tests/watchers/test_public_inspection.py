"""The public-inspection watcher on bodies in the real api-core shape: filings, empty issues, errors, 304."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from tests.support.fixtures import fixture_bytes
from watchers import federal_register
from watchers import public_inspection as pi
from watchers.federal_register import CACHE_BUSTER, body_hash, server_validators
from watchers.http import Fetcher, FetchResult, SourceError, Validators
from watchers.pi_filing import parse_filing_subject
from watchers.records import DocumentMeta, NoticeKind, Revokes

API = "https://www.federalregister.gov/api/v1"


def result(body: bytes, status: int = 200, content_type: str = "application/json") -> FetchResult:
    headers = {"content-type": content_type}
    return FetchResult(url=pi.current_url(API), status=status, headers=headers, body=body)


def test_filing_parses_title_agency_dockets_pdf_and_scheduled_date() -> None:
    body = fixture_bytes("fr_api", "constructed_pi_current_2024-02-09.json")
    filings = pi.parse_filings(result(body))
    assert [f.meta.document_number for f in filings] == ["2024-02900", "2024-02902"]
    [filing] = [f.meta for f in pi.select_agency_filings(filings)]
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
    assert pi.parse_filings(result(body)) == []
    assert pi.parse_filings(result(b'{"count": 0}')) == []


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
        pi.parse_filings(result(body, status=status))


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


# Written by hand from the 11 ITA filings' toc_doc lines in the real recording (2026-10-02).
REAL_ITA_FILINGS = {
    "2026-20282": ("Corrosion Inhibitors", ("the People's Republic of China",), False),
    "2026-20294": ("Steel Concrete Reinforcing Bar", ("the Republic of Turkiye",), False),
    "2026-20376": ("Oil Country Tubular Goods", ("Ukraine",), False),
    "2026-20377": ("Passenger Vehicle and Light Truck Tires", ("the Socialist Republic of Vietnam",), False),
    "2026-20378": ("Potassium Phosphate Salts", ("the People's Republic of China",), False),
    "2026-20379": ("Potassium Phosphate Salts", ("the People's Republic of China",), False),
    "2026-20380": ("Large Diameter Welded Pipe", ("the Republic of Turkiye",), True),
    "2026-20381": (
        "Cut-to-Length Carbon Steel Plate",
        ("the People's Republic of China", "the Russian Federation"),
        False,
    ),
    "2026-20382": ("Mattresses", ("Poland",), False),
    "2026-20383": ("Melamine", ("the People's Republic of China",), False),
    "2026-20384": ("Methionine", ("France", "Japan", "Spain"), False),
}


def real_pi_result() -> FetchResult:
    return result(fixture_bytes("fr_api", "fr_api_recorded_2026-10-02_pi_current.json"))


def test_real_desk_ita_filings_read_as_product_countries_and_correction() -> None:
    filings = pi.parse_filings(real_pi_result())
    assert len(filings) == 107
    ita = pi.select_agency_filings(filings)
    read = {
        f.meta.document_number: (f.subject.product, f.subject.country_names, f.subject.is_correction)
        for f in ita
    }
    assert read == REAL_ITA_FILINGS
    assert not any(f.subject.withdrawal_requested for f in ita)
    melamine = next(f for f in ita if f.meta.document_number == "2026-20383")
    assert melamine.meta.publication_date == date(2026, 10, 5)
    assert melamine.meta.pdf_url == "https://public-inspection.federalregister.gov/2026-20383.pdf"
    assert melamine.meta.docket_ids == ()  # real ITA filings carry no docket numbers


def test_a_rule_on_the_desk_revokes_nothing_whatever_its_title() -> None:
    """The desk types each filing: a title that reads as a revocation, filed as a Rule (CONSTRUCTED
    from the real melamine filing), is a rule, not a revocation of anything."""
    filings = pi.parse_filings(real_pi_result())
    melamine = next(f for f in filings if f.meta.document_number == "2026-20383")
    title = "Revocation of Antidumping Duty Orders"
    as_notice = replace(melamine, meta=replace(melamine.meta, title=title))
    as_rule = replace(melamine, meta=replace(melamine.meta, title=title, document_type="Rule"))
    notice, rule = pi.filing_classification(as_notice, None), pi.filing_classification(as_rule, None)
    assert (notice.kind, notice.revokes) == (NoticeKind.REVOCATION, Revokes.FULL)
    assert (rule.kind, rule.revokes) == (NoticeKind.OTHER, Revokes.NONE)


def test_the_one_real_withdrawal_note_is_read_as_a_withdrawal_request() -> None:
    withdrawn = [f for f in pi.parse_filings(real_pi_result()) if f.subject.withdrawal_requested]
    assert len(withdrawn) == 1  # a non-ITA filing on the same desk carries the real note
    assert not pi.select_agency_filings(withdrawn)


@pytest.mark.parametrize(
    ("item", "product", "countries", "correction"),
    [
        # title only (no toc_doc/subject_2): the section heading is cut off
        (
            {
                "title": "Antidumping or Countervailing Duty Investigations, Orders, or Reviews: "
                "Certain Steel Nails from the Sultanate of Oman; Correction "
            },
            "Steel Nails",
            ("the Sultanate of Oman",),
            True,
        ),
        (
            {"toc_doc": "Monosodium Glutamate from Indonesia, the Republic of Korea, and Taiwan"},
            "Monosodium Glutamate",
            ("Indonesia", "the Republic of Korea", "Taiwan"),
            False,
        ),
        (
            {"toc_doc": "Urea Ammonium Nitrate Solutions from Trinidad and Tobago"},
            "Urea Ammonium Nitrate Solutions",
            ("Trinidad", "Tobago"),
            False,  # rejoined by the worker
        ),
        (
            {"subject_2": "Initiation of Five-Year (Sunset) Reviews", "toc_doc": None},
            "Initiation of Five-Year (Sunset) Reviews",
            (),
            False,
        ),
    ],
    ids=["title-fallback-correction", "three-countries", "and-in-a-name", "no-country"],
)
def test_heading_forms(
    item: dict[str, object], product: str, countries: tuple[str, ...], correction: bool
) -> None:
    subject = parse_filing_subject(item)
    assert (subject.product, subject.country_names, subject.is_correction) == (product, countries, correction)


def test_withdrawal_note_marks_the_filing() -> None:
    note = (
        "An agency letter requesting withdrawal of this document was received after placement on "
        "public inspection."
    )
    assert parse_filing_subject(
        {"toc_doc": "Melamine from the People's Republic of China", "editorial_note": note}
    ).withdrawal_requested
    assert not parse_filing_subject(
        {"toc_doc": "Melamine from India", "editorial_note": "Corrected PDF."}
    ).withdrawal_requested


async def test_each_poll_asks_a_new_url_past_the_shared_cache() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"count": 0, "results": []})

    fetcher = Fetcher(
        client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
        allowed_hosts=frozenset({"www.federalregister.gov"}),
    )
    first = datetime(2026, 10, 2, 18, 0, tzinfo=UTC)
    for at in (first, first + timedelta(seconds=30)):
        await pi.fetch_public_inspection(fetcher, base_url=API, validators=None, now=at)
    busters = [r.url.params.get(CACHE_BUSTER) for r in seen]
    assert busters[0] and busters[1] and busters[0] != busters[1]
    assert all(r.url.path == "/api/v1/public-inspection-documents/current.json" for r in seen)
    assert all("If-None-Match" not in r.headers for r in seen)


def test_body_hash_stands_in_for_the_missing_etag_and_is_never_sent() -> None:
    body = fixture_bytes("fr_api", "fr_api_recorded_2026-10-02_pi_current.json")
    digest = body_hash(body)
    assert digest == "sha256:0b6bd4f1ee06e6d5c66b456b869d6f3d0be6235dc4470d013b6f08f94a3ad67a"  # as recorded
    assert server_validators(digest, None) is None
    assert server_validators('"abc"', None) == Validators(etag='"abc"')


async def test_search_first_page_is_asked_past_the_cache_and_a_missing_document_is_not_there() -> None:
    """documents.json gets the cache-buster too; the site's real HTML 404 page for a document that is
    not there (yet) reads as None, not as a parse error."""
    missing = fixture_bytes(
        "fr_api", "fr_api_recorded_2026-10-02_documents_2026-99999_NEGATIVE_404_html_body.html"
    )
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith(".xml"):
            return httpx.Response(404, content=missing, headers={"content-type": "text/html"})
        return httpx.Response(200, json={"count": 0, "description": "none"})

    fetcher = Fetcher(
        client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
        allowed_hosts=frozenset({"www.federalregister.gov"}),
    )
    at = datetime(2026, 10, 3, 13, 19, tzinfo=UTC)
    documents, _ = await federal_register.fetch_search(fetcher, base_url=API, since=date(2026, 10, 2), now=at)
    assert documents == [] and seen[0].url.params[CACHE_BUSTER] == str(int(at.timestamp()))
    meta = DocumentMeta(
        document_number="2026-99999",
        title="t",
        publication_date=None,
        full_text_xml_url="https://www.federalregister.gov/documents/full_text/xml/2026/10/05/2026-99999.xml",
    )
    assert await federal_register.fetch_full_text(fetcher, meta, base_url=API) is None
