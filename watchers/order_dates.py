"""An order's dates as its notices state them: suspension, end of provisional measures, the ITC's final.

Read from the sentences of an order notice (e.g. FR 2024-02902) and never computed when absent:

- preliminary_published: "... on or after August 3, 2023, the date of publication of the AD
  Preliminary Determination" or "Commerce published the CVD Preliminary Determination on June 5,
  2023" (liquidation is first suspended on it, 19 U.S.C. 1671b(d)/1673b(d)).
- provisional_end, the LAST DAY provisional measures were in effect. The operative instruction to
  CBP wins, because Commerce words the same day two ways: "liquidate, without regard to
  antidumping duties, ... entries ... for consumption after January 29, 2024" (last day January 29)
  and "... for consumption, on or after October 2, 2023, the date on which the provisional
  measures expired" (last day October 1, although the CVD notice also says the period "ended on
  October 2"). Only without that instruction: "... provisional measures period ... ended on D" (last
  day D) or "provisional measures expired on D" (last day D - 1).
  Not stated when the notice extends duties to entries 90 days before it (affirmative critical
  circumstances): liquidation was then suspended earlier for some entries, and no one day is right.
- itc_final_notified: "On February 5, 2024, ... the ITC notified Commerce of its final
  determinations". This is NOT the publication of the ITC's determination, which starts definitive
  duties (section 737(b)/707(b)): that comes on or after the notification.
- itc_final_published: "the ITC published its final ... determination ... on D" / "the ITC's final
  ... determination was published in the Federal Register on D".

Each sentence is tied to AD or CVD by its words (antidumping, LTFV, section 733/735 / countervailing,
subsid, section 703/705), else by its heading ("Provisional Measures—CVD"), else by the notice having
cases of one type only. In a notice of both types, a suspension or provisional-measures sentence tied
to neither is not used; an ITC sentence naming both is about every case.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta

from watchers.notice_text import LONG_DATE, LONG_DATE_TEXT, parse_long_date
from watchers.records import CaseDateFact, CaseType, NoticeKind

# The notices of an investigation and its order: only they state the order's own dates. A review's
# notices use the same words about other things (their own preliminary results, rescinded entries).
STATING_KINDS = frozenset(
    {
        NoticeKind.PRELIMINARY_DETERMINATION,
        NoticeKind.FINAL_DETERMINATION,
        NoticeKind.ORDER,
        NoticeKind.SUSPENSION_AGREEMENT,
    }
)
PRELIMINARY_PUBLISHED = "preliminary_published"
PROVISIONAL_END = "provisional_end"
ITC_FINAL_NOTIFIED = "itc_final_notified"
ITC_FINAL_PUBLISHED = "itc_final_published"

_D = rf"(?P<day>{LONG_DATE_TEXT})"
_PRELIMINARY = [
    re.compile(
        rf"on or after {_D},?\s+(?:i\.e\.,?\s+)?the date of (?:the )?publication of the "
        r"(?:(?:AD|CVD|affirmative|LTFV)\s+)*preliminary\s+(?:\w+\s+){0,3}?determination",
        re.IGNORECASE,
    ),
    re.compile(
        r"published (?:the|its) (?:(?:AD|CVD|affirmative|LTFV)\s+)*preliminary\s+(?:\w+\s+){0,3}?"
        rf"determination,?\s+(?:in the Federal Register\s+)?on {_D}",
        re.IGNORECASE,
    ),
]
# Affirmative critical circumstances: duties reach back 90 days before the preliminary determination
# (19 U.S.C. 1671b(e)/1673b(e)), for some companies or all. Not a refund of those deposits.
_REACH_BACK = re.compile(
    rf"on or after {_D},?\s+\(?i\.e\.,?\s+90 days (?:prior to|before) the date of (?:the )?publication",
    re.IGNORECASE,
)
_REFUND = re.compile(r"\brefund|\blift (?:the )?suspension", re.IGNORECASE)
_GAP_INSTRUCTION = re.compile(
    r"without regard to (?P<duty>antidumping|countervailing) dut(?:y|ies)\b.*?for consumption,?\s+"
    rf"(?P<from>on or after|after) {_D}",
    re.IGNORECASE,
)
_PROVISIONAL_ENDED = re.compile(
    rf"(?:provisional measures period|(?:four|six|4|6)[- ]month period)\b.*?\bended on {_D}", re.IGNORECASE
)
_PROVISIONAL_EXPIRED = re.compile(rf"provisional measures expired on {_D}", re.IGNORECASE)
_ITC_NOTIFIED = [
    re.compile(rf"\bon {_D},?\s+(?:[^.]*?,\s+)?the (?:ITC|Commission) notified Commerce\b", re.IGNORECASE),
    re.compile(rf"\bthe (?:ITC|Commission) notified Commerce on {_D}", re.IGNORECASE),
]
_ITC_PUBLISHED = [
    re.compile(
        r"\bthe (?:ITC|Commission) published its final (?:\w+\s+){0,3}?determinations?\b[^.]*?\bon " + _D,
        re.IGNORECASE,
    ),
    re.compile(
        r"\bthe (?:ITC|Commission)'s final (?:\w+\s+){0,3}?determinations? (?:was|were) published "
        rf"(?:in the Federal Register )?on {_D}",
        re.IGNORECASE,
    ),
]
_AD_WORDS = re.compile(
    r"\b(?:antidumping|AD|LTFV|less[- ]than[- ]fair[- ]value|dumping|sections? 73[1-7])\b", re.IGNORECASE
)
_CVD_WORDS = re.compile(r"\b(?:countervailing|CVD|subsid\w*|sections? 70[1-7])\b", re.IGNORECASE)
_HEADING_TYPE = re.compile(r"\b(AD|CVD)\s*$")


def _day(match: re.Match[str]) -> date | None:
    found = LONG_DATE.search(match.group("day"))
    return parse_long_date(found) if found else None


def _last_day(match: re.Match[str]) -> date | None:
    """The last date of the match: 'On May 1, 2023, Commerce ..., and on February 5, 2024, the ITC
    notified Commerce' is February 5."""
    found = list(LONG_DATE.finditer(match.group(0)))
    return parse_long_date(found[-1]) if found else None


