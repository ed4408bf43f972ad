"""HTS (Harmonized Tariff Schedule) numbers in scope text, normalised to digits."""

from __future__ import annotations

import re

# Dotted forms are distinctive ('8424.30.9000', '7208.10.15', '8424.30.90.00', '2922.49').
# A stray space after a dot is the printer's ('8424.30. 9000', '7208.10. 15'); after the heading
# it counts only when a dotted group follows, so 'in 2019. 20 companies' stays prose.
_DOTTED = re.compile(
    r"(?<![\d.])(\d{4})\.(?:\s(?=\d{2}\.\d))?(\d{2})(?:\.\s?(\d{2})(?:(?:\.\s?|\.?)(\d{2}))?)?"
    r"(?![\d])(?!\.\d)"
    r"(?!\s*(?:mm|cm|m|kg|g|lbs?|pounds|inch|inches|in\.|percent|%|°|MPa|psi)\b)"
)
# Undotted numbers only count in a sentence that speaks of the tariff schedule.
_BARE = re.compile(r"(?<![\d.,])(\d{10}|\d{8}|\d{6}|\d{4})(?![\d]|\.\d)")
_HTS_CONTEXT = re.compile(r"\bHTS|Harmonized Tariff|subheading|\bheadings?\b", re.IGNORECASE)
_HEADING_WORD = re.compile(r"\bheadings?\b", re.IGNORECASE)
_YEAR = re.compile(r"(?:19|20)\d\d")
_SENTENCE = re.compile(r"(?<=[.;])\s+(?=[A-Z])")


def normalize_hts(code: str) -> str | None:
    """'8424.30.9000' -> '8424309000'; None unless 4, 6, 8 or 10 digits remain."""
    digits = re.sub(r"\D", "", code)
    return digits if len(digits) in (4, 6, 8, 10) else None


def extract_hts_codes(text: str) -> tuple[str, ...]:
    """HTS numbers in order of first appearance, digits only, without duplicates."""
    found: dict[str, None] = {}
    for sentence in _SENTENCE.split(text):
        hits: list[tuple[int, str]] = []
        for match in _DOTTED.finditer(sentence):
            hits.append((match.start(), "".join(g for g in match.groups() if g)))
        if _HTS_CONTEXT.search(sentence):
            has_heading_word = bool(_HEADING_WORD.search(sentence))
            for match in _BARE.finditer(sentence):
                digits = match.group(1)
                if len(digits) == 4 and (not has_heading_word or _YEAR.fullmatch(digits)):
                    continue
                hits.append((match.start(), digits))
        for _, digits in sorted(hits):
            code = normalize_hts(digits)
            if code is not None:
                found.setdefault(code, None)
    return tuple(found)
