"""trade.gov AD/CVD case announcements: the pure parser of one fact sheet, and the two fetches (the
listing is read by trade_gov_listing.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

import lxml.html

from watchers.case_numbers import extract_case_numbers
from watchers.http import Fetcher, FetchResult, SourceError, Validators
from watchers.rate_tables import is_per_unit
from watchers.records import CaseType, NoticeKind, RateBasis, RateRow
from watchers.trade_gov_listing import AnnouncementLink, build_listing_url, html_elements, html_strings
from watchers.trade_gov_parse import (
    NextStep,
    clean_text,
    read_determination,
    read_next_steps,
    read_ocr_rate_lines,
    read_rate_pair,
)


@dataclass
class Announcement:
    """One case announcement fact sheet; `unread` says what could not be read, `repairs` what was mended."""

    url: str
    title: str = ""
    kind: NoticeKind | None = None
    case_type: CaseType | None = None
    outcome: str | None = None  # "affirmative" / "negative"
    announced: date | None = None
    product: str | None = None
    country: str | None = None
    case_numbers: tuple[str, ...] = ()
    rates: list[RateRow] = field(default_factory=list)
    country_wide_rate: Decimal | None = None
    all_others_rate: Decimal | None = None
    next_steps: list[NextStep] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)


# --- one announcement ------------------------------------------------------------------------


def parse_announcement(body: bytes, *, url: str, text: bool = False) -> Announcement:
    """The facts of one announcement: an HTML fact sheet, or (text=True) its text as the seed holds it."""
    if text:
        return _parse_text(body.decode("utf-8", errors="replace"), url=url)
    return _parse_html(body, url=url)


def announcement_key(a: Announcement) -> tuple[str, str]:
    """(case number, kind) to link an announcement to its Federal Register notice."""
    prefix = {CaseType.AD: "A-", CaseType.CVD: "C-"}.get(a.case_type) if a.case_type else None
    numbers = [n for n in a.case_numbers if prefix is None or n.startswith(prefix)]
    return (numbers[0] if numbers else "", a.kind.value if a.kind else "")


def _read_common(a: Announcement, text: str) -> None:
    """Fill what the running text says: determination, date, product, country, cases, next steps."""
    determination, announced = read_determination(text)
    if determination is None:
        a.unread.append("determination: no 'announced its ... determination' sentence found")
    else:
        a.kind, a.case_type, a.outcome = (determination.kind, determination.case_type, determination.outcome)
        a.product, a.country = determination.product, determination.country
    a.announced = a.announced or announced
    if a.announced is None:
        a.unread.append("announcement date: not stated")
    a.case_numbers = tuple(extract_case_numbers(text))
    if not a.case_numbers:
        a.unread.append("case number: none stated")
    a.next_steps = read_next_steps(text)


def _parse_text(raw: str, *, url: str) -> Announcement:
    a = Announcement(url=url)
    text = clean_text(raw)
    _read_common(a, text)
    a.title = _text_title(raw)
    rows, residual = read_ocr_rate_lines(raw.splitlines())
    case_number = _own_case_number(a)
    unnamed = 0
    for row in rows:
        margin, deposit = read_rate_pair(row.margin_token, row.deposit_token)
        for cell in (margin, deposit):
            if cell.repair:
                a.repairs.append(f"{cell.repair} (line {row.line!r})")
        if margin.value is None or deposit.value is None:
            a.unread.append(f"rate cells unreadable in OCR line {row.line!r}")
        unnamed += 1
        a.rates.append(
            RateRow(
                case_type=a.case_type,
                case_number=case_number,
                exporter=None,
                producer=None,
                rate=margin.value,
                cash_deposit=deposit.value,
                basis=RateBasis.COMBINATION,
                source_text=row.line,
            )
        )
    if unnamed:
        a.unread.append(
            f"exporter and producer names of {unnamed} rate rows: the OCR merged the two columns; "
            "each row keeps its OCR line in source_text"
        )
    for line in residual:
        _read_residual_line(a, line, case_number=case_number, footnote_text=text)
    if not rows and not residual:
        a.unread.append("rate table: not found")
    return a


def _text_title(raw: str) -> str:
    """The heading block that names the determination, as printed (OCR word splits kept)."""
    lines = raw.splitlines()
    for i, line in enumerate(lines):
        if re.match(r"\s*(?:preliminary|final)\b.*\bdeter\s?mination", line, re.IGNORECASE):
            block: list[str] = []
            for j, following in enumerate(lines[i : i + 6], start=i):
                if not following.strip():
                    # The PDF wraps a heading's last word or two past a blank line ("China").
                    after = lines[j + 1].split() if j + 1 < len(lines) else []
                    if block and 0 < len(after) <= 3 and after[0][:1].isupper():
                        block.append(" ".join(after))
                    break
                block.append(following)
            return clean_text(" ".join(block))
    return ""


def _read_residual_line(a: Announcement, line: str, *, case_number: str | None, footnote_text: str) -> None:
    """A country-wide or all-others row, e.g. "| China-Wide Entity* 102.72 102.72"."""
    tokens = line.split()
    margin, deposit = read_rate_pair(tokens[-2] if len(tokens) > 1 else None, tokens[-1])
    name = re.sub(r"[\s|]*[\d.]+\s+[\d.]+\s*$", "", line).strip(" |")
    wide = "wide" in name.lower()
    footnotes = _footnotes(name, footnote_text)
    a.rates.append(
        RateRow(
            case_type=a.case_type,
            case_number=case_number,
            exporter=name.rstrip("*").strip(),
            producer=None,
            rate=margin.value,
            cash_deposit=deposit.value,
            basis=RateBasis.COUNTRY_WIDE if wide else RateBasis.ALL_OTHERS,
            footnotes=footnotes,
            source_text=line,
        )
    )
    if margin.value is None:
        a.unread.append(f"residual rate unreadable in {line!r}")
    elif wide:
        a.country_wide_rate = margin.value
    else:
        a.all_others_rate = margin.value


def _footnotes(name: str, text: str) -> tuple[str, ...]:
    """The footnote an asterisk on the name points to ("* This rate is based on ...")."""
    if not name.rstrip().endswith("*"):
        return ()
    m = re.search(r"\*\s*(This\s*rate\s*is[^.]*\.)", text)
    if not m:
        return ()
    # The OCR glues words ("Thisrateis"); give the sentence back with its spaces.
    sentence = re.sub(r"^This\s*rate\s*is\s*", "This rate is ", m.group(1))
    return (sentence,)


def _own_case_number(a: Announcement) -> str | None:
    key = announcement_key(a)[0]
    return key or None


# --- HTML fact sheet -------------------------------------------------------------------------


def _parse_html(body: bytes, *, url: str) -> Announcement:
    doc = lxml.html.document_fromstring(body)
    root = next(iter(html_elements(doc, "//article | //main")), doc)
    a = Announcement(url=url)
    h1 = html_elements(root, ".//h1") or html_elements(doc, "//h1")
    a.title = clean_text(h1[0].text_content()) if h1 else ""
    stamps = html_strings(root, ".//time/@datetime")
    if stamps:
        m = re.match(r"(\d{4})-(\d{2})-(\d{2})", str(stamps[0]))
        a.announced = date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
    text = clean_text(
        " ".join(el.text_content() for el in html_elements(root, ".//h1 | .//h2 | .//h3 | .//p | .//li"))
    )
    _read_common(a, text)
    case_number = _own_case_number(a)
    tables = [(t, c) for t in html_elements(root, ".//table") if (c := _rate_columns(t)) is not None]
    if not tables:
        a.unread.append("rate table: no table with exporter/producer and rate columns")
    for table, columns in tables:
        _read_rate_table(a, table, columns, case_number=case_number, page_text=text)
    return a


def _cells(row: lxml.html.HtmlElement) -> list[str]:
    return [clean_text(c.text_content()) for c in html_elements(row, "./th | ./td")]


@dataclass(frozen=True)
class _Columns:
    exporter: int | None
    producer: int | None
    rate: int
    deposit: int | None
    header_rows: int


def _rate_columns(table: lxml.html.HtmlElement) -> _Columns | None:
    """Columns found by their header words, not positions; None when the table holds no rates."""
    rows = html_elements(table, ".//tr")
    for i, row in enumerate(rows[:3]):
        headers = [h.lower() for h in _cells(row)]

        def find(*words: str, skip: tuple[int | None, ...] = (), headers: list[str] = headers) -> int | None:
            for j, h in enumerate(headers):
                # A rate per unit ($/kg) is no percent: never taken for the rate or deposit column.
                if j not in skip and any(w in h for w in words) and not is_per_unit(h):
                    return j
            return None

        deposit = find("cash deposit")
        rate = find("margin", "dumping rate", "subsidy rate", "rate (percent)", skip=(deposit,))
        exporter = find("exporter")
        producer = find("producer", skip=(exporter,))
        if rate is not None and (exporter is not None or producer is not None):
            if exporter is not None and exporter == producer:
                producer = None  # one "Exporter/Producer" column names a company
            return _Columns(exporter, producer, rate, deposit, header_rows=i + 1)
    return None


def _read_rate_table(
    a: Announcement,
    table: lxml.html.HtmlElement,
    columns: _Columns,
    *,
    case_number: str | None,
    page_text: str,
) -> None:
    for row in html_elements(table, ".//tr")[columns.header_rows :]:
        cells = _cells(row)
        if not any(cells):
            continue

        def cell(index: int | None, cells: list[str] = cells) -> str | None:
            return cells[index] if index is not None and index < len(cells) else None

        exporter, producer = cell(columns.exporter), cell(columns.producer)
        name = exporter or producer or ""
        rate, rate_note = _decimal(cell(columns.rate))
        deposit, deposit_note = _decimal(cell(columns.deposit))
        for note in (rate_note, deposit_note):
            if note:
                a.unread.append(f"{note} in row {' | '.join(cells)!r}")
        lowered = name.lower()
        if "wide" in lowered or "all others" in lowered or "all-others" in lowered:
            basis = RateBasis.COUNTRY_WIDE if "wide" in lowered else RateBasis.ALL_OTHERS
            if basis is RateBasis.COUNTRY_WIDE:
                a.country_wide_rate = rate
            else:
                a.all_others_rate = rate
            exporter, producer = name.rstrip("*").strip(), None
        elif exporter and producer:
            basis = RateBasis.COMBINATION
        else:
            basis = RateBasis.COMPANY
        a.rates.append(
            RateRow(
                case_type=a.case_type,
                case_number=case_number,
                exporter=exporter,
                producer=producer,
                rate=rate,
                cash_deposit=deposit,
                basis=basis,
                footnotes=_footnotes(name, page_text),
                source_text=" | ".join(cells),
            )
        )


def _decimal(value: str | None) -> tuple[Decimal | None, str | None]:
    """A rate cell as Decimal; a cell that is not a plain number is reported, never guessed."""
    if value is None or not value.strip():
        return None, None
    core = value.strip().rstrip("*").replace("%", "").strip()
    try:
        return Decimal(core), None
    except InvalidOperation:
        return None, f"rate cell {value!r} is not a number"


# --- fetching (the only network code of this source) -----------------------------------------


async def fetch_listing(fetcher: Fetcher, *, base_url: str, validators: Validators | None) -> FetchResult:
    """The announcements listing page, conditionally: an idle poll is one cheap request."""
    result = await fetcher.get(build_listing_url(base_url), validators=validators, accept="text/html")
    if result.status not in (200, 304):
        raise SourceError(f"trade.gov listing answered HTTP {result.status}")
    return result


async def fetch_announcement(fetcher: Fetcher, link: AnnouncementLink) -> Announcement:
    result = await fetcher.get(link.url, accept="text/html")
    if result.status != 200 or not result.body:
        raise SourceError(f"trade.gov announcement {link.url}: HTTP {result.status}")
    return parse_announcement(result.body, url=link.url)
