"""Catalog cases a public-inspection filing can be about, found by its product and countries, with why."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from rapidfuzz import fuzz
from sqlmodel import Session

from watchers.records import Classification
from worker.alerts.matching import significant_words
from worker.rules.countries import country_name, normalize_country
from worker.storage import case_rows
from worker.storage.models import Case, Notice

WORD_SIMILARITY = 92  # "aluminium"/"aluminum" (94) is one word; "plate"/"plated" (91) is not
MIN_SHARE = 2 / 3  # a shorter catalog name must still cover this share of the filed product's words


# Official long forms in Federal Register headings ("the Sultanate of Oman", "the Arab Republic of
# Egypt"): tried without the form when the whole name is not known. North Korea is never folded.
_OFFICIAL_FORM = re.compile(
    r"^(?:the\s+)?(?:(?:federal|federative|socialist|islamic|arab|democratic|plurinational|"
    r"bolivarian|oriental|argentine|hellenic|cooperative)\s+)*(?:republic|kingdom|sultanate|state|"
    r"federation|grand duchy|principality|commonwealth|emirate|hashemite kingdom)\s+of\s+(?:the\s+)?",
    re.IGNORECASE,
)


def country_code(name: str) -> str | None:
    """ISO code of a printed country name, long official forms included; None when unknown."""
    try:
        return normalize_country(name)
    except ValueError:
        pass
    if re.search(r"democratic\s+people", name, re.IGNORECASE):
        return None
    short = _OFFICIAL_FORM.sub("", name.strip())
    if short == name.strip():
        return None
    try:
        return normalize_country(short)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class CandidateCase:
    case: Case
    why: str


def resolve_countries(names: Sequence[str]) -> tuple[list[str], list[str]]:
    """ISO codes for the printed names, rejoining neighbours that are one country; (codes, unknown)."""
    codes: list[str] = []
    unknown: list[str] = []
    i = 0
    while i < len(names):
        joined = country_code(f"{names[i]} and {names[i + 1]}") if i + 1 < len(names) else None
        if joined is not None:
            codes.append(joined)
            i += 2
            continue
        code = country_code(names[i])
        if code is None:
            unknown.append(names[i])
        else:
            codes.append(code)
        i += 1
    return list(dict.fromkeys(codes)), unknown


def _word_in(word: str, words: frozenset[str]) -> bool:
    if word in words:
        return True
    return len(word) >= 5 and any(len(w) >= 5 and fuzz.ratio(word, w) >= WORD_SIMILARITY for w in words)


def product_match(filed: str, catalog: str) -> str | None:
    """Why the filed product is the catalog's, or None. Every significant word of the catalog name
    must be in the filed one (a spelling variant counts), and a shorter catalog name must cover most
    of the filed words: 'Melamine' is not 'Melamine Tableware', 'Steel Wire' is not 'Steel Wire
    Garment Hangers', but 'Certain Cut-To-Length Carbon Steel' is 'Cut-to-Length Carbon Steel Plate'."""
    filed_words, case_words = significant_words(filed), significant_words(catalog)
    if not filed_words or not case_words:
        return None
    if filed_words == case_words:
        return "same product name"
    if all(_word_in(w, case_words) for w in filed_words) and all(
        _word_in(w, filed_words) for w in case_words
    ):
        return "same product name (spelling variant)"
    if all(_word_in(w, filed_words) for w in case_words) and len(case_words) >= MIN_SHARE * len(filed_words):
        return f"the catalog's product name has {len(case_words)} of the filed {len(filed_words)} words"
    return None


class NamedSubject(Protocol):
    """What a record names before its cases are known: a filing's heading, a candidate signal."""

    @property
    def product(self) -> str: ...

    @property
    def country_names(self) -> tuple[str, ...]: ...


def candidate_cases(session: Session, subject: NamedSubject) -> tuple[list[CandidateCase], list[str]]:
    """Catalog cases of the filing's countries whose product it names; (candidates, unknown countries).

    Revoked cases are kept only when no live case of that country matches.
    """
    codes, unknown = resolve_countries(subject.country_names)
    by_country: dict[str, list[tuple[Case, str]]] = {code: [] for code in codes}
    for case in case_rows.list_cases_in_countries(session, codes):  # one query for every country
        if (why := product_match(subject.product, case.product)) is not None:
            by_country[case.country].append((case, why))
    found: list[CandidateCase] = []
    for matched in by_country.values():
        live = [m for m in matched if m[0].status != "revoked"]
        for case, why in live or matched:
            place = case.country_name or country_name(case.country)
            reason = (
                f"filed for {subject.product} from {place}; catalog case {case.case_number} "
                f"({case.case_type}, {case.product}, {case.status}): {why}"
            )
            found.append(CandidateCase(case, reason))
    found.sort(key=lambda c: c.case.case_number)
    return found, unknown


def cases_named_by_filing(notice: Notice, classification: Classification) -> tuple[str, ...]:
    """For a published notice whose text gave no case number: the cases its public-inspection filing
    (the stored row) named (from its PDF) or was matched to, narrowed to the AD or CVD side the
    published title names."""
    if not notice.on_public_inspection:
        return ()
    named = notice.facts.get("case_numbers") or notice.facts.get("candidate_cases") or []
    letters = {t.value[0] for t in classification.case_types}  # "AD" -> "A", "CVD" -> "C"
    return tuple(str(n) for n in named if not letters or str(n)[:1] in letters)
