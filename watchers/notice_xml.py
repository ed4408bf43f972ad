"""Facts of one Federal Register notice from its GPO FR XML: cases, scope, rates, deadlines."""

from __future__ import annotations

import re
from datetime import date

from lxml import etree

from watchers.case_numbers import case_type_of, extract_case_numbers
from watchers.classify import classify_notice
from watchers.company_prose_rates import extract_company_prose_rates
from watchers.dashes import DASH, normalize_dashes
from watchers.deadline_text import Anchors, extract_deadlines, find_hearing_date
from watchers.hts_codes import extract_hts_codes
from watchers.notice_parts import Block, NoticeParts, fold_flat_tables, read_notice_parts
from watchers.notice_text import (
    LONG_DATE,
    LONG_DATE_TEXT,
    MONTH_YEAR,
    MONTHS,
    clean_text,
    element_text,
    parse_long_date,
    split_sentences,
)
from watchers.omnibus import (
    PERIOD_HEADER,
    paragraph_lines,
    read_case_list,
    table_lines,
    to_initiations,
    to_opportunities,
)
from watchers.order_dates import STATING_KINDS, extract_case_dates
from watchers.rate_tables import extract_prose_rates, parse_rate_table
from watchers.records import Agency, Classification, NoticeFacts
from watchers.regulation_deadlines import regulation_deadlines
from watchers.rescission import RESCINDED_ELSEWHERE, rescinded_companies
from watchers.xml_safety import parse_xml_safely

DOCUMENT_TAGS = ("NOTICE", "RULE", "PRORULE")
_FRDOC = re.compile(rf"FR\s+Doc\.?\s*(?:No\.?\s*)?(?P<num>[A-Z0-9]+(?:\s*{DASH}\s*\d+)+)")
_COMPOUND_COUNTRIES = (
    "Trinidad and Tobago", "Bosnia and Herzegovina", "Antigua and Barbuda",
    "Saint Kitts and Nevis", "Sao Tome and Principe", "Saint Vincent and the Grenadines",
    "Heard Island and McDonald Islands",
)  # fmt: skip
_POR_WORDS = r"(?:periods? of review|\bPORs?\b|period to be reviewed)"
# Aligned reviews put a clause between the words and the dates ('the POR for the countervailing
# duty review, which is aligned with the antidumping duty review, i.e., ...'): up to 200
# characters, across 'i.e.' and 'e.g.' but not across a sentence's end.
_POR_GAP = r"(?:[^.;]|\.(?=\S)|(?<=i\.e|e\.g)\.,?\s){0,200}?"
_POR = re.compile(
    rf"{_POR_WORDS}{_POR_GAP}"
    rf"(?P<start>{LONG_DATE_TEXT}),?\s+(?:through|to|until)\s+(?P<end>{LONG_DATE_TEXT})",
    re.IGNORECASE,
)
_POR_CALENDAR_YEAR = re.compile(rf"{_POR_WORDS}{_POR_GAP}calendar year (?P<year>\d{{4}})", re.I)
_EFFECTIVE = re.compile(r"\b(?:applicable|effective)(?: date)?:?\s*(?:on\s+)?", re.IGNORECASE)
_SCOPE_HEADING = re.compile(r"\bscope\b", re.IGNORECASE)
_NOT_SCOPE_HEADING = re.compile(r"comment|ruling|inquir|clarification", re.IGNORECASE)
_TRADE_WORDS = re.compile(r"dumping|countervailing|subsid", re.IGNORECASE)
_CASE_TEXT = r"[AC]-\d{3}-\d{3}"
_ENTRY_HEAD = re.compile(rf"^\s*{_CASE_TEXT}(?:\s*(?:,|and|&|;)\s*{_CASE_TEXT})*\s*[:;,]")
_APPENDIX_HEADING = re.compile(r"appendix\b(?![^.]*(?:list of topics|issues|decision))", re.I)
_HTS_MENTION = re.compile(r"Harmonized Tariff Schedule|\bHTSUS\b", re.IGNORECASE)


def document_number_of(frdoc: str) -> str | None:
    """'[FR Doc. 2024–02902 Filed 2–9–24; 8:45 am]' -> '2024-02902'."""
    match = _FRDOC.search(frdoc)
    return re.sub(r"\s+", "", normalize_dashes(match.group("num"))) if match else None


