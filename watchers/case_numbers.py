"""Commerce AD/CVD case numbers (A-570-148, C-570-149) found in any text, in any dash form."""

from __future__ import annotations

import re

from watchers.dashes import DASH
from watchers.records import CaseType

_SEP = rf"\s*{DASH}\s*"
# Letter, country group, sequence; whitespace alone also separates the groups in some docket ids
# ('A 570 148'), but only with a capital letter so prose such as 'a 100 200' stays out.
_CASE = re.compile(
    rf"(?<![A-Za-z0-9])(?:(?P<l1>[ACac]){_SEP}(?P<c1>\d{{3}}){_SEP}(?P<s1>\d{{3}})"
    rf"|(?P<l2>[AC])\s+(?P<c2>\d{{3}})\s+(?P<s2>\d{{3}}))(?![0-9])"
)
# 'A-000-000' is the placeholder notices use when explaining ACCESS segment names.
_PLACEHOLDERS = frozenset({"A-000-000", "C-000-000"})


def extract_case_numbers(text: str) -> tuple[str, ...]:
    """Case numbers in order of first appearance, normalised to ASCII 'A-570-148'."""
    seen: dict[str, None] = {}
    for match in _CASE.finditer(text):
        letter = match.group("l1") or match.group("l2")
        country = match.group("c1") or match.group("c2")
        sequence = match.group("s1") or match.group("s2")
        number = f"{letter.upper()}-{country}-{sequence}"
        if number not in _PLACEHOLDERS:
            seen.setdefault(number, None)
    return tuple(seen)


def case_type_of(case_number: str) -> CaseType:
    """AD for A- case numbers (antidumping), CVD for C- ones (countervailing), however written."""
    return CaseType.AD if case_number.strip().upper().startswith("A") else CaseType.CVD
