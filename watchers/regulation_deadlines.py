"""Deadlines a notice's kind sets by regulation, given when no sentence of the notice stated them."""

from __future__ import annotations

from datetime import date, timedelta

from watchers.business_days import next_business_day_on_or_after
from watchers.deadline_text import ROLL_CITATION
from watchers.notice_text import last_day_of_month
from watchers.records import DeadlineFact, NoticeKind
from watchers.review_request import REVIEW_REQUEST_RULE

PER_REGULATION = "per regulation: no sentence of the notice states this deadline"

# kind of notice -> (deadline kind, days after publication, citation). Commerce's rules
# (19 CFR part 351); each counts in calendar days and rolls to the next business day (351.303(b)).
_AFTER_PUBLICATION: dict[NoticeKind, tuple[tuple[str, int, str], ...]] = {
    NoticeKind.REVIEW_PRELIMINARY_RESULTS: (
        ("case_brief", 30, "19 CFR 351.309(c)(1)(ii)"),
        ("hearing_request", 30, "19 CFR 351.310(c)"),
    ),
    NoticeKind.REVIEW_INITIATION: (("review_request_withdrawal", 90, "19 CFR 351.213(d)(1)"),),
    NoticeKind.SUNSET_INITIATION: (
        ("sunset_intent_to_participate", 15, "19 CFR 351.218(d)(1)(i)"),
        ("sunset_substantive_response", 30, "19 CFR 351.218(d)(3)(i)"),
    ),
}
_REBUTTAL_DAYS = 5  # 19 CFR 351.309(d)(1): five days after the time limit for case briefs
_REBUTTAL_CITATION = "19 CFR 351.309(d)(1)"


def _fact(kind: str, raw: date, offset: int | None, citation: str) -> DeadlineFact:
    due = next_business_day_on_or_after(raw)
    citations = [citation] + ([ROLL_CITATION] if due != raw else [])
    return DeadlineFact(kind=kind, due=due, sentence=PER_REGULATION, offset_days=offset,
                        citation="per regulation, " + "; ".join(citations))  # fmt: skip


def regulation_deadlines(
    notice_kind: NoticeKind, *, publication: date | None, stated: list[DeadlineFact]
) -> list[DeadlineFact]:
    """The regulation's deadlines of an ITA notice of this kind that `stated` does not name.

    A deadline the notice names without a date (it will be announced) is not replaced: the
    notice has set it aside from the regulation's default.
    """
    if publication is None:
        return []
    named = {f.kind for f in stated}
    added: list[DeadlineFact] = []
    for kind, days, citation in _AFTER_PUBLICATION.get(notice_kind, ()):
        if kind not in named:
            added.append(_fact(kind, publication + timedelta(days=days), days, citation))
    if notice_kind is NoticeKind.REVIEW_PRELIMINARY_RESULTS and "rebuttal_brief" not in named:
        case_brief = next((f.due for f in stated + added if f.kind == "case_brief"), None)
        if case_brief is not None:
            raw = case_brief + timedelta(days=_REBUTTAL_DAYS)
            added.append(_fact("rebuttal_brief", raw, None, _REBUTTAL_CITATION))
    if notice_kind is NoticeKind.REVIEW_OPPORTUNITY and "review_request" not in named:
        raw = last_day_of_month(publication.year, publication.month)
        added.append(_fact("review_request", raw, None, REVIEW_REQUEST_RULE))  # _fact adds the roll
    return added
