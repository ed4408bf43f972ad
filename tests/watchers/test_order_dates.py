"""An order's dates read from its notice: the real 2024-02902 (expected dates written by hand from it)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.support.fixtures import fixture_bytes
from watchers.notice_xml import extract_notice_facts
from watchers.order_dates import (
    ITC_FINAL_NOTIFIED,
    ITC_FINAL_PUBLISHED,
    PRELIMINARY_PUBLISHED,
    PROVISIONAL_END,
    dates_for_case,
    extract_case_dates,
)
from watchers.records import CaseType

PRESSURE_WASHERS = [
    "fr_xml_2024-02902_pressure_washers_prc_ad_cvd_orders.xml",
    "fr_xml_2024-02902_pressure_washers_prc_ad_cvd_orders.endash_original.xml",
]

# Read by hand from 89 FR 9834 (FR Doc 2024-02902), before running the code:
# AD (A-570-148): "on or after August 3, 2023, the date of publication of the AD Preliminary
#   Determination"; "liquidate, without regard to antidumping duties, ... entries ... for consumption
#   after January 29, 2024, the final day on which the provisional measures were in effect" -> last
#   day January 29, 2024.
# CVD (C-570-149): "on or after June 5, 2023, the date of publication of the CVD Preliminary
#   Determination"; "liquidate, without regard to countervailing duties, ... for consumption, on or
#   after October 2, 2023, the date on which the provisional measures expired" -> the last day in
#   effect is October 1, 2023 (the notice's "ended on October 2, 2023" is not the operative day).
# Both: "On February 5, 2024, ... the ITC notified Commerce of its final determinations". The
#   notice does not state when the ITC's determination was published: no itc_final_published.
EXPECTED = {
    CaseType.AD: {
        PRELIMINARY_PUBLISHED: date(2023, 8, 3),
        PROVISIONAL_END: date(2024, 1, 29),
        ITC_FINAL_NOTIFIED: date(2024, 2, 5),
    },
    CaseType.CVD: {
        PRELIMINARY_PUBLISHED: date(2023, 6, 5),
        PROVISIONAL_END: date(2023, 10, 1),
        ITC_FINAL_NOTIFIED: date(2024, 2, 5),
    },
}


@pytest.mark.parametrize("name", PRESSURE_WASHERS)
def test_pressure_washers_order_states_each_case_dates(name: str) -> None:
    facts = extract_notice_facts(fixture_bytes("fr_xml", name), publication_date=date(2024, 2, 12))
    for case_type, expected in EXPECTED.items():
        chosen = dates_for_case(facts.case_dates, case_type)
        assert {kind: fact.day for kind, fact in chosen.items()} == expected, case_type
        assert ITC_FINAL_PUBLISHED not in chosen  # never guessed from the notification
    gap = dates_for_case(facts.case_dates, CaseType.CVD)[PROVISIONAL_END]
    assert "without regard to countervailing duties" in gap.sentence


def test_a_review_notice_states_no_order_dates() -> None:
    glycine = fixture_bytes("fr_xml", "fr_xml_2016-08229_glycine_prc_prelim_ar.xml")
    assert extract_notice_facts(glycine, publication_date=date(2016, 4, 15)).case_dates == []


# CONSTRUCTED sentences (the wording of other order notices, not copied from a stored document).
def test_the_itc_publication_when_stated_and_the_fallback_provisional_end() -> None:
    sentences = [
        ("Background", "The ITC published its final affirmative determination in the Federal Register "
         "on March 1, 2024."),
        ("Provisional Measures", "Therefore, the provisional measures period, beginning on the date of "
         "publication of the Preliminary Determination, ended on February 10, 2024."),
        ("AD Order", "Antidumping duties will be assessed on entries made on or after August 14, 2023, "
         "the date of publication of the Preliminary Determination."),
    ]  # fmt: skip
    chosen = dates_for_case(extract_case_dates(sentences, [CaseType.AD]), CaseType.AD)
    assert {k: f.day for k, f in chosen.items()} == {
        ITC_FINAL_PUBLISHED: date(2024, 3, 1),
        PROVISIONAL_END: date(2024, 2, 10),
        PRELIMINARY_PUBLISHED: date(2023, 8, 14),
    }


def test_a_sentence_of_no_type_in_a_joint_notice_is_not_used_and_critical_circumstances_not_read() -> None:
    sentences = [
        ("Background", "Commerce published the preliminary determination on May 2, 2023."),
        ("Critical Circumstances", "Commerce will refund deposits on antidumping duties for entries on or "
         "after February 1, 2023 (i.e., 90 days prior to the date of publication of the Preliminary "
         "Determination), but before May 2, 2023."),
    ]  # fmt: skip
    assert extract_case_dates(sentences, [CaseType.AD, CaseType.CVD]) == []


def test_duties_reaching_back_90_days_leave_the_suspension_day_unstated() -> None:
    # CONSTRUCTED: an order after an affirmative ITC critical-circumstances finding for the AD case.
    sentences = [
        ("AD Order", "Antidumping duties will be assessed on unliquidated entries entered on or after "
         "February 3, 2023 (i.e., 90 days prior to the date of publication of the AD Preliminary "
         "Determination) for the companies below, and on or after May 4, 2023, the date of publication "
         "of the AD Preliminary Determination, for all others."),
        ("CVD Order", "Countervailing duties will be assessed on entries on or after June 5, 2023, the date "
         "of publication of the CVD Preliminary Determination."),
    ]  # fmt: skip
    facts = extract_case_dates(sentences, [CaseType.AD, CaseType.CVD])
    assert PRELIMINARY_PUBLISHED not in dates_for_case(facts, CaseType.AD)
    assert dates_for_case(facts, CaseType.CVD)[PRELIMINARY_PUBLISHED].day == date(2023, 6, 5)


def test_the_itc_notification_day_is_the_one_next_to_it() -> None:
    # CONSTRUCTED: two dates in the sentence; the notification is the second.
    sentences = [
        ("Background", "On December 21, 2023, Commerce published its final determination, and on "
         "February 5, 2024, the ITC notified Commerce of its final determination."),
    ]  # fmt: skip
    [fact] = extract_case_dates(sentences, [CaseType.AD])
    assert (fact.kind, fact.day) == (ITC_FINAL_NOTIFIED, date(2024, 2, 5))
