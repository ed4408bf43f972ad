"""Review-opportunity, review-initiation and sunset-initiation lists (constructed fixtures)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.support.fixtures import fixture_bytes
from watchers.notice_xml import extract_notice_facts
from watchers.omnibus import country_name, paragraph_lines, read_case_list, to_opportunities
from watchers.records import ReviewInitiation, ReviewOpportunity


@pytest.mark.parametrize(
    ("printed", "named"),
    [("THE PEOPLE'S REPUBLIC OF CHINA", "People's Republic of China"), ("INDIA", "India"),
     ("REPUBLIC OF KOREA", "Republic of Korea"), ("Italy", "Italy"),
     ("SOCIALIST REPUBLIC OF VIETNAM", "Socialist Republic of Vietnam")],
    ids=["prc", "india", "korea", "already-cased", "vietnam"],
)  # fmt: skip
def test_country_name(printed: str, named: str) -> None:
    assert country_name(printed) == named


def test_review_opportunity_february_2024() -> None:
    notice = extract_notice_facts(
        fixture_bytes("fr_xml", "constructed_review_opportunity_2024-02.xml"),
        publication_date=date(2024, 2, 1),
    )
    due = date(2024, 2, 29)  # last day of February 2024, a Thursday
    feb = (date(2023, 2, 1), date(2024, 1, 31))
    assert notice.review_opportunities == [
        ReviewOpportunity("A-533-840", "India", "Frozen Warmwater Shrimp", *feb, 2, due),
        ReviewOpportunity("A-533-881", "India", "Large Diameter Welded Pipe", *feb, 2, due),
        ReviewOpportunity("A-570-010", "People's Republic of China",
                          "Crystalline Silicon Photovoltaic Products (Solar Products From China "
                          "and Taiwan)", *feb, 2, due),
        ReviewOpportunity("A-552-812", "Socialist Republic of Vietnam",
                          "Steel Wire Garment Hangers", *feb, 2, due),
        ReviewOpportunity("C-533-874", "India",
                          "Cold-Drawn Mechanical Tubing of Carbon and Alloy Steel",
                          date(2023, 1, 1), date(2023, 12, 31), 2, due),
    ]  # fmt: skip
    assert notice.case_numbers == ("A-533-840", "A-533-881", "A-570-010", "A-552-812", "C-533-874")
    assert [(d.kind, d.due) for d in notice.deadlines] == [("review_request", due)]
    assert notice.document_number == "2024-01999"
    assert notice.unread == []


def test_request_due_rolls_when_the_month_ends_on_a_weekend() -> None:
    cases, unread = read_case_list([("ITALY: Pressure Sensitive Tape, A-475-059", "10/1/01-9/30/02")])
    [opportunity] = to_opportunities(cases, anniversary=None)
    # Anniversary month October 2002 ends on Thursday the 31st.
    assert (opportunity.anniversary_month, opportunity.request_due) == (10, date(2002, 10, 31))
    cases, _ = read_case_list([("MEXICO: Sugar, A-201-845", "9/1/23-8/31/24")])
    [sugar] = to_opportunities(cases, anniversary=(2024, 8))
    assert sugar.request_due == date(2024, 9, 3)  # Sat Aug 31 -> Labor Day Mon Sep 2 -> Tue
    assert unread == []


def test_older_plain_form_with_dot_leaders() -> None:
    lines = paragraph_lines(["Italy: Pressure Sensitive Tape, A-475-059 .... 10/1/01-9/30/02",
                             "A paragraph of prose."])  # fmt: skip
    cases, _ = read_case_list(lines)
    assert [(c.case_number, c.country, c.product, c.period) for c in cases] == [
        ("A-475-059", "Italy", "Pressure Sensitive Tape", (date(2001, 10, 1), date(2002, 9, 30)))
    ]


def test_review_initiation_march_2024() -> None:
    notice = extract_notice_facts(
        fixture_bytes("fr_xml", "constructed_review_initiation_2024-03.xml"),
        publication_date=date(2024, 3, 29),
    )
    feb = (date(2023, 2, 1), date(2024, 1, 31))
    assert notice.review_initiations == [
        ReviewInitiation("A-533-840", "India", "Frozen Warmwater Shrimp", *feb,
                         ("Apex Frozen Foods Private Limited", "Devi Sea Foods Limited")),
        ReviewInitiation("A-570-010", "People's Republic of China",
                         "Crystalline Silicon Photovoltaic Products", *feb,
                         ("Trina Solar (Changzhou) Science & Technology Co., Ltd.",
                          "JA Solar Technology Yangzhou Co., Ltd.")),
        ReviewInitiation("C-533-874", "India",
                         "Cold-Drawn Mechanical Tubing of Carbon and Alloy Steel",
                         date(2023, 1, 1), date(2023, 12, 31), ("Goodluck India Limited",)),
    ]  # fmt: skip
    # March 29 + 30 = Sunday April 28 -> Monday April 29; + 14 = Friday April 12; + 90 = June 27.
    assert [(d.kind, d.due) for d in notice.deadlines] == [
        ("no_shipment_statement", date(2024, 4, 29)),
        ("respondent_selection_comments", None),
        ("separate_rate_certification", date(2024, 4, 12)),
        ("separate_rate_application", date(2024, 4, 12)),
        ("review_request_withdrawal", date(2024, 6, 27)),
    ]
    assert notice.deadlines[0].citation == "19 CFR 351.303(b)"
    assert notice.unread == [
        "deadline respondent_selection_comments: counted from 'the placement of the CBP data on "
        "the record of this review', not known"
    ]


def test_sunset_initiation() -> None:
    notice = extract_notice_facts(
        fixture_bytes("fr_xml", "constructed_sunset_initiation_2024-02.xml"),
        publication_date=date(2024, 2, 1),
    )
    assert notice.case_numbers == ("A-552-812", "C-533-874")
    assert [(d.kind, d.due, d.offset_days) for d in notice.deadlines] == [
        ("sunset_intent_to_participate", date(2024, 2, 16), 15),
        ("sunset_substantive_response", date(2024, 3, 4), 30),  # Sat March 2 rolls to Monday
    ]
    assert notice.deadlines[1].citation == "19 CFR 351.303(b)"
