"""Classes of misses on unseen notices: list-entry case numbers, scope in an appendix, HTS numbers
with a stray space, review-list rows with a note after the case number, aligned-review periods.

The notices and rows here are CONSTRUCTED in the shapes of real ones (NOTICE_FORMATS.md; the
corpus holds no full text of these kinds); expected facts are written by hand.
"""

from __future__ import annotations

from datetime import date

import pytest

from watchers.hts_codes import extract_hts_codes
from watchers.notice_xml import _period_of_review, extract_notice_facts
from watchers.omnibus import read_case_list
from watchers.rate_tables import extract_prose_rates


def _notice(depdoc: str, subject: str, body: str) -> bytes:
    return (
        "<NOTICE><PREAMB><AGENCY>DEPARTMENT OF COMMERCE</AGENCY>"
        "<SUBAGY>International Trade Administration</SUBAGY>"
        f"<DEPDOC>{depdoc}</DEPDOC><SUBJECT>{subject}</SUBJECT></PREAMB>"
        f"<SUPLINF>{body}</SUPLINF></NOTICE>"
    ).encode()


def test_scope_ruling_list_takes_the_cases_heading_each_entry() -> None:
    xml = _notice(
        "",
        "Notice of Scope Rulings",
        "<HD SOURCE='HD1'>Scope Rulings Made October 1, 2023 Through December 31, 2023</HD>"
        "<HD SOURCE='HD2'>People's Republic of China</HD>"
        "<HD SOURCE='HD3'>A\u2013570\u2013979 and C\u2013570\u2013980: Crystalline Silicon "
        "Photovoltaic Cells From China</HD>"
        "<P>Requestor: Example Solar Inc. Commerce found that the modules are covered, citing "
        "its earlier ruling under A-570-010.</P>"
        "<P>A-570-967, C-570-968: Aluminum Extrusions From China</P>"
        "<P>Requestor: Example Frames LLC; the frames are not covered.</P>",
    )
    facts = extract_notice_facts(xml, publication_date=date(2024, 2, 12))
    assert facts.case_numbers == ("A-570-979", "C-570-980", "A-570-967", "C-570-968")
    assert facts.cited_case_numbers == ("A-570-010",)  # named in an entry's text, not its head


def test_scope_only_in_the_appendix_the_body_points_to() -> None:
    xml = _notice(
        "[A-570-148]",
        "Gas Powered Pressure Washers From the People's Republic of China: Final Results",
        "<HD SOURCE='HD1'>Scope of the Order</HD>"
        "<P>For a complete description of the scope of the order, see the Appendix to this "
        "notice.</P>"
        "<HD SOURCE='HD1'>Final Results of Review</HD><P>Nothing about tariffs here.</P>"
        "<HD SOURCE='HD1'>Appendix</HD>"
        "<P>The merchandise covered by the order is gas powered pressure washers. It is "
        "currently classified under HTSUS subheadings 8424.30.9000 and 8424.90.9040.</P>",
    )
    facts = extract_notice_facts(xml, publication_date=date(2024, 2, 12))
    assert facts.hts_codes == ("8424309000", "8424909040")
    assert facts.scope_text is not None and "gas powered pressure washers" in facts.scope_text


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("under HTSUS subheadings 8424.30. 9000 and 8424.90.9040.", ("8424309000", "8424909040")),
        ("HTSUS subheading 7208. 25.60 and 7208.10. 15.", ("72082560", "72081015")),
        ("In 2019. 20 companies answered the HTS questionnaire.", ()),
    ],
    ids=["space-after-third-dot", "space-after-heading", "year-then-number-is-prose"],
)
def test_hts_numbers_broken_by_a_stray_space(text: str, codes: tuple[str, ...]) -> None:
    assert extract_hts_codes(text) == codes


def test_review_list_rows_with_a_note_never_merge_nor_borrow_a_country() -> None:
    lines = [
        ("ITALY: Pressure Sensitive Plastic Tape, A-475-059 (revoked in part)", "10/1/22-9/30/23"),
        ("MEXICO: Certain Product Whose Name", ""),
        ("Wraps, A-201-999", "10/1/22-9/30/23"),
        ("INDIA: Product X, A-533-111 see footnote 4", "10/1/22-9/30/23"),
        ("KOREA: Row Left Unfinished", ""),
        ("JAPAN: Steel Wire, A-588-222", "10/1/22-9/30/23"),
    ]
    cases, unread = read_case_list(lines)
    assert [(c.case_number, c.country, c.product) for c in cases] == [
        ("A-475-059", "Italy", "Pressure Sensitive Plastic Tape"),
        ("A-201-999", "Mexico", "Certain Product Whose Name Wraps"),
        ("A-533-111", "India", "Product X"),
        ("A-588-222", "Japan", "Steel Wire"),
    ]
    assert all(c.period == (date(2022, 10, 1), date(2023, 9, 30)) for c in cases)
    assert unread == ["review list: unfinished line 'KOREA: Row Left Unfinished'"]


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("The period of review for the countervailing duty review, which is aligned with the "
         "antidumping duty administrative review (i.e., the same months), is January 1, 2023, "
         "through December 31, 2023.", (date(2023, 1, 1), date(2023, 12, 31))),
        ("The POR for the aligned countervailing duty review is calendar year 2022.",
         (date(2022, 1, 1), date(2022, 12, 31))),
        ("The review covers the periods of review (PORs) of November 22, 2017, through May 31, "
         "2019, and June 1, 2019, through May 31, 2020.", (date(2017, 11, 22), date(2019, 5, 31))),
        ("The POR is discussed below. Sales from January 1, 2020, through March 3, 2020 rose.",
         None),
    ],
    ids=["aligned-with-ie", "calendar-year", "two-periods-first", "not-across-sentences"],
)  # fmt: skip
def test_period_of_review_phrasings(text: str, period: tuple[date, date] | None) -> None:
    assert _period_of_review([text]) == period


@pytest.mark.parametrize(
    ("sentence", "rate"),
    [
        ("The rate for the China-wide entity is 25.00 percent.", ("country_wide", "25.00")),
        ("The Vietnam-wide entity remains at 2.50 percent.", ("country_wide", "2.50")),
        ("Commerce assigned the all-others rate (11.19 percent).", ("all_others", "11.19")),
        ("The estimated weighted-average dumping margin for all other producers and exporters "
         "will be 10.50 percent.", ("all_others", "10.50")),
        ("The cash deposit rate will be 5.00 percent for Example Co., Ltd.", None),
    ],
    ids=["entity-is", "entity-remains-at", "all-others-in-brackets", "all-other-producers",
         "company-rate-is-not-prose-basis"],
)  # fmt: skip
def test_rates_in_prose(sentence: str, rate: tuple[str, str] | None) -> None:
    rows = extract_prose_rates([sentence], cases=("A-570-001",), existing=[])
    assert [(r.basis.value, str(r.rate)) for r in rows] == ([rate] if rate else [])
