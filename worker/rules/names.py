"""Company names: normalising legal forms and punctuation, aliases, and fuzzy matching."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

POSSIBLE_FLOOR = 75  # below the threshold but at least this: reported, never a silent hit

# Legal forms stripped from the end of a name, longest first, after dots are dropped
# ("S.A. de C.V." -> "sa de cv") and other punctuation becomes spaces.
_LEGAL_FORMS: tuple[tuple[str, ...], ...] = tuple(
    sorted(
        (
            tuple(form.split())
            for form in (
                "co ltd", "co limited", "company limited", "company ltd", "corp ltd",
                "co inc", "corp", "corporation", "inc", "incorporated", "llc", "l l c",
                "ltd", "limited", "co", "company", "sa de cv", "s a de c v", "sapi de cv",
                "de cv", "gmbh", "gmbh and co kg", "kg", "spa", "s p a", "srl", "plc", "ag",
                "bv", "nv", "sa", "s a", "sas", "se", "sdn bhd", "bhd", "pte ltd", "pte",
                "pvt ltd", "private limited", "pvt", "kabushiki kaisha", "kk", "jsc", "ojsc",
                "pjsc", "ooo", "oao", "zrt", "kft", "as", "a s", "ab", "oy", "sro", "joint stock",
                "joint stock co", "lp", "llp", "pty ltd", "pty", "tbk", "sadecv", "sade cv",
            )
        ),
        key=len,
        reverse=True,
    )
)  # fmt: skip
_LEADING_FORMS: tuple[str, ...] = ("pt", "the", "cv", "ооо")


@dataclass(frozen=True)
class NameMatch:
    """How a name matched one candidate: exact, alias, fuzzy (>= threshold) or possible."""

    name: str
    candidate: str
    score: int
    status: str  # exact, alias, fuzzy, possible

    @property
    def is_hit(self) -> bool:
        return self.status in ("exact", "alias", "fuzzy")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


@lru_cache(maxsize=65536)  # a big portfolio compares the same few rate-table names thousands of times
def normalize_company_name(name: str) -> str:
    """Lower case, '&' -> 'and', punctuation and trailing legal forms (Co., Ltd., S.A. de C.V.) gone."""
    text = _fold(html.unescape(name)).replace("&", " and ")
    text = re.sub(r"(?<=\w)\.(?=\w)", "", text).replace(".", " ")
    tokens = re.sub(r"[^\w]+", " ", text).split()
    while tokens and tokens[0] in _LEADING_FORMS and len(tokens) > 1:
        tokens = tokens[1:]
    stripped = True
    while stripped:
        stripped = False
        for form in _LEGAL_FORMS:
            if len(tokens) > len(form) and tuple(tokens[-len(form) :]) == form:
                tokens = tokens[: -len(form)]
                stripped = True
                break
    return " ".join(tokens)


@lru_cache(maxsize=65536)
def company_key(name: str) -> str:
    """The comparison key: the normalised name with its words sorted (word order ignored)."""
    return " ".join(sorted(normalize_company_name(name).split()))


class AliasTable(Mapping[str, str]):
    """Names an importer knows by another name: alias -> the name as Commerce lists it."""

    def __init__(self, pairs: Mapping[str, str] | None = None) -> None:
        self._by_key: dict[str, str] = {}
        for alias, canonical in (pairs or {}).items():
            self.add(alias, canonical)

    def add(self, alias: str, canonical: str) -> None:
        key = company_key(alias)
        if not key:
            raise ValueError(f"alias {alias!r} is empty once normalised")
        self._by_key[key] = canonical

    def __getitem__(self, name: str) -> str:
        return self._by_key[company_key(name)]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_key)

    def __len__(self) -> int:
        return len(self._by_key)


def _alias_target(name: str, aliases: Mapping[str, str] | None) -> str | None:
    if not aliases:
        return None
    if isinstance(aliases, AliasTable):
        return aliases.get(name)
    key = company_key(name)
    for alias, canonical in aliases.items():
        if company_key(alias) == key:
            return canonical
    return None


def match_company(
    name: str,
    candidates: Sequence[str],
    *,
    aliases: Mapping[str, str] | None = None,
    threshold: int,
    floor: int = POSSIBLE_FLOOR,
) -> NameMatch | None:
    """The best candidate for a name: exact, alias, fuzzy (score >= threshold) or possible.

    A possible match (floor <= score < threshold) is returned so it can be reported; callers
    must not treat it as a hit (see NameMatch.is_hit).
    """
    key = company_key(name)
    if not key or not candidates:
        return None
    keys = [company_key(candidate) for candidate in candidates]
    for candidate, candidate_key in zip(candidates, keys, strict=True):
        if candidate_key == key:
            return NameMatch(name, candidate, 100, "exact")
    target = _alias_target(name, aliases)
    if target is not None:
        target_key = company_key(target)
        for candidate, candidate_key in zip(candidates, keys, strict=True):
            if candidate_key == target_key:
                return NameMatch(name, candidate, 100, "alias")
    best_score, best = -1.0, ""
    for candidate, candidate_key in zip(candidates, keys, strict=True):
        score = fuzz.token_sort_ratio(key, candidate_key)
        if score > best_score:
            best_score, best = score, candidate
    score = int(best_score)
    if score >= threshold:
        return NameMatch(name, best, score, "fuzzy")
    if score >= floor:
        return NameMatch(name, best, score, "possible")
    return None
