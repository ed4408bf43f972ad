"""The companies a notice rescinds an administrative review for ('rescinding ... with respect to X and Y')."""

from __future__ import annotations

import re
from collections.abc import Iterable

RESCINDED_ELSEWHERE = "rescinded companies given as a count or listed elsewhere (an appendix): not read"
_RESCINDS = re.compile(r"\brescind(?:ing|ed|s)?\b", re.IGNORECASE)
_NOT_YET = re.compile(
    r"\bintend\w*\s+to\s+rescind|\bintent to rescind|\bpreliminar\w*\s+rescind", re.IGNORECASE
)
_WITH_RESPECT_TO = re.compile(r"\bwith respect to\s+", re.IGNORECASE)
# Where the list of names ends: the legal basis or the reason that follows it.
_LIST_END = re.compile(
    r",?\s+(?:pursuant to|in accordance with|because|consistent with|under 19|as (?:all|each|these|the)|"
    r"for (?:which|the period)|which|who|since|based on)\b|;\s|\s\(see\b",
    re.IGNORECASE,
)
# A count or a pointer instead of names: the names are listed elsewhere (an appendix, a table).
_NOT_NAMES = re.compile(
    r"^(?:those|these|the following|certain|the remaining|all|each|any|the companies|the \d+|\d+|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty|thirty|forty|fifty)\b",
    re.IGNORECASE,
)
_SPLIT = re.compile(r";\s+(?:and\s+)?|,?\s+and\s+(?=[A-Z])|,\s+(?=[A-Z])")
_SUFFIX = re.compile(
    r"^(?:Ltd|Ltd\.|Limited|Inc|Inc\.|Co|Co\.|Corp|Corp\.|Corporation|LLC|L\.L\.C\.|LLP|S\.A\.?|"
    r"S\.A\. de C\.V\.?|S\.p\.A\.?|GmbH|AG|A\.S\.?|A\.Ş\.?|SA|Pvt\.? Ltd\.?|Private Limited|"
    r"Sdn\.? Bhd\.?|Bhd\.?|PLC|Tbk|JSC|de C\.V\.?|B\.V\.?|N\.V\.?|K\.K\.?|Co\.,? Ltd\.?)$",
    re.IGNORECASE,
)
_PARENTHESES = re.compile(r"\s*\([^()]*\)")


def _without_full_stop(text: str) -> str:
    """The list without the sentence's full stop, unless it ends an abbreviation (Co., Ltd.; S.A. de C.V.)."""
    if not text.endswith("."):
        return text
    last = text.rsplit(" ", 1)[-1]
    return text if _SUFFIX.match(last) or "." in last[:-1] else text[:-1]


def _names(listed: str) -> list[str]:
    pieces = [p.strip(" ,") for p in _SPLIT.split(_PARENTHESES.sub("", listed)) if p.strip(" ,.")]
    names: list[str] = []
    for piece in pieces:
        if names and _SUFFIX.match(piece):
            names[-1] = f"{names[-1]}, {piece}"
        else:
            names.append(piece)
    return [n for n in names if any(c.isupper() for c in n[:1])]


def rescinded_companies(sentences: Iterable[str]) -> tuple[tuple[str, ...], bool]:
    """(the companies named, whether some rescission's list could not be read) from a notice's sentences.

    Only sentences that rescind ('we are rescinding this review, in part, with respect to A and B') count;
    'with respect to 21 companies' or 'the companies listed in the appendix' name none, and say so.
    """
    found: dict[str, None] = {}
    unreadable = False
    for sentence in sentences:
        rescinds = _RESCINDS.search(sentence)
        if rescinds is None or _NOT_YET.search(sentence):
            continue
        respect = _WITH_RESPECT_TO.search(sentence, rescinds.end())
        if respect is None:
            continue
        listed = sentence[respect.end() :]
        end = _LIST_END.search(listed)
        listed = _without_full_stop((listed[: end.start()] if end else listed).rstrip(" "))
        if _NOT_NAMES.match(listed):
            unreadable = True
            continue
        names = _names(listed)
        if not names:
            unreadable = True
        found.update(dict.fromkeys(names))
    return tuple(found), unreadable
