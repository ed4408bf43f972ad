"""Rescinded companies read from real notices' sentences (abstracts quoted from the FR documents named)."""

from __future__ import annotations

import pytest

from tests.support.fixtures import fixture
from watchers.notice_xml import extract_notice_facts
from watchers.rescission import RESCINDED_ELSEWHERE, rescinded_companies


@pytest.mark.parametrize(
    ("sentence", "companies", "unread"),
    [
        # FR Doc 2020-07489 (narrow woven ribbons from Taiwan)
        (
            "Further, we are rescinding the review with respect to Maple Ribbon Co., Ltd.",
            ("Maple Ribbon Co., Ltd.",),
            False,
        ),
        # FR Doc 2021-02922 (wire rod from Mexico)
        (
            "Further, Commerce is rescinding the administrative review, in part, with respect to "
            "ArcelorMittal Las Truchas, S.A. de C.V.",
            ("ArcelorMittal Las Truchas, S.A. de C.V.",),
            False,
        ),
        # FR Doc 2022-06076 (fresh garlic from China)
        (
            "We are rescinding the review with respect to Zhengzhou Harmoni Spice Co., Ltd.",
            ("Zhengzhou Harmoni Spice Co., Ltd.",),
            False,
        ),
        # FR Doc 2021-01798 (tires from China): a count, the names are listed elsewhere
        (
            "Based on the timely withdrawal of requests for review, we are now rescinding this "
            "administrative review with respect to 21 of these companies.",
            (),
            True,
        ),
        # FR Doc 2020-00492 (fresh garlic): preliminarily rescinded is not yet rescinded
        (
            "(Roots Farm) were not valid, and accordingly have preliminarily rescinded the review with "
            "respect to nineteen companies, including the other mandatory respondent, Zhengzhou Harmoni "
            "Spice Co., Ltd.",
            (),
            False,
        ),
        # CONSTRUCTED: several names, a parenthetical short name, the legal basis after the list
        (
            "Accordingly, we are rescinding this review, in part, with respect to Baoding Mantong Fine "
            "Chemistry Co., Ltd. (Baoding Mantong), Nutracare International, and Ravi Industries, pursuant "
            "to 19 CFR 351.213(d)(1).",
            ("Baoding Mantong Fine Chemistry Co., Ltd.", "Nutracare International", "Ravi Industries"),
            False,
        ),
    ],
)
def test_the_companies_a_rescission_names(sentence: str, companies: tuple[str, ...], unread: bool) -> None:
    assert rescinded_companies([sentence]) == (companies, unread)


def test_a_whole_review_rescinded_names_no_company() -> None:
    # FR Doc 2016-08787: "we are rescinding the 2014-2015 administrative review of the antidumping duty
    # order on silicomanganese from Ukraine" (no company: the whole review), POR Aug 2014 - Jul 2015.
    body = fixture("fr_xml", "fr_xml_2016-08787_silicomanganese_ukraine_rescission_ar.xml").read_bytes()
    facts = extract_notice_facts(body, document_number="2016-08787", publication_date=None)
    assert facts.rescinded_companies == ()
    assert RESCINDED_ELSEWHERE not in facts.unread
    assert facts.period_of_review is not None
    assert [d.isoformat() for d in facts.period_of_review] == ["2014-08-01", "2015-07-31"]
