"""A notice's GPO FR XML walked in order into blocks (paragraphs, footnotes, tables) under their headings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from lxml import etree

from watchers.flat_rate_rows import flat_rate_table
from watchers.notice_text import LONG_DATE, element_text, parse_long_date
from watchers.rate_tables import Table, read_gpotable

# Containers whose children are read in order; anything else unknown is read as a paragraph.
_CONTAINERS = frozenset(
    {"PREAMB", "SUPLINF", "SUM", "DATES", "FURINF", "ADD", "AGY", "ACT", "EXTRACT", "AUTH",
     "REGTEXT", "SECTION", "APPENDIX", "LSTSUB", "NOTE", "EFFDATE", "PART", "SUBPART", "CONTENTS",
     "GPH", "FP-DASH", "PRIACT", "ADDRESS"}
)  # fmt: skip
_PARAGRAPHS = frozenset({"P", "FP", "NOTE", "AMDPAR", "STARS", "EDNOTE"})
_SKIP = frozenset({"AGENCY", "SUBAGY", "DEPDOC", "SUBJECT", "FRDOC", "BILCOD", "PRTPAGE",
                   "CFR", "RIN", "FTREF", "SU"})  # fmt: skip


@dataclass
class Block:
    kind: str  # "p", "footnote" or "table"
    heading: str
    section: str
    text: str
    table: Table | None = None


@dataclass
class NoticeParts:
    title: str = ""
    root_tag: str = ""  # NOTICE, RULE or PRORULE: the FR document type
    depdoc: str = ""
    frdoc: str = ""
    dated: date | None = None
    agencies: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)


def read_notice_parts(notice: etree._Element) -> NoticeParts:
    """The parts of one NOTICE, RULE or PRORULE element (or its HTML look-alike), walked in order."""
    tag = notice.tag if isinstance(notice.tag, str) else ""
    parts = NoticeParts(root_tag=tag)
    collect_parts(notice, parts, "", tag)
    return parts


def collect_parts(el: etree._Element, parts: NoticeParts, heading: str, section: str) -> str:
    """Walk the notice in order; returns the heading in force after el."""
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag == "HD":
            heading = element_text(child)
        elif tag in _CONTAINERS:
            inner = heading
            if tag in ("DATES", "SUM", "ADD", "AGY", "ACT"):
                inner = ""
            after = collect_parts(child, parts, inner, tag if tag != "EXTRACT" else section)
            # A heading inside a section of the preamble does not carry over past its end,
            # except in notices that print their whole body inside FURINF.
            heading = after if tag in ("FURINF", "SUPLINF", "EXTRACT", "PREAMB") else heading
        elif tag == "GPOTABLE":
            table = read_gpotable(child)
            text = " ".join(c.text for row in table.rows for c in row)
            parts.blocks.append(Block("table", heading, section, text, table))
        elif tag == "FTNT":
            for p in child.iter("P", "FP"):
                parts.blocks.append(Block("footnote", heading, section, element_text(p)))
        elif tag == "SIG":
            dated = child.find("DATED")
            if dated is not None:
                match = LONG_DATE.search(element_text(dated))
                parts.dated = parse_long_date(match) if match else None
        elif tag == "SUBJECT":
            parts.title = parts.title or element_text(child)
        elif tag == "DEPDOC":
            parts.depdoc += " " + element_text(child)
        elif tag == "FRDOC":
            parts.frdoc = element_text(child)
        elif tag in ("AGENCY", "SUBAGY"):
            parts.agencies.append(element_text(child))
        elif tag in _SKIP:
            continue
        elif tag in _PARAGRAPHS or len(child) == 0 or child.find("E") is not None:
            text = element_text(child)
            if text:
                parts.blocks.append(Block("p", heading, section, text))
        else:
            heading = collect_parts(child, parts, heading, section)
    return heading


def fold_flat_tables(blocks: list[Block]) -> list[Block]:
    """A header paragraph and the 'Name 0.44 percent' paragraphs after it become one table."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        lower = block.text.lower()
        header = block.kind == "p" and len(lower) < 120 and ("rate" in lower or "margin" in lower)
        rows: list[str] = []
        for after in blocks[i + 1 : i + 41] if header else ():
            if after.kind != "p":
                break  # rows are the paragraphs right after the header, nothing in between
            rows.append(after.text)
        table = flat_rate_table(block.text, rows) if header else None
        if table is None:
            out.append(block)
            i += 1
            continue
        text = " ".join(c.text for r in table.rows for c in r)
        out.append(Block("table", block.heading, block.section, text, table))
        i += 1 + len(table.rows)
    return out
