"""A company's rate stated in prose under the short name the notice gave it.

'Tokyo Widget Works, Ltd. (TWW) ...' then 'Revise TWW's margin ... to apply a rate of 59.67
percent' or 'the weighted-average dumping margin for TWW is 3.18 percent'.
"""

from __future__ import annotations

import re
from decimal import Decimal

from watchers.rate_tables import prose_rate_row
from watchers.records import RateBasis, RateRow

_QUOTE = "[\"'\u201c\u201d\u2018\u2019]?"
# A company name ending in its legal form, then its short name in parentheses.
_DEFINED = re.compile(
    r"(?P<name>(?:[A-Z][\w&.'\u2019-]*,?\s+){0,8}?(?:[A-Z][\w&.'\u2019-]*,?\s+)?"
    r"(?:Ltd\.?|Limited|Inc\.?|Co\.|Corp\.?|Corporation|Company|A\.S\.?|S\.A\.?|S\.p\.A\.?|GmbH|LLC"
    r"|AG|B\.V\.?|N\.V\.?|Pvt\.? Ltd\.?|Sdn\.? Bhd\.?|JSC|PJSC|OJSC|SpA|SRL|S\.r\.l\.?|Industries))"
    rf"\s*\((?:collectively,?\s+)?{_QUOTE}(?P<abbr>[A-Z][A-Za-z0-9&-]{{1,11}}){_QUOTE}\)"
)


def _stated(abbr: str) -> re.Pattern[str]:
    who = rf"\b{re.escape(abbr)}(?:['\u2019]s?)?"
    return re.compile(
        # 'Revise TKS' margin ... to apply a rate of 59.67 percent'
        rf"{who}\s+(?:weighted[- ]average\s+)?(?:dumping\s+)?(?:margin|rate)\b[^.;]{{0,160}}?"
        r"\b(?:rate|margin)\s+(?:of|is|was|will be|at)\s+(?P<rate>\d{1,3}(?:\.\d+)?)\s*(?:percent|%)"
        # 'the (weighted-average dumping) margin (rate) for TKS is 3.18 percent'
        rf"|\b(?:margin|rate)\s+(?:for|of|assigned to|applicable to)\s+{who}\s+(?:is|was|will be|of|at)\s+"
        r"(?P<rate2>\d{1,3}(?:\.\d+)?)\s*(?:percent|%)"
    )


def extract_company_prose_rates(
    sentences: list[str], *, cases: tuple[str, ...], existing: list[RateRow]
) -> list[RateRow]:
    """Rates of companies the notice named with a short form, unless a table already gave them."""
    names: dict[str, str] = {}
    if not any("percent" in s or "%" in s for s in sentences):
        return []
    for sentence in sentences:
        if "(" not in sentence:
            continue
        for match in _DEFINED.finditer(sentence):
            names.setdefault(match.group("abbr"), match.group("name").strip())
    out: list[RateRow] = []
    known = {((r.exporter or "").lower(), r.rate) for r in existing}
    for abbr, name in names.items():
        pattern = _stated(abbr)
        for sentence in sentences:
            if abbr not in sentence or ("percent" not in sentence and "%" not in sentence):
                continue
            for match in pattern.finditer(sentence):
                rate = Decimal(match.group("rate") or match.group("rate2"))
                if (name.lower(), rate) in known:
                    continue
                known.add((name.lower(), rate))
                out.append(prose_rate_row(sentence, cases, rate=rate, basis=RateBasis.COMPANY, exporter=name))
    return out