def _type_of(sentence: str, heading: str, own_types: Sequence[CaseType]) -> CaseType | None:
    """AD or CVD; None when it cannot be told (a sentence naming both or neither in a joint notice)."""
    ad, cvd = bool(_AD_WORDS.search(sentence)), bool(_CVD_WORDS.search(sentence))
    if ad != cvd:
        return CaseType.AD if ad else CaseType.CVD
    heading_type = _HEADING_TYPE.search(heading.strip())
    if heading_type:
        return CaseType(heading_type.group(1).upper())
    if len(set(own_types)) == 1:
        return own_types[0]
    return None


def _add(
    found: list[CaseDateFact], kind: str, day: date | None, case_type: CaseType | None, text: str
) -> None:
    if day is not None:
        found.append(CaseDateFact(kind, day, case_type, text))


def extract_case_dates(
    sentences: Sequence[tuple[str, str]], own_types: Sequence[CaseType]
) -> list[CaseDateFact]:
    """The order's dates stated in (heading, sentence) pairs; see the module docstring.

    One fact per kind and case type, the first stated wins, except that an operative gap
    instruction wins over an 'ended on' sentence.
    """
    found: list[CaseDateFact] = []
    fallback_ends: list[CaseDateFact] = []
    reach_back: set[CaseType] = set()
    for heading, sentence in sentences:
        case_type = _type_of(sentence, heading, own_types)
        for pattern in _PRELIMINARY:
            match = pattern.search(sentence)
            if match and case_type is not None:
                _add(found, PRELIMINARY_PUBLISHED, _day(match), case_type, sentence)
                break
        gap = _GAP_INSTRUCTION.search(sentence)
        if gap:
            duty_type = CaseType.AD if gap.group("duty").lower() == "antidumping" else CaseType.CVD
            day = _day(gap)
            if day is not None and gap.group("from").lower() == "on or after":
                day -= timedelta(days=1)
            _add(found, PROVISIONAL_END, day, duty_type, sentence)
        elif case_type is not None:
            ended = _PROVISIONAL_ENDED.search(sentence)
            expired = _PROVISIONAL_EXPIRED.search(sentence)
            if ended:
                _add(fallback_ends, PROVISIONAL_END, _day(ended), case_type, sentence)
            elif expired and (day := _day(expired)) is not None:
                _add(fallback_ends, PROVISIONAL_END, day - timedelta(days=1), case_type, sentence)
        for kind, patterns in ((ITC_FINAL_NOTIFIED, _ITC_NOTIFIED), (ITC_FINAL_PUBLISHED, _ITC_PUBLISHED)):
            for pattern in patterns:
                match = pattern.search(sentence)
                if match:  # case_type None: every case
                    _add(
                        found,
                        kind,
                        _last_day(match) if kind == ITC_FINAL_NOTIFIED else _day(match),
                        case_type,
                        sentence,
                    )
                    break
        if _REACH_BACK.search(sentence) and not _REFUND.search(sentence) and case_type is not None:
            reach_back.add(case_type)
    if reach_back:  # the suspension began earlier for some entries: no single day to state
        found = [
            f
            for f in found
            if f.kind != PRELIMINARY_PUBLISHED or (f.case_type is not None and f.case_type not in reach_back)
        ]
    stated_ends = {f.case_type for f in found if f.kind == PROVISIONAL_END}
    found += [f for f in fallback_ends if f.case_type not in stated_ends and None not in stated_ends]
    return _first_of_each(found)


def _first_of_each(facts: list[CaseDateFact]) -> list[CaseDateFact]:
    seen: set[tuple[str, CaseType | None]] = set()
    kept: list[CaseDateFact] = []
    for fact in facts:
        key = (fact.kind, fact.case_type)
        if key not in seen:
            seen.add(key)
            kept.append(fact)
    return kept


def dates_for_case(facts: Sequence[CaseDateFact], case_type: CaseType) -> dict[str, CaseDateFact]:
    """Each kind's fact for one case of the notice: its own type's, else one about every case."""
    chosen = {f.kind: f for f in facts if f.case_type is None}
    chosen.update({f.kind: f for f in facts if f.case_type is case_type})
    return chosen
