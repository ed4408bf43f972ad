"""HTS codes: normalising, formatting and matching at the 10, 8, 6 and 4 digit levels."""

from __future__ import annotations

import re

MATCH_LEVELS: tuple[int, ...] = (10, 8, 6, 4)
_SEPARATORS = re.compile(r"[\s.\-]")


def normalize_hts(raw: str) -> str:
    """'7318.15.50.90', '7318155090', '7318.15' -> digits only, 4 to 10 of them."""
    digits = _SEPARATORS.sub("", raw.strip())
    if not digits.isdigit() or not 4 <= len(digits) <= 10:
        raise ValueError(
            f"not an HTS code: {raw!r} (expected 4 to 10 digits, dotted or not, e.g. 7318.15.50.90)"
        )
    return digits


def format_hts(digits: str) -> str:
    """'7318155090' -> '7318.15.50.90'; shorter codes keep their own groups ('7318.15')."""
    code = normalize_hts(digits)
    groups = [code[:4]] + [code[i : i + 2] for i in range(4, len(code), 2)]
    return ".".join(groups)


def hts_match_level(product_hts: str, listed_hts: str) -> int | None:
    """The level (10, 8, 6 or 4) at which two codes meet, either being the other's prefix.

    HTSUS lists in orders are advisory and the written scope governs (every order's scope
    paragraph says so, e.g. FR Doc 2024-02902); a 4-digit match is a candidate, not a finding.
    """
    product = normalize_hts(product_hts)
    listed = normalize_hts(listed_hts)
    if not (product.startswith(listed) or listed.startswith(product)):
        return None
    common = min(len(product), len(listed))
    return next(level for level in MATCH_LEVELS if common >= level)


def hts_prefixes(digits: str) -> list[str]:
    """The prefixes of a code at each match level it reaches, longest first."""
    code = normalize_hts(digits)
    return [code[:level] for level in MATCH_LEVELS if len(code) >= level]
