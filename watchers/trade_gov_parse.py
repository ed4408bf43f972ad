"""Text-level readers for trade.gov case announcements: sentences, dates, rate cells and OCR rate rows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from watchers.records import CaseType, NoticeKind

_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ]
    )
}
DATE_RE = re.compile(r"\b(" + "|".join(_MONTHS) + r")\s+(\d{1,2}),\s*(\d{4})\b", re.IGNORECASE)


def parse_date(text: str) -> date | None:
    """The first "Month D, YYYY" date in text."""
    m = DATE_RE.search(text)
    if not m:
        return None
    try:
        return date(int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2)))
    except ValueError:
        return None


def clean_text(text: str) -> str:
    """One-space text with the OCR's split apostrophes ("People' s") and curly quotes mended."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ")
    text = re.sub(r"(\w)' s\b", r"\1's", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Determination:
    kind: NoticeKind
    case_type: CaseType
    outcome: str | None  # "affirmative" / "negative" when the sentence says so
    product: str | None
    country: str | None


_ANNOUNCED = re.compile(
    r"announced (?:its|the) (?P<stage>preliminary|final) (?:(?P<outcome>affirmative|negative) )?"
    r"(?P<what>determinations?|results) in the (?P<type>antidumping|countervailing) duty"
    r"(?: \((?:AD|CVD)\))? (?P<proc>investigations?|administrative reviews?|new shipper reviews?"
    r"|changed circumstances reviews?|sunset reviews?) (?:of|on) (?P<product>.+?) from (?:the )?"
    r"(?P<country>.+?)(?: \(| and |\.|,)",
    re.IGNORECASE,
)
_KIND_BY_PROCEEDING = {
    ("investigation", "preliminary"): NoticeKind.PRELIMINARY_DETERMINATION,
    ("investigation", "final"): NoticeKind.FINAL_DETERMINATION,
    ("administrative review", "preliminary"): NoticeKind.REVIEW_PRELIMINARY_RESULTS,
    ("administrative review", "final"): NoticeKind.REVIEW_FINAL_RESULTS,
    ("new shipper review", "preliminary"): NoticeKind.NEW_SHIPPER_REVIEW,
    ("new shipper review", "final"): NoticeKind.NEW_SHIPPER_REVIEW,
    ("changed circumstances review", "preliminary"): NoticeKind.CHANGED_CIRCUMSTANCES_REVIEW,
    ("changed circumstances review", "final"): NoticeKind.CHANGED_CIRCUMSTANCES_REVIEW,
    ("sunset review", "preliminary"): NoticeKind.SUNSET_RESULTS,
    ("sunset review", "final"): NoticeKind.SUNSET_RESULTS,
}


def read_determination(text: str) -> tuple[Determination | None, date | None]:
    """The determination the announcement's lead sentence states, and the date it was announced."""
    m = _ANNOUNCED.search(text)
    if not m:
        return None, None
    proceeding = m.group("proc").lower().rstrip("s")
    kind = _KIND_BY_PROCEEDING[(proceeding, m.group("stage").lower())]
    outcome = m.group("outcome").lower() if m.group("outcome") else None
    case_type = CaseType.AD if m.group("type").lower() == "antidumping" else CaseType.CVD
    # The lead sentence reads "On July 17, 2025, the U.S. Department of Commerce ... announced".
    lead = text[max(0, m.start() - 160) : m.start()]
    dates = list(DATE_RE.finditer(lead))
    announced = parse_date(dates[-1].group(0)) if dates else None
    product = m.group("product").strip() or None
    country = m.group("country").strip().rstrip(".") or None
    return Determination(kind, case_type, outcome, product, country), announced


@dataclass(frozen=True)
class NextStep:
    """A date the announcement gives for a later step, with the sentence it came from."""

    event: str  # final_determination, final_results, itc_final, ... or "other"
    due: date
    sentence: str


def read_next_steps(text: str) -> list[NextStep]:
    """Dated next steps, from the "Next Steps" section when there is one, else the whole text."""
    start = text.lower().find("next steps")
    section = text[start:] if start >= 0 else text
    end = re.search(r"other case information", section, re.IGNORECASE)
    section = section[: end.start()] if end else section
    steps: list[NextStep] = []
    for sentence in re.split(r"(?<=[.!?])\s+|\s+[•¢e]\s+(?=[A-Z])", section):
        m = DATE_RE.search(sentence)
        due = parse_date(sentence) if m else None
        if due is None:
            continue
        lowered = sentence.lower()
        if "final determination" in lowered:
            event = "final_determination"
        elif "final results" in lowered:
            event = "final_results"
        elif "preliminary determination" in lowered:
            event = "preliminary_determination"
        else:
            event = "other"
        steps.append(NextStep(event=event, due=due, sentence=sentence.strip(" •¢")))
    return steps


# --- rate cells ------------------------------------------------------------------------------

_WELL_FORMED = re.compile(r"^\d{1,3}(?:\.\d{1,2})$|^\d{1,3}$")
_EDGE_JUNK = "([{|/\\'\"`‘’)]}*:;,"  # marks OCR leaves around a cell, never part of a number


@dataclass(frozen=True)
class Cell:
    value: Decimal | None
    repair: str | None = None  # the rule applied, when the cell was mended


def read_cell(token: str) -> Cell:
    """A rate cell as printed; an intact number inside OCR edge marks is read (rule "edge marks")."""
    stripped = token.strip()
    core = stripped.strip(_EDGE_JUNK).rstrip("*")
    if re.fullmatch(r"\d{1,3}\.\d{2}", core):
        if core != stripped.rstrip("*"):
            return Cell(Decimal(core), f"edge marks: {token!r} read as {core}")
        return Cell(Decimal(core))
    return Cell(None)


def read_rate_pair(first: str | None, second: str | None) -> tuple[Cell, Cell]:
    """Margin and cash-deposit cells of one row, with the point-lost repair rule.

    Rule "point lost": OCR drops decimal points ("9350"). A digits-only cell is read as its
    neighbour's value when the neighbour is well formed and has the same digits (9350 beside
    93.50 is 93.50). Two digits-only cells confirm nothing and stay unread.
    """
    a = read_cell(first) if first is not None else Cell(None)
    b = read_cell(second) if second is not None else Cell(None)
    if a.value is None and b.value is not None and first is not None:
        a = _point_lost(first, b.value)
    if b.value is None and a.value is not None and second is not None:
        b = _point_lost(second, a.value)
    return a, b


def _point_lost(token: str, neighbour: Decimal) -> Cell:
    digits = token.strip().strip(_EDGE_JUNK)
    if digits.isdigit() and digits == str(neighbour).replace(".", ""):
        return Cell(neighbour, f"point lost: {token!r} read as {neighbour} beside {neighbour}")
    return Cell(None)


def looks_like_rate(token: str) -> bool:
    """Whether an OCR token is meant as a rate cell: digits, points and edge marks only."""
    core = token.strip(_EDGE_JUNK)
    return bool(re.fullmatch(r"\d[\d.]{2,6}", core))


@dataclass(frozen=True)
class OcrRow:
    line: str
    margin_token: str | None
    deposit_token: str


_TABLE_HEADER = re.compile(
    r"exporter|producer|weighted|\(percent\)|cash deposit|adjusted for|offset|dumping rate"
    r"|subsidy rate|^https?://",
    re.IGNORECASE,
)


def read_ocr_rate_lines(lines: list[str]) -> tuple[list[OcrRow], list[str]]:
    """Rate rows of an OCR'd rate table: the lines that end in a rate cell.

    The table runs from its first "Exporter" header to the country-wide row or the import
    statistics. Returns the rows and the lines holding a country-wide or all-others rate.
    """
    rows: list[OcrRow] = []
    residual: list[str] = []
    inside = False
    for raw in lines:
        line = raw.strip()
        if not inside:
            inside = bool(re.search(r"\bexporter\b", line, re.IGNORECASE))
            continue
        if re.search(r"import statistics|next steps", line, re.IGNORECASE):
            break
        if re.search(r"-wide entity|all[- ]others", line, re.IGNORECASE):
            residual.append(line)
            continue
        if not line or _TABLE_HEADER.search(line):
            continue
        tokens = line.split()
        if len(tokens) < 2 or not looks_like_rate(tokens[-1]):
            continue
        margin = tokens[-2] if looks_like_rate(tokens[-2]) else None
        rows.append(OcrRow(line=line, margin_token=margin, deposit_token=tokens[-1]))
    return rows, residual
