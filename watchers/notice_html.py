"""The FR body HTML (federalregister.gov full_text/html) read as a fallback when no XML exists."""

from __future__ import annotations

import codecs
import re
from datetime import date
from typing import cast

from lxml import etree
from lxml import html as lxml_html

from watchers.dashes import DASH
from watchers.notice_text import clean_text
from watchers.notice_xml import facts_from_element
from watchers.records import Classification, NoticeFacts
from watchers.xml_safety import MalformedXmlError

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_PREAMBLE_LABEL = re.compile(r"^(AGENCY|ACTION|SUMMARY|DATES|ADDRESSES|FOR FURTHER INFORMATION "
                             r"CONTACT|SUPPLEMENTARY INFORMATION):", re.IGNORECASE)  # fmt: skip
_DEPDOC = re.compile(rf"^\[\s*[AC]\s*{DASH}\s*\d{{3}}.*\]$")
# Older printed text (GPO renderings) gives the docket line without brackets: 'A-580-836',
# 'A-570-848; C-570-849'. Only read as the docket while still in the heading, before AGENCY:.
_CASE_ID = rf"[AC]\s*{DASH}\s*\d{{3}}\s*{DASH}\s*\d{{3}}"
_BARE_DOCKET = re.compile(rf"^{_CASE_ID}(?:\s*(?:[,;]|and|&)\s*{_CASE_ID})*\.?$")
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


def body_charset(data: bytes, content_type: str = "") -> str:
    """The body's encoding: the HTTP charset, else a `<meta>` charset, else UTF-8 (what FR serves)."""
    header = _HEADER_CHARSET.search(content_type)
    meta = _META_CHARSET.search(data[:2048])
    for candidate in (header.group(1) if header else None, meta.group(1).decode("ascii") if meta else None):
        if candidate:
            try:
                return codecs.lookup(candidate).name
            except LookupError:
                continue
    return "utf-8"


def _html_parser(encoding: str) -> lxml_html.HTMLParser:
    return lxml_html.HTMLParser(encoding=encoding, no_network=True, remove_comments=True, remove_pis=True)


def html_to_notice_element(data: bytes, *, title: str = "", content_type: str = "") -> etree._Element:
    """Map the HTML body onto the FR XML element names the XML reader understands."""
    try:
        doc = lxml_html.document_fromstring(data, parser=_html_parser(body_charset(data, content_type)))
    except (etree.ParserError, ValueError) as exc:
        raise MalformedXmlError(f"unreadable HTML: {exc}") from exc
    notice = etree.Element("NOTICE")
    body = etree.SubElement(notice, "SUPLINF")
    if title:
        etree.SubElement(notice, "SUBJECT").text = title
    section: etree._Element = body
    in_heading = True  # before the preamble's first label (AGENCY:)
    for el in doc.iter("h1", "h2", "h3", "h4", "h5", "h6", "p", "table"):
        if _inside(el, "table") and el.tag != "table":
            continue
        text = _text(el)
        if el.tag in _HEADINGS:
            if el.tag == "h1" and not title:
                etree.SubElement(notice, "SUBJECT").text = text
                continue
            label = _PREAMBLE_LABEL.match(text)
            in_heading = in_heading and not label
            section = etree.SubElement(body, "DATES") if label and "DATES" in text.upper() else body
            etree.SubElement(section, "HD").text = text
        elif el.tag == "p":
            if _DEPDOC.match(text) or (in_heading and _BARE_DOCKET.match(text)):
                etree.SubElement(notice, "DEPDOC").text = text
                continue
            if text.startswith("[FR Doc"):
                etree.SubElement(notice, "FRDOC").text = text
                continue
            label = _PREAMBLE_LABEL.match(text)
            if label:
                in_heading = False
                section = etree.SubElement(body, "DATES") if label.group(1).upper() == "DATES" else body
                text = text[label.end() :].strip()
            _paragraph(section, el, text)
        else:
            body.append(_table(el))
            section = body
    return notice


def _text(el: etree._Element) -> str:
    return clean_text(cast(lxml_html.HtmlElement, el).text_content())


def _inside(el: etree._Element, tag: str) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent.tag == tag:
            return True
        parent = parent.getparent()
    return False


def _paragraph(section: etree._Element, el: etree._Element, text: str) -> None:
    p = etree.SubElement(section, "P")
    p.text = text
    for sup in el.iter("sup"):
        mark = _text(sup)
        if mark and p.text and p.text.endswith(mark):
            p.text = p.text[: -len(mark)]  # footnote reference at a sentence's end


def _table(table: etree._Element) -> etree._Element:
    gpo = etree.Element("GPOTABLE")
    box = etree.SubElement(gpo, "BOXHD")
    for th in table.iter("th"):
        etree.SubElement(box, "CHED", H="1").text = _text(th)
    for tr in table.iter("tr"):
        cells = tr.findall("td")
        if not cells:
            continue
        row = etree.SubElement(gpo, "ROW")
        for td in cells:
            ent = etree.SubElement(row, "ENT")
            marks = [_text(s) for s in td.iter("sup")]
            for sup in list(td.iter("sup")):
                cast(lxml_html.HtmlElement, sup).drop_tree()
            ent.text = _text(td)
            for mark in marks:
                etree.SubElement(ent, "SU").text = mark
    return gpo


def extract_notice_facts_from_html(
    html: bytes,
    *,
    document_number: str | None,
    publication_date: date | None,
    title: str = "",
    content_type: str = "",
    classification: Classification | None = None,
) -> NoticeFacts:
    """Facts of one notice from its FR body HTML, decoded with the response charset (UTF-8 when none)."""
    notice = html_to_notice_element(html, title=title, content_type=content_type)
    facts = facts_from_element(
        notice,
        document_number=document_number,
        publication_date=publication_date,
        classification=classification,
    )
    facts.unread.append("read from the HTML body, not the GPO XML")
    return facts
