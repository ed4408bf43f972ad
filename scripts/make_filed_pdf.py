"""Builds a CONSTRUCTED filed PDF from a real notice's XML text, laid out as a typed filing (fpdf2).

Run: .venv/bin/python scripts/make_filed_pdf.py tests/fixtures/fr_api/2024-02902.xml OUT.pdf
The filed copy on public-inspection.federalregister.gov is the agency's typed notice: heading lines,
the case numbers in brackets, the subject, then AGENCY/ACTION/SUMMARY/DATES and the text. This script
writes the XML's text in that order, one paragraph per element, in a core font (Latin-1 only).
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF
from lxml import etree

BLOCKS = ("AGENCY", "SUBAGY", "DEPDOC", "SUBJECT", "HD", "P", "FP", "FRDOC", "BILCOD")


def paragraphs(xml: bytes) -> list[str]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.fromstring(xml, parser)
    out = []
    for element in root.iter(*BLOCKS):
        text = " ".join("".join(element.itertext()).split())
        if text:
            out.append(text)
    return out


def latin1(text: str) -> str:
    swaps = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "--"}
    for old, new in swaps.items():
        text = text.replace(old, new)
    return text.encode("latin-1", "replace").decode("latin-1")


def build(xml_path: Path, out: Path) -> None:
    pdf = FPDF(format="letter")
    pdf.set_creation_date(datetime(2024, 2, 9, 13, 45, tzinfo=UTC))  # filed 8:45 a.m. Eastern
    pdf.add_page()
    pdf.set_font("Times", size=12)
    for text in paragraphs(xml_path.read_bytes()):
        pdf.multi_cell(0, 6, latin1(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.output(str(out))


if __name__ == "__main__":
    build(Path(sys.argv[1]), Path(sys.argv[2]))
