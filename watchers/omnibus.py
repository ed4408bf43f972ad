"""The omnibus lists: review opportunities (monthly) and review initiations, per case."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from watchers.dashes import DASH
from watchers.notice_text import clean_text, parse_slash_date
from watchers.rate_tables import Table
from watchers.records import ReviewInitiation, ReviewOpportunity
from watchers.review_request import review_request_due

_CASE = rf"\b[AC]\s*{DASH}\s*\d{{3}}\s*{DASH}\s*\d{{3}}\b"
# The case number closes the product, and may be followed by a note of the row's own
# ('A-475-059 (Revoked in part)', 'C-570-980 *', 'A-570-836 see footnote 3') but never by
# another case number.
_CASE_AT_END = re.compile(rf"^(?P<head>.*?)[,\s]*(?P<case>{_CASE})(?P<tail>(?:(?!{_CASE}).)*)$")
# 'ITALY: Pressure ...' or 'Italy: Pressure ...': the row names its own country.
_OWN_COUNTRY = re.compile(r"^[A-Z][A-Za-z.'’ ,()-]{1,60}:")
_PERIOD = re.compile(rf"(\d{{1,2}})/(\d{{1,2}})/(\d{{2,4}})\s*{DASH}\s*(\d{{1,2}})/(\d{{1,2}})/(\d{{2,4}})")
_DOT_LEADER = re.compile(r"\s*(?:\.\s*){3,}")
_SECTION = re.compile(r"antidumping duty proceedings|countervailing duty proceedings|"
                      r"suspension agreements?|suspended investigations?", re.IGNORECASE)  # fmt: skip
_SMALL_WORDS = frozenset({"of", "and", "the", "de", "del", "da", "for"})
_NONE_ROW = re.compile(r"^none\.?$", re.IGNORECASE)
# Older printed lists: the country on its own line ('Latvia:'), then rows without a dot leader
# ('Steel Concrete Reinforcing Bars, A-449-804 9/1/02-8/31/03').
_COUNTRY_LINE = re.compile(r"^[A-Z][A-Za-z.'’ ,()-]{1,60}:$")
# A plain row is the product, its case (perhaps a short note in parentheses) and the period, and
# nothing more: prose that cites a case and a date range is no row.
_ROW_THEN_PERIOD = re.compile(
    rf"^(?P<row>[^.;]{{1,160}}?{_CASE}(?:\s*\([^)]{{0,40}}\))?)\s+(?P<rest>{_PERIOD.pattern})\s*$"
)
PERIOD_HEADER = re.compile(r"period (?:of review|to be reviewed)", re.IGNORECASE)


def country_name(printed: str) -> str:
    """'THE PEOPLE'S REPUBLIC OF CHINA' -> "People's Republic of China" (as other notices name it)."""
    text = clean_text(printed)
    if text.isupper():
        words = []
        for i, word in enumerate(text.lower().split(" ")):
            words.append(word if i and word in _SMALL_WORDS else word[:1].upper() + word[1:])
        text = " ".join(words)
    return re.sub(r"^the\s+", "", text, flags=re.IGNORECASE)


@dataclass
class ListedCase:
    case_number: str
    country: str
    product: str
    period: tuple[date, date] | None
    section: str
    companies: list[str] = field(default_factory=list)


def _period(text: str) -> tuple[date, date] | None:
    match = _PERIOD.search(text)
    if match is None:
        return None
    start = parse_slash_date(*match.group(1, 2, 3))
    end = parse_slash_date(*match.group(4, 5, 6))
    return (start, end) if start and end else None


