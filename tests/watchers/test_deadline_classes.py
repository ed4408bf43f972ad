"""Deadline sentences in other words than the corpus's: typos, back-references, ITC conferences,
duty absorption, deadlines left for later, and the regulation's deadlines when none is stated.

The sentences are CONSTRUCTED in the wording of real notices (the corpus holds no full text of
these kinds); every expected date was counted by hand from a Monday, February 12, 2024.
"""

from __future__ import annotations

from datetime import date

import pytest

from watchers.deadline_text import Anchors, extract_deadlines
from watchers.keyword_typos import mend_typos
from watchers.records import DeadlineFact, NoticeKind
from watchers.regulation_deadlines import PER_REGULATION, regulation_deadlines

PUBLISHED = date(2024, 2, 12)  # a Monday; + 30 days = Wednesday, March 13, 2024


@pytest.mark.parametrize(
    ("sentences", "expected"),
    [
        (["Case breifs may be submitted no later than 30 days after the date of publication of "
          "this notice."], [("case_brief", date(2024, 3, 13))]),
        (["Rebutal briefs, limited to issues raised in case briefs, may be filed not later than "
          "five days after the date for filing case briefs.",
          "Case briefs are due 30 days after the date of publication of this notice."],
         [("rebuttal_brief", date(2024, 3, 18)), ("case_brief", date(2024, 3, 13))]),
        (["Interested parties who wish to request a hearing must submit a written request "
          "within 30 days after the date of publication of this notice."],
         [("hearing_request", date(2024, 3, 13))]),
        (["Any interested party may request a hearing.",
          "Such requests must be filed within 30 days after the date of publication of this "
          "notice."], [("hearing_request", date(2024, 3, 13))]),
        (["Requests to appear at the conference should be emailed to "
          "preliminaryconferences@usitc.gov (DO NOT FILE ON EDIS) on or before February 28, "
          "2024."], [("conference_appearance_request", date(2024, 2, 28))]),
        (["As provided in sections 201.8 and 207.15 of the Commission's rules, any person may "
          "submit to the Commission on or before March 2, 2024, a written brief containing "
          "information and arguments pertinent to the subject matter of the investigations."],
         [("postconference_brief", date(2024, 3, 4))]),  # Saturday -> Monday
        (["During any administrative review covering all or part of a period falling between "
          "the first and second or third and fourth anniversary of the publication of an "
          "antidumping duty order, Commerce, if requested by a domestic interested party within "
          "30 days of the date of publication of the notice of initiation of the review, will "
          "determine whether antidumping duties have been absorbed by an exporter or producer "
          "subject to the review."], [("duty_absorption_request", date(2024, 3, 13))]),
    ],
    ids=["typo-breifs", "typo-rebutal-anchor-later", "hearing-own-sentence",
         "hearing-back-reference", "itc-conference-appearance", "itc-postconference-brief",
         "duty-absorption"],
)  # fmt: skip
def test_deadline_sentences_in_other_words(sentences: list[str], expected: list[tuple[str, date]]) -> None:
    facts, unread = extract_deadlines(sentences, Anchors(PUBLISHED, is_initiation=True))
    assert [(f.kind, f.due) for f in facts] == expected
    assert unread == []
    assert all(f.sentence in sentences for f in facts)  # the sentence as printed, typo and all


def test_deadline_counted_from_another_event_has_no_date_and_says_why() -> None:
    sentence = ("Case briefs may be submitted no later than 30 days after the date of "
                "publication of the preliminary determination of the companion investigation.")  # fmt: skip
    facts, unread = extract_deadlines([sentence], Anchors(PUBLISHED))
    assert [(f.kind, f.due, f.offset_days) for f in facts] == [("case_brief", None, 30)]
    assert len(unread) == 1 and "case_brief" in unread[0]


def test_deadline_left_for_later_is_named_without_a_date() -> None:
    sentence = ("Interested parties will be notified of the timeline for the submission of case "
                "briefs and written comments at a later date.")  # fmt: skip
    facts, unread = extract_deadlines([sentence], Anchors(PUBLISHED))
    assert [(f.kind, f.due) for f in facts] == [("case_brief", None)]
    assert unread == ["deadline case_brief: the notice gives no date"]


@pytest.mark.parametrize(
    "sentence",
    [
        "The heading of the table lists the requests received.",
        "Commerce received briefly worded comments on March 1, 2024.",
        "The hearing was held on March 1, 2024.",
    ],
)
def test_words_near_key_words_are_not_deadlines(sentence: str) -> None:
    assert extract_deadlines([sentence], Anchors(PUBLISHED)) == ([], [])