def _countries(text: str) -> tuple[str, ...]:
    text = text.strip().rstrip(".")
    protected = text
    for i, name in enumerate(_COMPOUND_COUNTRIES):
        protected = protected.replace(name, f"\x00{i}\x00")
    names = []
    for piece in re.split(r",\s*(?:and\s+)?|\s+and\s+", protected):
        piece = re.sub(r"\x00(\d+)\x00", lambda m: _COMPOUND_COUNTRIES[int(m.group(1))], piece)
        piece = re.sub(r"^the\s+", "", piece.strip(), flags=re.IGNORECASE)
        if piece:
            names.append(piece)
    return tuple(names)


def title_subject(title: str) -> tuple[str | None, tuple[str, ...]]:
    """Product and countries from 'Product From Country, and Country: Stage; years'."""
    head = re.split(r"[:;]", title, maxsplit=1)[0]
    pieces = re.split(r"\s+from\s+", head, maxsplit=1, flags=re.IGNORECASE)
    if len(pieces) != 2:
        return None, ()
    return clean_text(pieces[0]), _countries(pieces[1])


def _entry_head_cases(parts: NoticeParts) -> tuple[str, ...]:
    """Case numbers that open a paragraph or heading: 'A-570-979 and C-570-980: Crystalline ...'."""
    heads: dict[str, None] = {}
    texts: list[str] = []  # headings and paragraphs in the notice's order
    for block in parts.blocks:
        if not texts or block.heading != texts[-1]:
            texts.append(block.heading)
        if block.kind == "p":
            texts.append(block.text)
    for text in texts:
        text = text.lstrip()
        if text[:1] not in ("A", "C") or not text[2:5].isdigit():
            continue  # cheap: most paragraphs open with a word
        match = _ENTRY_HEAD.match(normalize_dashes(text))
        if match:
            heads.update(dict.fromkeys(extract_case_numbers(match.group(0))))
    return tuple(heads)


def _points_to_appendix(scope: list[Block]) -> bool:
    text = " ".join(b.text for b in scope)
    return bool(re.search(r"\bappendix\b", text, re.IGNORECASE)) and not extract_hts_codes(text)


def _period_of_review(texts: list[str]) -> tuple[date, date] | None:
    for text in texts:
        if "POR" not in text and "eriod" not in text:
            continue  # cheap: most paragraphs name no period
        year = _POR_CALENDAR_YEAR.search(text)
        match = _POR.search(text)
        if year is not None and (match is None or year.start() < match.start()):
            return date(int(year.group("year")), 1, 1), date(int(year.group("year")), 12, 31)
        if match:
            start = LONG_DATE.search(match.group("start"))
            end = LONG_DATE.search(match.group("end"))
            if start and end:
                s, e = parse_long_date(start), parse_long_date(end)
                if s and e and s < e:
                    return s, e
    return None


def _effective_date(dates_text: str) -> date | None:
    for match in _EFFECTIVE.finditer(dates_text):
        found = LONG_DATE.match(dates_text, match.end())
        if found:
            return parse_long_date(found)
    return None


def _anniversary(sentences: list[str]) -> tuple[int, int] | None:
    """'Not later than the last day of February 2024, interested parties may request ...'."""
    for sentence in sentences:
        if "last day of" in sentence and "review" in sentence:
            match = MONTH_YEAR.search(sentence, sentence.index("last day of"))
            if match:
                return int(match.group("year")), MONTHS[match.group("month").lower()]
    return None


def _issue_date(root: etree._Element) -> date | None:
    date_el = root.find("DATE")
    if date_el is None:
        return None
    match = LONG_DATE.search(element_text(date_el))
    return parse_long_date(match) if match else None


def facts_from_element(
    notice: etree._Element,
    *,
    document_number: str | None,
    publication_date: date | None,
    classification: Classification | None = None,
) -> NoticeFacts:
    """NoticeFacts of one parsed NOTICE/RULE/PRORULE element (or its HTML look-alike)."""
    return facts_from_parts(
        read_notice_parts(notice),
        document_number=document_number,
        publication_date=publication_date,
        classification=classification,
    )


