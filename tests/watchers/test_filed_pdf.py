"""Filed PDFs: text read with pypdf, own case numbers and kind from the head; other hosts never asked."""

from __future__ import annotations

import pytest

from tests.support.fixtures import fixture_bytes
from watchers.filed_pdf import pdf_fetch_url, pdf_text, read_filed_pdf
from watchers.http import SourceError
from watchers.records import NoticeKind

FILED = "constructed_pi_2024-02902_filed.pdf"  # CONSTRUCTED from the real 2024-02902 XML text


def test_filed_pdf_gives_own_cases_subject_and_kind() -> None:
    # Expected from the notice itself: DEPDOC [A-570-148, C-570-149]; SUBJECT "...: Antidumping Duty
    # and Countervailing Duty Orders" -> an order; the text cites no other case in its head.
    filed = read_filed_pdf(pdf_text(fixture_bytes("fr_api", FILED)))
    assert filed.case_numbers == ("A-570-148", "C-570-149")
    assert filed.subject == (
        "Gas Powered Pressure Washers From the People's Republic of China: "
        "Antidumping Duty and Countervailing Duty Orders"
    )
    assert filed.classification.kind is NoticeKind.ORDER


@pytest.mark.parametrize(
    "body",
    [b"%PDF-1.4 broken", b"<html>not a pdf</html>", b""],
    ids=["truncated", "html", "empty"],
)
def test_unreadable_pdf_is_a_one_line_source_error(body: bytes) -> None:
    with pytest.raises(SourceError, match="filed PDF"):
        pdf_text(body)


def test_pdf_is_fetched_from_the_configured_host_only() -> None:
    desk = "https://public-inspection.federalregister.gov/2026-20383.pdf"
    assert pdf_fetch_url(desk, "https://public-inspection.federalregister.gov") == desk
    assert pdf_fetch_url(desk, "http://127.0.0.1:8000") == "http://127.0.0.1:8000/2026-20383.pdf"
    assert pdf_fetch_url("https://evil.example/2026-20383.pdf", "http://127.0.0.1:8000") is None
