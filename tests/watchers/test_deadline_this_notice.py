"""Deadlines counted from 'these preliminary results' (this notice) and dated in the next sentence.

Sentence shapes paraphrased from real ITA notices (2016-2021); dates computed by hand:
published Thursday April 1, 2021 + 30 days = Saturday May 1 -> Monday May 3 (19 CFR 351.303(b)).
"""

from __future__ import annotations

from datetime import date

from watchers.deadline_text import Anchors, extract_deadlines
from watchers.notice_text import split_sentences

_PUBLISHED = date(2021, 4, 1)


def _deadlines(paragraph: str) -> list[tuple[str, date | None]]:
    facts, _ = extract_deadlines(split_sentences(paragraph), Anchors(publication=_PUBLISHED))
    return [(f.kind, f.due) for f in facts]


def test_hearing_request_counted_from_these_preliminary_results_with_a_cut_off_time() -> None:
    assert _deadlines(
        "Interested parties who wish to request a hearing must submit a written request, filed "
        "via ACCESS by 5 p.m. Eastern Time within 30 days after the date of publication of "
        "these preliminary results."
    ) == [("hearing_request", date(2021, 5, 3))]


def test_case_briefs_counted_from_the_instant_notice() -> None:
    assert _deadlines(
        "Case briefs may be submitted no later than 30 days after publication of the instant "
        "final results of review."
    ) == [("case_brief", date(2021, 5, 3))]


def test_publication_of_a_later_notice_stays_unknown() -> None:
    facts, unread = extract_deadlines(
        ["Case briefs may be submitted no later than 30 days after publication of the final results."],
        Anchors(publication=_PUBLISHED),
    )
    assert [(f.kind, f.due) for f in facts] == [("case_brief", None)]
    assert unread and "not known" in unread[0]


def test_the_next_sentence_dates_the_hearing_request() -> None:
    assert _deadlines(
        "Pursuant to 19 CFR 351.310(c), interested parties who wish to request a hearing must "
        "submit a written request to the Assistant Secretary for Enforcement and Compliance, "
        "filed electronically via ACCESS. An electronically filed request must be received "
        "successfully in its entirety by ACCESS, by 5 p.m. Eastern Time within 30 days after the "
        "date of publication of this notice. Requests should contain the party's name."
    ) == [("hearing_request", date(2021, 5, 3))]


def test_a_dated_sentence_before_does_not_lend_its_kind_twice() -> None:
    # The rebuttal sentence is dated itself; the filing sentence after it carries no new deadline.
    assert _deadlines(
        "Rebuttal briefs may be filed no later than 35 days after publication of this notice. "
        "A document must be received by 5 p.m. Eastern Time within 7 days after the hearing."
    ) == [("rebuttal_brief", date(2021, 5, 6))]
