"""Rate tables flattened into paragraphs by older printed text: a header line, then 'Name 0.44 percent'."""

from __future__ import annotations

import re

from watchers.rate_tables import Cell, Table

# 'Producer/exporter Total net subsidy rate', 'Exporter/producer Weighted-average dumping
# margin (percent)', 'Company Ad valorem rate': the name column's header, then the rate's.
_HEADER = re.compile(
    r"^(?P<who>(?:(?:producers?|exporters?|manufacturers?|compan(?:y|ies)|respondents?)"
    r"(?:\s*(?:/|and|or)\s*)?){1,3})\s+(?P<rate>[A-Za-z][\w ,/()%-]{0,80}?\b(?:rates?|margins?)\b"
    r"[\w ,/()%-]{0,30})$",
    re.IGNORECASE,
)
# 'Toscelik Profil ve Sac Endustrisi A.S. 0.44 percent, de minimis.', 'Acme Co., Ltd. 12.5%'
_ROW = re.compile(
    r"^(?P<name>[A-Z0-9][^\n]{1,150}?)\s+(?P<rate>\d{1,3}(?:\.\d+)?)\s*(?:percent|%)?"
    r"(?P<note>\s*[,;]?\s*\(?de minimis\)?)?\s*\.?$"
)


def flat_rate_table(header: str, rows: list[str]) -> Table | None:
    """The table a header paragraph and the row paragraphs after it spell; None if none."""
    head = _HEADER.match(header) if len(header) < 120 else None
    if head is None:
        return None
    cells: list[list[Cell]] = []
    for text in rows:
        row = _ROW.match(text)
        if row is None or len(row.group("name").split()) > 20:
            break
        note = " (de minimis)" if row.group("note") else ""
        cells.append([Cell(row.group("name").strip()), Cell(row.group("rate") + note)])
    if not cells:
        return None
    return Table(headers=[head.group("who").strip(), head.group("rate").strip()], rows=cells)