@pytest.mark.parametrize(
    ("printed", "mended"),
    [("breifs", "briefs"), ("Rebutal", "Rebuttal"), ("hearng", "hearing"),
     ("reqeusts", "requests"), ("heading", "heading"), ("briefly", "briefly"),
     ("breaks", "breaks")],
)  # fmt: skip
def test_only_dropped_extra_or_swapped_letters_are_mended(printed: str, mended: str) -> None:
    assert mend_typos(printed) == mended


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        # 30 days after Feb 12 = Wed Mar 13; rebuttal 5 days later = Mon Mar 18.
        (NoticeKind.REVIEW_PRELIMINARY_RESULTS,
         [("case_brief", date(2024, 3, 13), "19 CFR 351.309(c)(1)(ii)"),
          ("hearing_request", date(2024, 3, 13), "19 CFR 351.310(c)"),
          ("rebuttal_brief", date(2024, 3, 18), "19 CFR 351.309(d)(1)")]),
        # 90 days after Feb 12, 2024 = Sunday May 12 -> Monday May 13.
        (NoticeKind.REVIEW_INITIATION,
         [("review_request_withdrawal", date(2024, 5, 13), "19 CFR 351.213(d)(1)")]),
        # 15 days = Tue Feb 27; 30 days = Wed Mar 13.
        (NoticeKind.SUNSET_INITIATION,
         [("sunset_intent_to_participate", date(2024, 2, 27), "19 CFR 351.218(d)(1)(i)"),
          ("sunset_substantive_response", date(2024, 3, 13), "19 CFR 351.218(d)(3)(i)")]),
        # last day of February 2024 = Thursday the 29th.
        (NoticeKind.REVIEW_OPPORTUNITY,
         [("review_request", date(2024, 2, 29), "19 CFR 351.213(b)(1)")]),
        (NoticeKind.REVIEW_FINAL_RESULTS, []),
    ],
    ids=["prelim-results", "review-initiation", "sunset-initiation", "opportunity", "final"],
)  # fmt: skip
def test_regulation_deadlines_when_no_sentence_states_them(
    kind: NoticeKind, expected: list[tuple[str, date, str]]
) -> None:
    added = regulation_deadlines(kind, publication=PUBLISHED, stated=[])
    assert [(f.kind, f.due) for f in added] == [(k, d) for k, d, _ in expected]
    for fact, (_, _, citation) in zip(added, expected, strict=True):
        assert fact.citation.startswith("per regulation, " + citation)
        assert fact.sentence == PER_REGULATION


def test_regulation_never_overrides_what_the_notice_says() -> None:
    stated = [
        DeadlineFact(kind="case_brief", due=date(2024, 3, 4), sentence="Case briefs ... 21 days"),
        DeadlineFact(kind="hearing_request", due=None, sentence="... will be announced later"),
    ]
    added = regulation_deadlines(NoticeKind.REVIEW_PRELIMINARY_RESULTS, publication=PUBLISHED, stated=stated)
    # Only the rebuttal brief is missing; it counts from the stated case-brief date (Mar 4 + 5).
    assert [(f.kind, f.due) for f in added] == [("rebuttal_brief", date(2024, 3, 11))]
    assert regulation_deadlines(NoticeKind.REVIEW_INITIATION, publication=None, stated=[]) == []


def test_itc_five_year_institution_response_and_adequacy_comments() -> None:
    sentences = [
        "Pursuant to section 207.61 of the Commission's rules, each interested party response to "
        "this notice must provide the information specified below.",
        "The deadline for filing such responses is March 15, 2024.",
        "Comments on the adequacy of responses may be filed with the Commission by April 26, 2024.",
    ]
    facts, unread = extract_deadlines(sentences, Anchors(PUBLISHED, is_itc=True))
    assert [(f.kind, f.due) for f in facts] == [
        ("institution_response", date(2024, 3, 15)),
        ("adequacy_comments", date(2024, 4, 26)),
    ]
    assert unread == []


def test_a_reply_received_in_response_to_a_notice_is_no_deadline() -> None:
    # Real sentence of FR Doc 2016-08761 (an information-collection notice, 2016-04-15 issue).
    sentence = ("The Agency requested comments by February 8, 2016, but it received no comments "
                "in response to this notice.")  # fmt: skip
    assert extract_deadlines([sentence], Anchors(PUBLISHED)) == ([], [])
