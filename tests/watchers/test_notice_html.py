"""The FR body HTML fallback reads the same facts as the XML (constructed excerpt)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tests.support.fixtures import fixture_bytes
from watchers.notice_html import extract_notice_facts_from_html
from watchers.records import CaseType, RateBasis


def test_pressure_washers_excerpt() -> None:
    notice = extract_notice_facts_from_html(
        fixture_bytes("fr_xml", "constructed_body_2024-02902_pressure_washers_excerpt.html"),
        document_number=None,
        publication_date=date(2024, 2, 12),
    )
    assert notice.document_number == "2024-02902"
    assert notice.case_numbers == ("A-570-148", "C-570-149")
    assert notice.countries == ("People's Republic of China",)
    assert notice.effective_date == date(2024, 2, 12)
    assert notice.hts_codes == ("8424309000", "8424909040")
    assert [(r.case_type, r.exporter, r.producer, r.rate, r.cash_deposit, r.basis, r.footnotes)
            for r in notice.rates] == [
        (CaseType.AD, "Jiangsu Jianghuai Engine Co., Ltd", "Jiangsu Jianghuai Engine Co., Ltd",
         Decimal("274.37"), Decimal("263.83"), RateBasis.COMBINATION, ()),
        (CaseType.AD, None, None, Decimal("274.37"), Decimal("263.83"), RateBasis.COUNTRY_WIDE,
         ()),
        (CaseType.CVD, "Jiangsu Jianghuai Engine Co., Ltd.", None, Decimal("11.19"), None,
         RateBasis.COMPANY, ("10",)),
        (CaseType.CVD, None, None, Decimal("11.19"), None, RateBasis.ALL_OTHERS, ()),
    ]  # fmt: skip
    assert [(d.kind, d.due) for d in notice.deadlines] == [
        ("annual_inquiry_service_list", date(2024, 3, 13))]  # fmt: skip
    assert notice.unread == ["read from the HTML body, not the GPO XML"]
