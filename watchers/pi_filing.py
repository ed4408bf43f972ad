"""A public-inspection filing's heading read as product, countries as written, correction and withdrawal."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# ITA filings are listed under one of a few section headings ("Antidumping or Countervailing Duty
# Investigations, Orders, or Reviews:"); the document line after it names product and countries.
_CORRECTION = re.compile(r"\s*;\s*(?:correction|corrections|correcting amendment)\s*$", re.IGNORECASE)
_FROM = re.compile(r"\s+from\s+", re.IGNORECASE)
_LIST_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+", re.IGNORECASE)
_CERTAIN = re.compile(r"^certain\s+", re.IGNORECASE)
_WITHDRAWAL = re.compile(r"\bwithdraw", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class FilingSubject:
    """What a filing's heading says before its PDF is read; country names are as printed."""

    product: str  # without a leading "Certain"
    country_names: tuple[str, ...]  # "the People's Republic of China", "Turkiye", ...
    is_correction: bool
    withdrawal_requested: bool
    heading: str  # the document line the facts were read from


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value else ""


def document_line(item: dict[str, Any]) -> str:
    """toc_doc, else subject_2, else the title less its section heading (toc_subject / subject_1)."""
    for field in ("toc_doc", "subject_2"):
        line = _text(item.get(field))
        if line:
            return line
    title = _text(item.get("title"))
    for field in ("toc_subject", "subject_1"):
        section = _text(item.get(field))
        if section and title.startswith(section):
            return title[len(section) :].strip()
    _head, sep, rest = title.partition(": ")
    return rest.strip() if sep and _FROM.search(rest) else title


def split_country_names(text: str) -> tuple[str, ...]:
    """'France, Japan, and Spain' -> ('France', 'Japan', 'Spain'), as printed. A name with 'and' in it
    comes out in two pieces; the catalog lookup rejoins neighbours that make one country."""
    pieces = [p.strip(" .") for p in _LIST_SEPARATOR.split(text.strip())]
    return tuple(p for p in pieces if p)


def parse_filing_subject(item: dict[str, Any]) -> FilingSubject:
    """Product and countries from the document line ('Methionine from France, Japan, and Spain')."""
    line = document_line(item)
    is_correction = bool(_CORRECTION.search(line))
    body = _CORRECTION.sub("", line).strip()
    matches = list(_FROM.finditer(body))
    if matches:
        last = matches[-1]
        product, countries = body[: last.start()], split_country_names(body[last.end() :])
    else:
        product, countries = body, ()
    note = _text(item.get("editorial_note"))
    return FilingSubject(
        product=_CERTAIN.sub("", product).strip(" ,;:"),
        country_names=countries,
        is_correction=is_correction,
        withdrawal_requested=bool(note and _WITHDRAWAL.search(note)),
        heading=line,
    )
