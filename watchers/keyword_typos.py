"""Mend one-letter typos in the key words of deadline sentences ('breifs', 'rebutal', 'hearng')."""

from __future__ import annotations

import re
from functools import lru_cache

# Words the deadline patterns rely on. A typo is one dropped, doubled or extra letter, or two
# neighbouring letters swapped; a changed letter is not mended, because it so often makes
# another real word ('heading' for 'hearing', 'breaks' for 'briefs').
KEY_WORDS = frozenset(
    [
        "brief",
        "briefs",
        "rebuttal",
        "rebuttals",
        "hearing",
        "request",
        "requests",
        "requesting",
        "comments",
        "separate",
        "application",
        "applications",
        "certification",
        "certifications",
        "withdrawal",
        "withdraw",
        "participate",
        "substantive",
        "response",
        "responses",
        "conference",
        "posthearing",
        "prehearing",
        "postconference",
        "appearance",
        "absorption",
        "absorbed",
        "publication",
        "initiation",
        "shipments",
        "statement",
        "statements",
        "submitted",
        "participation",
    ]
)
_WORD = re.compile(r"[A-Za-z]{5,}")


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _swaps(word: str) -> set[str]:
    return {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}


def _build() -> dict[str, str]:
    """Misspelling -> key word, for misspellings no key word itself spells."""
    table: dict[str, str] = {}
    for word in KEY_WORDS:
        variants = _swaps(word) | (_deletions(word) if len(word) >= 7 else set())
        for variant in variants - KEY_WORDS:
            table.setdefault(variant, word)
    return table


_MISSPELT = _build()


@lru_cache(maxsize=4096)
def mend_word(word: str) -> str:
    """The key word a misspelt word stands for, else the word itself (case kept for the first letter)."""
    lower = word.lower()
    if lower in KEY_WORDS:
        return word
    fixed = _MISSPELT.get(lower)
    if fixed is None and len(lower) >= 6:  # one letter too many ('rebbuttal', 'hearinng')
        fixed = next((d for d in sorted(_deletions(lower)) if d in KEY_WORDS), None)
    if fixed is None:
        return word
    return fixed[:1].upper() + fixed[1:] if word[:1].isupper() else fixed


def mend_typos(sentence: str) -> str:
    """The sentence with misspelt key words mended; other words are left as they are."""
    return _WORD.sub(lambda m: mend_word(m.group(0)), sentence)
