"""How sure a product-to-case match is: 'likely' (alerts, reminders) or 'possible' (shown apart)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

LIKELY = "likely"
POSSIBLE = "possible"
CONFIDENCE = ("low", "medium", "high")
# Confidence by HTS level when one code is the other's prefix, and when they only share a
# parent heading or subheading (siblings): HTS lists are advisory, the scope governs.
_PREFIX_CONFIDENCE = {10: "high", 8: "high", 6: "medium", 4: "low"}
_SIBLING_CONFIDENCE = {10: "high", 8: "medium", 6: "low", 4: "low"}
# Materials and forms that name no product: 'steel' shared by "steel shelving unit" and "Carbon
# Steel Butt-Weld Pipe Fittings" says nothing about scope; 'shelving' or 'nail' does.
GENERIC_WORDS = frozenset(
    {"steel", "iron", "alloy", "carbon", "stainless", "metal", "aluminum", "aluminium", "copper",
     "brass", "zinc", "nickel", "titanium", "plastic", "rubber", "wood", "wooden", "paper", "glass",
     "ceramic", "cotton", "polyester", "fiber", "fibre", "unit", "set", "finished", "unfinished",
     "wire", "cold", "hot", "rolled", "flat", "large", "small", "diameter", "welded", "seamless", "coated",
     "china", "chinese", "mm", "inch", "kit", "pack", "piece", "pcs", "box", "assembly"}
)  # fmt: skip


class MatchGrade(NamedTuple):
    """A match's standing and confidence, and the product words that back it."""

    standing: str  # likely or possible
    confidence: str  # high, medium, low
    corroborating_words: tuple[str, ...]


def corroborating_words(product_words: Iterable[str], case_words: Iterable[str]) -> tuple[str, ...]:
    """The words a product description shares with a case's product name that name a product."""
    return tuple(sorted((set(product_words) & set(case_words)) - GENERIC_WORDS))


def _raise(confidence: str) -> str:
    return CONFIDENCE[min(CONFIDENCE.index(confidence) + 1, len(CONFIDENCE) - 1)]


def grade_match(level: int | None, relation: str, corroborating: tuple[str, ...]) -> MatchGrade:
    """Likely: the product's code falls within a listed 8- or 10-digit code (or contains it), or a
    6-digit (or 8-digit sibling) code match that the description backs with a product word.

    Possible: a 4-digit match, a 6-digit match or sibling the description does not back, and a
    match on description words alone. Possible matches never alert and never remind.
    """
    if level is None or relation == "description":
        return MatchGrade(POSSIBLE, "low", corroborating)
    table = _PREFIX_CONFIDENCE if relation == "prefix" else _SIBLING_CONFIDENCE
    confidence = _raise(table[level]) if corroborating else table[level]
    if level >= 8 and relation == "prefix":
        likely = True
    elif level >= 6:
        likely = bool(corroborating)
    else:
        likely = False
    return MatchGrade(LIKELY if likely else POSSIBLE, confidence, corroborating)