def read_case_list(lines: list[tuple[str, str]]) -> tuple[list[ListedCase], list[str]]:
    """Cases of an omnibus list from (stub, rest) lines; companies are the lines under a case."""
    cases: list[ListedCase] = []
    unread: list[str] = []
    section = ""
    pending = ""
    country_line = ""  # a country printed on its own line heads the rows under it
    for stub, rest in lines:
        stub = clean_text(stub)
        if not stub and not rest:
            continue
        if not rest and _COUNTRY_LINE.match(stub) and not stub.isupper() and not _SECTION.search(stub):
            country_line, pending = country_name(stub.rstrip(":")), ""
            continue
        if _SECTION.fullmatch(stub.rstrip(":")) or (_SECTION.search(stub) and len(stub) < 60):
            section, pending, country_line = stub.rstrip(":"), "", ""
            continue
        if _NONE_ROW.match(stub):
            continue
        match = _CASE_AT_END.match(stub)
        if pending and match is not None and _OWN_COUNTRY.match(stub):
            # A row with its own country and case never takes the unfinished line before it.
            unread.append(f"review list: unfinished line {pending!r}")
            pending = ""
        joined = f"{pending} {stub}".strip() if pending else stub
        if match is None and (":" in stub and stub.split(":", 1)[0].isupper()):
            pending = joined  # a product name that wraps onto the next line
            continue
        if match is None and pending:
            pending = joined
            continue
        if match is None:
            if cases:
                cases[-1].companies.append(stub)
            else:
                unread.append(f"review list: line not understood: {stub!r}")
            continue
        match = _CASE_AT_END.match(joined)
        assert match is not None
        head, case = match.group("head"), match.group("case")
        pending = ""
        if ":" not in head and country_line:
            country, product = country_line, clean_text(head)
        elif ":" not in head:
            unread.append(f"review list: no country for {case!r}")
            country, product = "", clean_text(head)
        else:
            country_part, product = head.split(":", 1)
            country = country_name(country_part)
        number = re.sub(rf"\s*{DASH}\s*", "-", case)
        period = _period(rest) or _period(stub)
        if period is None:
            unread.append(f"review list: no period read for {number}")
        cases.append(ListedCase(number, country, clean_text(product).rstrip(","), period, section))
    if pending:
        unread.append(f"review list: unfinished line {pending!r}")
    return cases, unread


def table_lines(table: Table) -> list[tuple[str, str]]:
    return [(row[0].text if row else "", " ".join(c.text for c in row[1:])) for row in table.rows]


def paragraph_lines(paragraphs: list[str]) -> list[tuple[str, str]]:
    """The older plain forms, one row a paragraph.

    'Italy: Pressure Sensitive Tape, A-475-059 .... 10/1/01-9/30/02' (dot leader, period after);
    'Ukraine: Certain Cut-to-Length Carbon Steel, A-823-808 ......' (dot leader, no period);
    'Latvia:' then 'Steel Concrete Reinforcing Bars, A-449-804 9/1/02-8/31/03' (no leader).
    Section headings and country lines are kept only when a row follows them.
    """
    lines: list[tuple[str, str]] = []
    held: list[tuple[str, str]] = []  # section headings / country lines waiting for a row
    seen_country = False
    for text in paragraphs:
        text = text.strip()
        parts = _DOT_LEADER.split(text, maxsplit=1)
        if len(parts) == 2 and (
            _PERIOD.search(parts[1]) or (not parts[1].strip() and _ends_in_case(parts[0]))
        ):
            row: tuple[str, str] | None = (parts[0], parts[1])
        else:
            # cheap tests first: a plain row is short and holds a slash date
            plain = _ROW_THEN_PERIOD.match(text) if len(text) < 240 and "/" in text else None
            # without a leader, a row must name its country or stand under a country line
            under_country = seen_country or (plain is not None and _OWN_COUNTRY.match(text) is not None)
            row = (plain.group("row"), plain.group("rest")) if plain and under_country else None
        if row is not None:
            lines.extend(held)
            lines.append(row)
            held = []
        elif len(text) < 64 and (_COUNTRY_LINE.match(text) or _SECTION.search(text)):
            seen_country = seen_country or _COUNTRY_LINE.match(text) is not None
            held = [h for h in held if not _COUNTRY_LINE.match(h[0])] if _COUNTRY_LINE.match(text) else []
            held.append((text, ""))
    return lines


def _ends_in_case(text: str) -> bool:
    match = _CASE_AT_END.match(text)
    return match is not None and not match.group("tail").strip()


def to_opportunities(
    cases: list[ListedCase], *, anniversary: tuple[int, int] | None
) -> list[ReviewOpportunity]:
    """One ReviewOpportunity per listed case.

    A review is requested during the anniversary month; the request is due on its last day, moved
    to the next business day (watchers.review_request).
    """
    out = []
    for case in cases:
        year_month = anniversary
        if year_month is None and case.period is not None:
            end = case.period[1]
            year_month = (end.year + 1, 1) if end.month == 12 else (end.year, end.month + 1)
        due = review_request_due(*year_month) if year_month else None
        out.append(
            ReviewOpportunity(
                case_number=case.case_number,
                country=case.country,
                product=case.product,
                period_start=case.period[0] if case.period else None,
                period_end=case.period[1] if case.period else None,
                anniversary_month=year_month[1] if year_month else None,
                request_due=due,
            )
        )
    return out


def to_initiations(cases: list[ListedCase]) -> list[ReviewInitiation]:
    return [
        ReviewInitiation(
            case_number=case.case_number,
            country=case.country,
            product=case.product,
            period_start=case.period[0] if case.period else None,
            period_end=case.period[1] if case.period else None,
            companies=tuple(dict.fromkeys(c.rstrip(",;") for c in case.companies)),
        )
        for case in cases
    ]