def facts_from_parts(
    parts: NoticeParts,
    *,
    document_number: str | None,
    publication_date: date | None,
    classification: Classification | None = None,
) -> NoticeFacts:
    """The facts of one notice's parts; `classification` is the document's when the caller has it (the
    FR API's metadata and the full text, classified once), else the parts' own."""
    facts = NoticeFacts(
        document_number=document_number or document_number_of(parts.frdoc),
        title=parts.title,
        publication_date=publication_date,
    )
    own = extract_case_numbers(parts.depdoc)
    parts.blocks = fold_flat_tables(parts.blocks)
    paragraphs = [b for b in parts.blocks if b.kind == "p"]
    body = [b.text for b in paragraphs]
    facts.product, facts.countries = title_subject(parts.title)
    facts.period_of_review = _period_of_review(body)
    dates_text = " ".join(b.text for b in paragraphs if b.section == "DATES")
    facts.effective_date = _effective_date(dates_text)

    scope = [b for b in paragraphs if _SCOPE_HEADING.search(b.heading)
             and not _NOT_SCOPE_HEADING.search(b.heading)]  # fmt: skip
    if _points_to_appendix(scope):
        # 'For a complete description of the scope, see the Appendix to this notice.'
        scope += [b for b in paragraphs if _APPENDIX_HEADING.match(b.heading) and b not in scope]
    if scope:
        facts.scope_text = "\n".join(b.text for b in scope)
        facts.hts_codes = extract_hts_codes(facts.scope_text)
    else:
        naming = [b.text for b in parts.blocks if b.kind != "table" and _HTS_MENTION.search(b.text)]
        facts.hts_codes = extract_hts_codes(" ".join(naming))
        if facts.hts_codes:
            facts.unread.append("no scope section: HTS codes read from the paragraphs naming "
                                "the Harmonized Tariff Schedule")  # fmt: skip

    sentences = [s for text in body for s in split_sentences(text)]
    facts.rescinded_companies, rescission_unread = rescinded_companies(sentences)
    if rescission_unread:
        facts.unread.append(RESCINDED_ELSEWHERE)
    lists, list_unread = _omnibus(parts, facts, sentences)
    facts.unread.extend(list_unread)
    if not own and lists:
        own = tuple(dict.fromkeys(lists))
    if not own and not lists:
        # List notices (the quarterly scope rulings) head each entry with its case numbers.
        own = _entry_head_cases(parts)
    title_lower = parts.title.lower()
    if not own and ("sunset" in title_lower or "five-year" in title_lower):
        # The omnibus sunset list names its cases only in its table.
        own = extract_case_numbers(" ".join(b.text for b in parts.blocks if b.kind == "table"))
    facts.case_numbers = own
    every = extract_case_numbers(" ".join(b.text for b in parts.blocks) + " " + parts.title)
    facts.cited_case_numbers = tuple(c for c in every if c not in own)

    table_number = 0
    previous_text = ""
    # Rate columns in unrelated notices (fee schedules, interest rates) are not duty rates.
    trade = (
        bool(own)
        or bool(_TRADE_WORDS.search(parts.title))
        or any(
            b.kind == "table" and b.table is not None and _TRADE_WORDS.search(" ".join(b.table.headers))
            for b in parts.blocks
        )
    )  # a table headed 'Total net subsidy rate' is a duty table whatever the title
    for block in parts.blocks if trade else ():
        if block.kind == "table" and block.table is not None:
            table_number += 1
            if any(PERIOD_HEADER.search(h) for h in block.table.headers):
                continue
            read = parse_rate_table(
                block.table, number=table_number, context=f"{block.heading} {previous_text}",
                cases=own,
            )  # fmt: skip
            if read is not None:
                facts.rates.extend(read[0])
                facts.unread.extend(read[1])
        elif block.kind == "p":
            previous_text = block.text
    if trade:
        facts.rates.extend(extract_prose_rates(sentences, cases=own, existing=facts.rates))
        facts.rates.extend(extract_company_prose_rates(sentences, cases=own, existing=facts.rates))

    title = parts.title.lower()
    anchors = Anchors(
        publication=publication_date,
        signature=parts.dated,
        hearing=find_hearing_date(sentences),
        is_initiation="initiation" in title or "institution" in title,
        is_itc="commission" in title or bool(re.search(r"\d+-TA-\d+", parts.depdoc)),
    )
    facts.deadlines, deadline_unread = extract_deadlines(sentences, anchors)
    facts.unread.extend(deadline_unread)
    classification = classification or classify_parts(parts)
    if own and classification.kind in STATING_KINDS:
        facts.case_dates = extract_case_dates(
            [(b.heading, s) for b in paragraphs for s in split_sentences(b.text)],
            [case_type_of(c) for c in own],
        )
    if classification.agency is Agency.ITA and not classification.is_correction:
        facts.deadlines += regulation_deadlines(
            classification.kind, publication=publication_date, stated=facts.deadlines
        )
    if publication_date is None and any(d.due is None for d in facts.deadlines):
        facts.unread.append("publication date not given: deadlines counted from it not computed")
    return facts


