"""Company rate tables (GPOTABLE) and rates stated in prose, read into RateRow records."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import Enum

from lxml import etree

from watchers.case_numbers import case_type_of
from watchers.notice_text import clean_text, element_text
from watchers.records import CaseType, RateBasis, RateRow


class Role(Enum):
    COMPANY = "company"
    EXPORTER = "exporter"
    PRODUCER = "producer"
    RATE = "rate"
    CASH = "cash"
    PER_UNIT = "per_unit"  # a rate in money per quantity ($/kg): not a percent, never read as one
    OTHER = "other"


@dataclass(frozen=True)
class Cell:
    text: str
    marks: tuple[str, ...] = ()
    indent: str = ""


@dataclass
class Table:
    """A GPOTABLE flattened: one header per leaf column (spanning headers prefixed)."""

    headers: list[str]
    rows: list[list[Cell]]
    title: str = ""
    stub_rows: list[bool] = field(default_factory=list)  # EXPSTB rows: group headings


_NUMBER = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?|-?\.\d+")
_ASTERISKS = re.compile(r"\*+")
_ALL_OTHERS = re.compile(r"\ball[- ]others?\b", re.IGNORECASE)
_COUNTRY_WIDE = re.compile(r"-wide\b|\bwide entity\b", re.IGNORECASE)
_CONTINUATION_START = re.compile(
    r"^(?:[a-z(]|Ltd\b|Co\b|Co\.|Inc\b|LLC\b|Limited\b|Corp|Company\b|S\.A|GmbH\b|Pvt\b)"
)
_AD_WORDS = re.compile(r"dumping|margin|less[- ]than[- ]fair", re.IGNORECASE)
_CVD_WORDS = re.compile(r"subsid|countervail|ad valorem", re.IGNORECASE)
_WHO = (
    r"\b(?:[A-Z][A-Za-z.']*\s)?[A-Z][A-Za-z.']*-[Ww]ide(?:\s+[Ee]ntity)?"
    r"|\b[Aa]ll[- ][Oo]thers?(?:\s+(?:producers?|exporters?|companies)(?:\s+and\s+exporters?)?)?"
)
_PROSE_RATES = (
    # 'the PRC-wide rate of 453.79 percent', 'the all-others rate (11.19 percent)'
    re.compile(
        rf"(?P<who>{_WHO})(?:'s)?(?:\s+(?:rate|margin))?[^.;]{{0,60}}?\b(?:rate|margin)"
        r"\s*(?:(?:of|is|was|will be|at)\s+|\(\s*)(?P<rate>\d+(?:\.\d+)?)\s+percent"
    ),
    # 'the rate for the China-wide entity is 25.00 percent', 'the margin for all other
    # producers and exporters will be 10.50 percent', 'the Vietnam-wide entity remains at ...'
    re.compile(
        rf"(?P<who>{_WHO})(?:'s)?\s+(?:is|was|will be|remains|continues to be|receives?)"
        r"(?:\s+(?:at|of|a rate of|the rate of))?\s+(?P<rate>\d+(?:\.\d+)?)\s+percent"
    ),
)


def read_gpotable(el: etree._Element) -> Table:
    """Flatten a GPOTABLE: spanning CHED headers (H=1 over H=2 ...) prefix their leaves."""
    cheds = [(int(c.get("H", "1") or "1"), element_text(c)) for c in el.iterfind("BOXHD/CHED")]
    headers: list[str] = []
    stack: list[tuple[int, str]] = []
    for i, (level, text) in enumerate(cheds):
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, text))
        is_leaf = i + 1 == len(cheds) or cheds[i + 1][0] <= level
        if is_leaf:
            headers.append(" ".join(t for _, t in stack if t).strip())
    rows: list[list[Cell]] = []
    stub_rows: list[bool] = []
    for row in el.iterfind("ROW"):
        cells = []
        for ent in row.iterfind("ENT"):
            marks: list[str] = []
            text = element_text(ent, footnote_marks=marks)
            cells.append(Cell(text=text, marks=tuple(marks), indent=ent.get("I", "")))
        rows.append(cells)
        stub_rows.append(row.get("EXPSTB") is not None)
    title_el = el.find("TTITLE")
    title = element_text(title_el) if title_el is not None else ""
    return Table(headers=headers, rows=rows, title=title, stub_rows=stub_rows)


# A rate column stated in money per quantity, as AD orders on non-market-economy goods often are
# ('dollars per kilogram', 'USD/kg', '$/MT'): read as a percent it would be wrong, so it is not read.
_PER_UNIT = re.compile(
    r"\bper\s+(?:kilogram|kg|unit|piece|pound|lb|metric\s+ton|mt|short\s+ton|ton|tonne|liter|litre|dozen"
    r"|pair|square\s+met(?:er|re))\b|\b(?:dollars?|usd|us\$)|\$|/\s*(?:kg|kilogram|mt|ton|unit|piece|lb)\b"
)


def is_per_unit(header: str) -> bool:
    """A rate or deposit header stated in money per quantity, not percent."""
    h = header.lower()
    return bool(_PER_UNIT.search(h)) and any(
        w in h for w in ("margin", "rate", "deposit", "assessment", "duty")
    )


def column_role(header: str) -> Role:
    h = header.lower()
    if is_per_unit(h):
        return Role.PER_UNIT
    if "cash deposit" in h or "cash-deposit" in h:
        return Role.CASH
    if ("exporter" in h and "producer" in h) or any(
        w in h for w in ("company", "companies", "respondent", "firm", "manufacturer/exporter")
    ):
        return Role.COMPANY
    if "exporter" in h:
        return Role.EXPORTER
    if "producer" in h or "manufacturer" in h:
        return Role.PRODUCER
    if any(w in h for w in ("margin", "rate", "percent", "ad valorem", "subsidy")):
        return Role.RATE
    return Role.OTHER


def table_case_type(table: Table, context: str, cases: tuple[str, ...]) -> CaseType | None:
    """AD or CVD from the header words, else from the text before the table, else the cases."""
    for text in (" ".join(table.headers) + " " + table.title, context):
        ad, cvd = bool(_AD_WORDS.search(text)), bool(_CVD_WORDS.search(text))
        if ad != cvd:
            return CaseType.AD if ad else CaseType.CVD
    types = {case_type_of(c) for c in cases}
    return types.pop() if len(types) == 1 else None


def parse_rate_value(cell: Cell) -> tuple[Decimal | None, list[str]]:
    """'274.37' -> 274.37; '* 0.00' -> 0.00 with mark '*'; '(de minimis)' -> None, 'de minimis'."""
    notes = list(cell.marks)
    text = cell.text
    stars = _ASTERISKS.findall(text)
    notes.extend(stars)
    if "de minimis" in text.lower():
        notes.append("de minimis")
    match = _NUMBER.search(_ASTERISKS.sub(" ", text))
    if match is None:
        return None, notes
    try:
        return Decimal(match.group(0).replace(",", "")), notes
    except InvalidOperation:
        return None, notes


def _name_and_marks(cell: Cell) -> tuple[str, list[str]]:
    marks = list(cell.marks)
    name = cell.text
    stars = _ASTERISKS.findall(name)
    if stars:
        marks.extend(stars)
        name = clean_text(_ASTERISKS.sub(" ", name))
    return name, marks


def _basis(name: str, exporter: str | None, producer: str | None) -> RateBasis:
    if _ALL_OTHERS.search(name):
        return RateBasis.ALL_OTHERS
    if _COUNTRY_WIDE.search(name):
        return RateBasis.COUNTRY_WIDE
    if exporter and producer:
        return RateBasis.COMBINATION
    return RateBasis.COMPANY


@dataclass
class _Pending:
    names: list[str]
    marks: list[str]
    texts: list[str]


def parse_rate_table(
    table: Table, *, number: int, context: str, cases: tuple[str, ...]
) -> tuple[list[RateRow], list[str]] | None:
    """RateRows of one table and what could not be read; None when it is no rate table."""
    roles = [column_role(h) for h in table.headers]
    unread = [
        f"rate table {number}: column '{header}' is per unit, not percent: not read"
        for header, role in zip(table.headers, roles, strict=True)
        if role is Role.PER_UNIT
    ]
    if Role.RATE not in roles and Role.CASH not in roles:
        if unread:
            return [], unread
        if Role.COMPANY in roles or Role.EXPORTER in roles:
            headers = "; ".join(table.headers)
            return [], [f"rate table {number}: column headers not understood ({headers})"]
        return None
    if not any(r in roles for r in (Role.COMPANY, Role.EXPORTER, Role.PRODUCER)):
        if roles[0] is Role.OTHER:
            roles[0] = Role.COMPANY  # a blank stub header over company names
        else:
            headers = "; ".join(table.headers)
            return [], [f"rate table {number}: no company column ({headers})"]
    rate_col = roles.index(Role.RATE) if Role.RATE in roles else roles.index(Role.CASH)
    cash_col = roles.index(Role.CASH) if Role.CASH in roles and rate_col != roles.index(Role.CASH) else None
    for i, role in enumerate(roles):
        if role is Role.RATE and i != rate_col:
            unread.append(f"rate table {number}: column '{table.headers[i]}' not read")
    case_type = table_case_type(table, context, cases)
    typed = [c for c in cases if case_type is not None and case_type_of(c) == case_type]
    case_number = typed[0] if len(typed) == 1 else None
    if case_type is None:
        unread.append(f"rate table {number}: AD or CVD not decided")
    elif case_number is None and cases:
        unread.append(f"rate table {number}: case number not decided among {', '.join(cases)}")

    name_cols = {role: roles.index(role) for role in (Role.COMPANY, Role.EXPORTER, Role.PRODUCER)
                 if role in roles}  # fmt: skip
    out: list[RateRow] = []
    pending: _Pending | None = None

    def cell(row: list[Cell], col: int | None) -> Cell:
        return row[col] if col is not None and col < len(row) else Cell("")

    for row_no, row in enumerate(table.rows, start=1):
        if not any(c.text for c in row):
            continue
        rate_cell, cash_cell = cell(row, rate_col), cell(row, cash_col)
        exporter_cell = cell(row, name_cols.get(Role.EXPORTER, name_cols.get(Role.COMPANY)))
        producer_cell = cell(row, name_cols.get(Role.PRODUCER))
        exporter, exporter_marks = _name_and_marks(exporter_cell)
        producer, producer_marks = _name_and_marks(producer_cell)
        rate, rate_notes = parse_rate_value(rate_cell)
        cash, cash_notes = parse_rate_value(cash_cell) if cash_col is not None else (None, [])
        has_value = bool(rate_cell.text or cash_cell.text)
        row_text = " | ".join(c.text for c in row if c.text)
        if not has_value:
            # A name without a value: the first line of a split row, the turnover line of the
            # row above, or a group heading.
            if (
                out
                and (exporter_cell.indent[:2] in ("03", "05") or _CONTINUATION_START.match(exporter))
                and pending is None
            ):
                out[-1] = _extend_row(out[-1], exporter, exporter_marks, row_text)
            elif table.stub_rows[row_no - 1] or exporter.endswith(":"):
                pending = None
            else:
                if pending is None:
                    pending = _Pending([], [], [])
                pending.names.append(exporter)
                pending.marks.extend(exporter_marks)
                pending.texts.append(row_text)
            continue
        marks = exporter_marks + producer_marks
        if pending is not None:
            exporter = clean_text(" ".join([*pending.names, exporter]))
            marks = pending.marks + marks
            row_text = " ".join([*pending.texts, row_text])
            pending = None
        if not exporter and not producer:
            unread.append(f"rate table {number} row {row_no}: value without a company name")
            continue
        if rate is None and cash is None and "de minimis" not in rate_notes:
            unread.append(f"rate table {number} row {row_no}: rate not read ({rate_cell.text!r})")
        basis = _basis(exporter or producer, exporter, producer)
        if basis in (RateBasis.ALL_OTHERS, RateBasis.COUNTRY_WIDE):
            exporter_name, producer_name = None, None
        else:
            exporter_name, producer_name = exporter or None, producer or None
        if roles[rate_col] is Role.CASH:
            rate, cash = cash, None
        elif cash is not None and cash == rate:
            cash = None
        notes = _dedupe(marks + rate_notes + cash_notes)
        out.append(
            RateRow(
                case_type=case_type,
                case_number=case_number,
                exporter=exporter_name,
                producer=producer_name,
                rate=rate,
                cash_deposit=cash,
                basis=basis,
                footnotes=notes,
                source_text=row_text,
            )
        )
    if pending is not None:
        unread.append(f"rate table {number}: no rate read for {' '.join(pending.names)!r}")
    return out, unread


def _extend_row(row: RateRow, more: str, marks: list[str], text: str) -> RateRow:
    from dataclasses import replace

    exporter = clean_text(f"{row.exporter} {more}") if row.exporter else row.exporter
    return replace(
        row,
        exporter=exporter,
        footnotes=_dedupe([*row.footnotes, *marks]),
        source_text=f"{row.source_text} {text}",
    )


def _dedupe(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))


def extract_prose_rates(
    sentences: list[str], *, cases: tuple[str, ...], existing: list[RateRow]
) -> list[RateRow]:
    """Country-wide and all-others rates stated in a sentence ('the PRC-wide rate of 453.79
    percent'), unless a table already gave the same rate for the same basis."""
    out: list[RateRow] = []
    known = {(r.basis, r.rate) for r in existing}
    for sentence in sentences:
        if "percent" not in sentence:
            continue
        matches = [m for pattern in _PROSE_RATES for m in pattern.finditer(sentence)]
        for match in sorted(matches, key=lambda m: m.start()):
            who = match.group("who")
            basis = RateBasis.ALL_OTHERS if _ALL_OTHERS.search(who) else RateBasis.COUNTRY_WIDE
            rate = Decimal(match.group("rate"))
            if (basis, rate) in known:
                continue
            known.add((basis, rate))
            out.append(prose_rate_row(sentence, cases, rate=rate, basis=basis))
    return out


def prose_rate_row(
    sentence: str, cases: tuple[str, ...], *, rate: Decimal, basis: RateBasis, exporter: str | None = None
) -> RateRow:
    """A rate read from a sentence, on the case of the type the sentence names (when one fits)."""
    case_type = table_case_type(Table([], []), sentence, cases)
    typed = [c for c in cases if case_type is not None and case_type_of(c) == case_type]
    return RateRow(
        case_type=case_type,
        case_number=typed[0] if len(typed) == 1 else None,
        exporter=exporter,
        producer=None,
        rate=rate,
        cash_deposit=None,
        basis=basis,
        source_text=sentence,
    )
