"""The one set of dash characters: hyphen variants, en and em dashes, the horizontal bar, minus."""

from __future__ import annotations

# U+2010 hyphen, U+2011 non-breaking hyphen, U+2012 figure dash, U+2013 en dash, U+2014 em dash,
# U+2015 horizontal bar, U+2212 minus sign. GPO switched en dashes to hyphens in March 2024; both
# forms (and the others) occur in notices, case numbers and FR document numbers.
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
# A regex character class matching an ASCII hyphen or any of DASHES.
DASH = f"[-{DASHES}]"
_DASH_TABLE = str.maketrans(dict.fromkeys(DASHES, "-"))


def normalize_dashes(text: str) -> str:
    """Every dash of DASHES written as an ASCII hyphen."""
    return text.translate(_DASH_TABLE)