def classify_parts(parts: NoticeParts) -> Classification:
    """The notice's kind from its title, refined by the head of its full text."""
    head = " ".join(b.text for b in parts.blocks[:12])
    return classify_notice(
        title=parts.title, agencies=[_agency_slug(a) for a in parts.agencies],
        docket_ids=extract_case_numbers(parts.depdoc), full_text=head,
        document_type=_DOCUMENT_TYPES.get(parts.root_tag),
    )  # fmt: skip


# The XML root names the FR document type, as the API's `type` does.
_DOCUMENT_TYPES = {"RULE": "Rule", "PRORULE": "Proposed Rule", "NOTICE": "Notice"}


def _agency_slug(printed: str) -> str:
    """The FR API slug of a printed AGENCY/SUBAGY name ('DEPARTMENT OF COMMERCE' -> 'commerce-department')."""
    words = re.sub(r"[^a-z ]", "", printed.lower()).split()
    if words[:2] == ["department", "of"]:
        words = [*words[2:], "department"]
    return "-".join(w for w in words if w not in ("us", "the"))


def classify_notice_xml(xml: bytes) -> Classification | None:
    """The kind of the single notice of this XML, or None when it holds no single notice."""
    notice, _ = _notice_root(parse_xml_safely(xml))
    if notice is None:
        return None
    return classify_parts(read_notice_parts(notice))


def _omnibus(parts: NoticeParts, facts: NoticeFacts, sentences: list[str]) -> tuple[list[str], list[str]]:
    """Review-opportunity and review-initiation lists; returns their case numbers."""
    lines: list[tuple[str, str]] = []
    for block in parts.blocks:
        if (
            block.kind == "table"
            and block.table is not None
            and any(PERIOD_HEADER.search(h) for h in block.table.headers)
        ):
            lines.extend(table_lines(block.table))
    if not lines:
        lines = paragraph_lines([b.text for b in parts.blocks if b.kind == "p"])
    if not lines:
        return [], []
    cases, unread = read_case_list(lines)
    title = parts.title.lower()
    if "initiation" in title:
        facts.review_initiations = to_initiations(cases)
    else:
        facts.review_opportunities = to_opportunities(cases, anniversary=_anniversary(sentences))
    return [c.case_number for c in cases], unread


def _notice_root(root: etree._Element) -> tuple[etree._Element | None, date | None]:
    if root.tag in DOCUMENT_TAGS:
        return root, None
    found = [el for el in root.iter(*DOCUMENT_TAGS)]
    return (found[0] if len(found) == 1 else None), _issue_date(root)


def extract_notice_facts(
    xml: bytes,
    *,
    document_number: str | None = None,
    publication_date: date | None = None,
    classification: Classification | None = None,
) -> NoticeFacts:
    """Facts of one notice (a NOTICE, RULE or PRORULE element document).

    Raises only UnsafeXmlError or MalformedXmlError; anything else not understood is listed in
    `unread`. The publication date is the argument (the FRDOC 'Filed' date is not it), else the
    issue DATE when a whole one-notice issue is given.
    """
    root = parse_xml_safely(xml)
    notice, issue_date = _notice_root(root)
    if notice is None:
        return NoticeFacts(
            document_number=document_number,
            publication_date=publication_date or issue_date,
            unread=[f"no single NOTICE, RULE or PRORULE element in <{root.tag}>"],
        )
    return facts_from_element(
        notice,
        document_number=document_number,
        publication_date=publication_date or issue_date,
        classification=classification,
    )


def read_issue_date(xml: bytes) -> date | None:
    """The publication date of a daily issue <FEDREG>, from its DATE element."""
    return _issue_date(parse_xml_safely(xml))


def split_daily_issue(xml: bytes) -> list[tuple[str, bytes]]:
    """(document number, element bytes) of every NOTICE, RULE and PRORULE of a daily issue."""
    root = parse_xml_safely(xml)
    out: list[tuple[str, bytes]] = []
    for el in root.iter(*DOCUMENT_TAGS):
        frdoc = el.find("FRDOC")
        number = document_number_of(element_text(frdoc)) if frdoc is not None else None
        out.append((number or "", etree.tostring(el, encoding="utf-8", with_tail=False)))
    return out
