"""Rate tables that older printed text flattens into paragraphs: a header line, then one row a line.

Shapes paraphrased from real amended-final-results notices (2016 GPO renderings); companies and
figures invented; expectations written by hand.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from watchers.flat_rate_rows import flat_rate_table
from watchers.notice_html import extract_notice_facts_from_html
from watchers.records import CaseType


def _facts(*paragraphs: str, title: str = ""):  # type: ignore[no-untyped-def]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = f'<html><head><meta charset="utf-8"></head><body>{body}</body></html>'.encode()
    return extract_notice_facts_from_html(
        html, document_number=None, publication_date=date(2016, 6, 6), title=title
    )


def test_flattened_subsidy_rows_under_their_header() -> None:
    facts = _facts(
        "Amended Final Results",
        "The revised net subsidy rate for the period January 1 through December 31, 2012, is as follows:",
        "Producer/exporter Total net subsidy rate",
        "Example Boru ve Profil Sanayi A.S. 0.44 percent, de minimis.",
        "Sample Steel Industries Co., Ltd. 12.50 percent.",
        "Accordingly, the Department will continue the suspension of liquidation.",
    )
    assert [(r.case_type, r.exporter, r.rate) for r in facts.rates] == [
        (CaseType.CVD, "Example Boru ve Profil Sanayi A.S.", Decimal("0.44")),
        (CaseType.CVD, "Sample Steel Industries Co., Ltd.", Decimal("12.50")),
    ]
    assert [r.footnotes for r in facts.rates] == [("de minimis",), ()]


def test_flattened_dumping_margin_rows() -> None:
    facts = _facts(
        "[A-489-999]",
        "AGENCY: Enforcement and Compliance.",
        "Exporter/producer Weighted-average dumping margin (percent)",
        "Widget Works Ltd. 3.18",
        "Gadget Exports A.S. 0.00",
        "These amended results apply to entries on or after the date below.",
    )
    assert [(r.case_type, r.case_number, r.exporter, r.rate) for r in facts.rates] == [
        (CaseType.AD, "A-489-999", "Widget Works Ltd.", Decimal("3.18")),
        (CaseType.AD, "A-489-999", "Gadget Exports A.S.", Decimal("0.00")),
    ]


def test_prose_after_a_header_is_no_row() -> None:
    assert (
        flat_rate_table("Producer/exporter Total net subsidy rate", ["The rate was revised in 2016."]) is None
    )
    assert (
        flat_rate_table("The companies listed below had their rates revised.", ["Acme Co. 4.5 percent"])
        is None
    )


def test_fee_schedule_paragraphs_are_no_duty_rates() -> None:
    facts = _facts("Company Fee rate", "Acme Shipping Inc. 2.5 percent", title="Port Fees")
    assert facts.rates == []
