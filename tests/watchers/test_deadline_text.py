"""Deadline sentences: offsets, anchors, absolute dates, agency steps that are no deadline."""

from __future__ import annotations

from datetime import date

import pytest

from tests.support.fixtures import fixture_bytes
from watchers.deadline_text import Anchors, extract_deadlines
from watchers.notice_xml import extract_notice_facts

PUBLISHED = date(2024, 2, 12)  # a Monday


@pytest.mark.parametrize(
    ("sentence", "kind", "due"),
    [
        ("Case briefs may be submitted within 30 days after the date of publication of this "
         "notice.", "case_brief", date(2024, 3, 13)),
        ("Scope comments must be filed on or before 20 calendar days from the signature date of "
         "this notice.", "scope_comments", date(2024, 2, 26)),
        ("Separate rate applications are due within fourteen days of publication of this "
         "notice.", "separate_rate_application", date(2024, 2, 26)),
        ("Requests for a hearing must be filed by March 9, 2024.", "hearing_request",
         date(2024, 3, 11)),
        ("Interested parties may request administrative review not later than the last day of "
         "August 2024.", "review_request", date(2024, 9, 3)),
    ],
    ids=["offset-publication", "offset-signature", "number-word", "absolute-saturday",
         "last-day-of-month-labor-day"],
)  # fmt: skip
def test_single_deadlines(sentence: str, kind: str, due: date) -> None:
    facts, unread = extract_deadlines([sentence], Anchors(PUBLISHED, signature=date(2024, 2, 6)))
    assert [(f.kind, f.due) for f in facts] == [(kind, due)]
    assert facts[0].sentence == sentence
    assert unread == []


def test_anchor_stated_later_in_the_notice_is_used() -> None:
    sentences = [
        "Rebuttal briefs may be filed no later than seven days after the deadline for case briefs.",
        "Case briefs are due within 21 days after the date of publication of this notice.",
    ]
    facts, _ = extract_deadlines(sentences, Anchors(PUBLISHED))
    assert [(f.kind, f.due) for f in facts] == [
        ("rebuttal_brief", date(2024, 3, 11)),  # Mon March 4 + 7 = Mon March 11
        ("case_brief", date(2024, 3, 4)),  # Mon March 4
    ]


def test_unknown_anchor_gives_no_date_and_is_reported() -> None:
    sentence = "Rebuttal briefs are due five days after the deadline for case briefs."
    facts, unread = extract_deadlines([sentence], Anchors(PUBLISHED))
    assert [(f.kind, f.due, f.offset_days) for f in facts] == [("rebuttal_brief", None, 5)]
    assert unread == ["deadline rebuttal_brief: counted from 'case_brief', not known"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Commerce will create an annual inquiry service list segment within five business days "
        "of publication of the notice of the order.",
        "Commerce intends to issue the final results within 120 days after publication of "
        "these preliminary results.",
        "Entries withdrawn from warehouse on or after May 5, 2023 (i.e., 90 days prior to the "
        "date of publication of the preliminary determination).",
    ],
    ids=["agency-step", "final-results-timing", "withdrawn-from-warehouse"],
)
def test_sentences_that_state_no_party_deadline(sentence: str) -> None:
    assert extract_deadlines([sentence], Anchors(PUBLISHED)) == ([], [])


def test_prelim_cvd_deadlines_roll_past_new_year() -> None:
    notice = extract_notice_facts(
        fixture_bytes("fr_xml", "constructed_prelim_results_cvd_tubing_india.xml"),
        publication_date=date(2024, 12, 2),
    )
    # 30 days after Monday December 2, 2024 is New Year's Day -> Thursday January 2, 2025;
    # rebuttals five days after that deadline: Tuesday January 7.
    assert [(d.kind, d.due) for d in notice.deadlines] == [
        ("case_brief", date(2025, 1, 2)),
        ("rebuttal_brief", date(2025, 1, 7)),
        ("hearing_request", date(2025, 1, 2)),
    ]
    assert notice.deadlines[0].citation == "19 CFR 351.309(c)(1)(ii); 19 CFR 351.303(b)"
    assert notice.unread == []
