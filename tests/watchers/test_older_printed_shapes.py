"""Shapes of older printed notices (GPO text renderings) read through the HTML fallback.

The paragraphs are paraphrased from the shape of real notices (1995-2016 GPO renderings), with
invented products and case numbers; expectations written by hand.
"""

from __future__ import annotations

from datetime import date

from watchers.notice_html import extract_notice_facts_from_html


def _html(*paragraphs: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f'<html><head><meta charset="utf-8"></head><body>{body}</body></html>'.encode()


def _facts(*paragraphs: str, title: str = "", published: date = date(2009, 5, 27)):  # type: ignore[no-untyped-def]
    return extract_notice_facts_from_html(
        _html(*paragraphs), document_number=None, publication_date=published, title=title
    )


def test_docket_line_without_brackets_is_the_notice_own_case() -> None:
    facts = _facts(
        "DEPARTMENT OF COMMERCE",
        "International Trade Administration",
        "A\u2013469\u2013999",
        "Certain Widgets From Spain: Preliminary Results of Antidumping Duty Administrative Review",
        "AGENCY: Import Administration, International Trade Administration, Department of Commerce.",
        "SUMMARY: The Department is reviewing; see the order on widgets from Italy (A-475-998).",
    )
    assert facts.case_numbers == ("A-469-999",)
    assert facts.cited_case_numbers == ("A-475-998",)


def test_two_bare_docket_ids_on_one_line() -> None:
    facts = _facts(
        "A-570-901; C-570-902", "Certain Gadgets From China", "AGENCY: Enforcement and Compliance."
    )
    assert facts.case_numbers == ("A-570-901", "C-570-902")


def test_bare_case_number_in_the_body_is_not_a_docket_line() -> None:
    facts = _facts(
        "[A-570-901]",
        "AGENCY: Enforcement and Compliance.",
        "SUMMARY: Something.",
        "C-570-777",
    )
    assert facts.case_numbers == ("A-570-901",)


_INITIATION = "Initiation of Antidumping and Countervailing Duty Administrative Reviews"


def test_initiation_rows_under_a_country_line_without_dot_leaders() -> None:
    facts = _facts(
        "AGENCY: Import Administration, International Trade Administration, Department of Commerce.",
        "Period to be reviewed",
        "Antidumping Duty Proceedings",
        "Latvia:",
        "Steel Widget Bars, A-449-901 9/1/02-8/31/03",
        "Joint Stock Company Example Works",
        "South Africa:",
        "Certain Hot-Rolled Widgets, A-791-902 9/1/02-8/31/03",
        "Example Steel Ltd.",
        "Countervailing Duty Proceedings",
        "None.",
        title=_INITIATION,
        published=date(2003, 10, 24),
    )
    assert facts.case_numbers == ("A-449-901", "A-791-902")
    assert [(r.case_number, r.country, r.product, r.period_start, r.period_end)
            for r in facts.review_initiations] == [
        ("A-449-901", "Latvia", "Steel Widget Bars", date(2002, 9, 1), date(2003, 8, 31)),
        ("A-791-902", "South Africa", "Certain Hot-Rolled Widgets", date(2002, 9, 1), date(2003, 8, 31)),
    ]  # fmt: skip


def test_a_row_with_its_own_country_never_takes_the_country_line() -> None:
    facts = _facts(
        "Latvia:",
        "Steel Widget Bars, A-449-901 9/1/02-8/31/03",
        "Mexico: Oil Country Widgets, A-201-903 8/1/02-7/31/03",
        title=_INITIATION,
    )
    assert [(r.case_number, r.country) for r in facts.review_initiations] == [
        ("A-449-901", "Latvia"),
        ("A-201-903", "Mexico"),
    ]


def test_opportunity_row_with_dot_leader_and_no_period() -> None:
    facts = _facts(
        "Period of review",
        "Suspension Agreements",
        "Ukraine: Certain Cut-to-Length Widgets, A\u2013823\u2013901 " + "." * 60,
        "RUSSIA: Certain Hot-Rolled Widgets A\u2013821\u2013902 ....................",
        "In accordance with 19 CFR 351.213(b), an interested party may request a review.",
        title="Opportunity To Request Administrative Review",
        published=date(2012, 11, 5),
    )
    assert facts.case_numbers == ("A-823-901", "A-821-902")
    assert [(o.case_number, o.country, o.product) for o in facts.review_opportunities] == [
        ("A-823-901", "Ukraine", "Certain Cut-to-Length Widgets"),
        ("A-821-902", "Russia", "Certain Hot-Rolled Widgets"),
    ]
    assert "review list: no period read for A-823-901" in facts.unread


def test_prose_ending_in_a_case_number_and_a_date_range_is_no_row() -> None:
    facts = _facts(
        "[A-570-901]",
        "AGENCY: Enforcement and Compliance.",
        "The review covers the order on widgets, A-570-901 for 9/1/02-8/31/03 and more.",
        title="Certain Widgets From China: Final Results",
    )
    assert facts.review_initiations == [] and facts.review_opportunities == []
