"""Text helpers for notice full text: element text, GPO bracket entities, dates, sentences."""

from __future__ import annotations

import calendar
import re
from datetime import date

from lxml import etree

# GPO text renditions write characters as bracketed names ('M[uuml]ller'); only names that
# cannot be ordinary bracketed words are converted, so '[and]' or '[not]' stay as written.
_BRACKET_ENTITY = re.compile(
    r"\[([A-Za-z](?:acute|grave|uml|circ|tilde|cedil|ring|slash|caron)|ndash|mdash|sect|para"
    r"|deg|rsquo|lsquo|rdquo|ldquo|reg|trade|copy|frac12|frac14|frac34|middot|times|micro)\]"
)
_SPACE = re.compile(r"\s+")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:)\]])")
_SPACE_AFTER_OPEN = re.compile(r"([(\[])\s+")

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
_MONTH_ALT = "|".join(sorted((m for m in MONTHS), key=len, reverse=True))
LONG_DATE = re.compile(
    rf"\b(?P<month>{_MONTH_ALT})\.?\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})\b", re.IGNORECASE
)
LONG_DATE_TEXT = rf"(?:{_MONTH_ALT})\.?\s+\d{{1,2}},?\s+\d{{4}}"  # no named groups, to embed
MONTH_YEAR = re.compile(rf"\b(?P<month>{_MONTH_ALT})\.?,?\s+(?P<year>\d{{4}})\b", re.IGNORECASE)

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "twenty-one": 21, "twenty-eight": 28, "thirty": 30, "forty-five": 45,
    "sixty": 60, "ninety": 90,
}  # fmt: skip

# Abbreviations after which a period does not end a sentence.
_ABBREVIATIONS = frozenset(
    {
        "u.s.",
        "e.g.",
        "i.e.",
        "co.",
        "ltd.",
        "inc.",
        "corp.",
        "no.",
        "nos.",
        "p.m.",
        "a.m.",
        "sec.",
        "mr.",
        "ms.",
        "dr.",
        "st.",
        "ave.",
        "nw.",
        "sw.",
        "ne.",
        "se.",
        "jan.",
        "feb.",
        "mar.",
        "apr.",
        "jun.",
        "jul.",
        "aug.",
        "sep.",
        "sept.",
        "oct.",
        "nov.",
        "dec.",
        "fig.",
        "vol.",
        "id.",
        "pvt.",
        "s.a.",
        "s.p.a.",
        "b.v.",
        "n.v.",
        "l.l.c.",
        "bhd.",
        "sdn.",
        "al.",
        "cf.",
        "viz.",
        "v.",
        "vs.",
        "approx.",
        "pp.",
        "para.",
        "art.",
    }
)
_SENTENCE_END = re.compile(r"(?<=[.?!])[\"”’)]*\s+(?=[“\"(]?[A-Z0-9])")


def clean_text(text: str) -> str:
    """Collapse whitespace, mend spacing around punctuation, decode bracket entities."""
    text = _SPACE.sub(" ", text).strip()
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = _SPACE_AFTER_OPEN.sub(r"\1", text)
    if "[" in text:
        text = _BRACKET_ENTITY.sub(_bracket_entity_char, text)
    return text


def _bracket_entity_char(match: re.Match[str]) -> str:
    import html

    decoded = html.unescape(f"&{match.group(1)};")
    return decoded if not decoded.startswith("&") else match.group(0)


def element_text(el: etree._Element, *, footnote_marks: list[str] | None = None) -> str:
    """The readable text of an element: footnote marks (SU) and footnotes (FTNT) left out.

    When `footnote_marks` is given the SU marks are collected into it instead of dropped.
    """
    parts: list[str] = []
    _walk(el, parts, footnote_marks)
    return clean_text("".join(parts))


def _walk(el: etree._Element, parts: list[str], marks: list[str] | None) -> None:
    if el.text:
        parts.append(el.text)
    for child in el:
        tag = child.tag
        if tag == "SU":
            if marks is not None:
                marks.append(clean_text("".join(str(t) for t in child.itertext())))
        elif tag in ("FTNT", "FTREF"):
            pass
        elif tag == "LI":
            parts.append(" ")
            _walk(child, parts, marks)
        elif isinstance(tag, str):
            _walk(child, parts, marks)
        if child.tail:
            parts.append(child.tail)


def to_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_long_date(match: re.Match[str]) -> date | None:
    month = MONTHS[match.group("month").lower()]
    return to_date(int(match.group("year")), month, int(match.group("day")))


def parse_slash_date(month: str, day: str, year: str) -> date | None:
    y = int(year)
    if len(year) == 2:
        y += 2000 if y < 70 else 1900
    return to_date(y, int(month), int(day))


def last_day_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_count(word: str) -> int | None:
    """'30' or 'thirty' -> 30."""
    word = word.lower()
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word)


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph; abbreviations such as 'U.S.' or 'Co., Ltd.' do not split."""
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start()
        last_word = text[start:end].rsplit(" ", 1)[-1].lower()
        if last_word in _ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)+", last_word):
            continue
        sentences.append(text[start:end].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences
