"""Classify a Federal Register AD/CVD notice into exactly one kind (docs/notice_kinds.md), with attributes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence

from watchers.case_numbers import extract_case_numbers
from watchers.classify_agency import agency_from
from watchers.classify_revokes import is_rule, revokes_from
from watchers.classify_rules import (
    OMNIBUS,
    REVIEW_IN_CASE_NAME,
    case_types_from_numbers,
    case_types_from_words,
    itc_kind,
    kind_from_subject,
    kind_from_summary,
    normalise,
    split_case_name,
    strip_correction,
)
from watchers.records import Agency, CaseType, Classification, NoticeKind, Revokes

# ACTION, SUMMARY and the docket line sit at the head of a notice; deeper text cites other cases.
_FULL_TEXT_HEAD = 4000
_TAGS = re.compile(r"<[^>]+>")


def classify_notice(
    *,
    title: str,
    abstract: str | None = None,
    agencies: Sequence[str] = (),
    docket_ids: Sequence[str] = (),
    action: str | None = None,
    full_text: str | None = None,
    document_number: str | None = None,
    document_type: str | None = None,
) -> Classification:
    """One kind and the four attributes, from the FR API fields and, when fetched, the full text.

    The title decides the kind (precedence of docs/notice_kinds.md); the action line, abstract and the
    head of the full text are read only when the title names no kind of its own. `document_type` is the
    FR API's type ("Rule", "Proposed Rule", "Notice"): a rule is `other` and revokes nothing, whatever
    its title says about revocation.
    """
    full_head = _text_head(full_text)
    title_n = normalise(title)
    abstract_n = normalise(abstract or "")
    action_n = normalise(action or "")
    stripped, is_correction = strip_correction(title_n, document_number)
    if re.search(r"\bcorrection\b", action_n):
        # The FR API's action line says "Notice; correction." for corrections of notices.
        is_correction = True
    head, _, subject = split_case_name(stripped)
    agency = agency_from(agencies, title_n, abstract_n or full_head)
    context = f"{abstract_n} {action_n} {full_head}".strip()

    kind = kind_from_subject(subject, agency=agency, context=context)
    if agency is Agency.ITA and REVIEW_IN_CASE_NAME.search(head):
        kind = kind_from_subject(f"{head}; {subject}", agency=agency, context=context) or kind
    if kind is None and agency is Agency.USITC:
        # A title that is only the case name ("Fresh Mushrooms From Canada"): the summary decides.
        kind = itc_kind("", context)
    if kind is None and action_n:
        kind = kind_from_subject(re.sub(r"^notices?[.;]?\s*", "", action_n), agency=agency)
    for text in (abstract_n, full_head):
        if kind is None and text:
            kind = kind_from_summary(text)
    if kind is None or _not_adcvd_at_itc(f"{title_n} {context}"):
        kind = NoticeKind.OTHER  # Sections 337, 332 and 201 are the Commission's, but not AD/CVD
    if is_rule(title_n, document_type):
        kind = NoticeKind.OTHER  # a regulation (about revocation or anything else) is no notice

    return Classification(
        kind=kind,
        agency=agency,
        case_types=_case_types(
            title_n=stripped,
            subject=subject,
            head=head,
            abstract_n=abstract_n,
            docket_ids=docket_ids,
            full_head=full_head,
        ),
        is_correction=is_correction,
        revokes=revokes_from(subject, f"{abstract_n} {full_head}")
        if kind is not NoticeKind.OTHER
        else Revokes.NONE,
    )


# The Commission's other proceedings: Section 337 (patents), Section 332 fact-finding (competitive
# conditions, economic effects, GSP advice) and Section 201 safeguards.
_ITC_NOT_ADCVD = re.compile(
    r"\bsection 337\b|\b337-ta-|\b332-\d|\bsection 332\b|competitive conditions|conditions of competition"
    r"|economic effects?\b|probable (?:economic )?effects?\b|possible modifications|generalized system of"
    r"|\bsafeguard|\bsection 20[12]\b|\bta-201-"
)


def _not_adcvd_at_itc(text: str) -> bool:
    """A Commission notice of another kind of proceeding, with no AD/CVD proceeding in it."""
    return bool(_ITC_NOT_ADCVD.search(text)) and not re.search(
        r"\b70[15]-ta-|\b731-ta-|dumping|countervailing", text
    )


def _text_head(full_text: str | None) -> str:
    """The normalised head of the full text, with any XML tags dropped."""
    if not full_text:
        return ""
    text = full_text[: _FULL_TEXT_HEAD * 3]
    if text.lstrip().startswith("<"):
        text = _TAGS.sub(" ", text)
    return normalise(text)[:_FULL_TEXT_HEAD]


def _case_types(
    *,
    title_n: str,
    subject: str,
    head: str,
    abstract_n: str,
    docket_ids: Sequence[str],
    full_head: str,
) -> tuple[CaseType, ...]:
    """From case numbers (dockets, then title and abstract, then full text), else from the words.

    Omnibus notices (opportunity, initiation, advance sunset, scope lists) cover both and get ().
    """
    if not head and (
        OMNIBUS.search(subject) or (" from " not in subject and len(case_types_from_words(title_n)) == 2)
    ):
        # Not about one named product: an omnibus or a rule-making notice covering both.
        return ()
    docket_text = " ".join(docket_ids)
    for numbers_text in (docket_text, f"{title_n} {abstract_n}", full_head):
        found = case_types_from_numbers(extract_case_numbers(numbers_text), numbers_text)
        if found:
            return found
    return case_types_from_words(title_n) or case_types_from_words(abstract_n)


def classify_csv(rows: Iterable[Mapping[str, str]]) -> Iterator[dict[str, object]]:
    """One result dict per CSV row (columns document_number, title, abstract; optional agencies,
    docket_ids, action, full_text, type (the FR document type) — lists separated by ';' or '|')."""
    for row in rows:
        document_number = (row.get("document_number") or "").strip()
        result = classify_notice(
            title=row.get("title") or "",
            abstract=row.get("abstract") or None,
            agencies=_split_list(row.get("agencies")),
            docket_ids=_split_list(row.get("docket_ids")),
            action=row.get("action") or None,
            full_text=row.get("full_text") or None,
            document_number=document_number or None,
            document_type=(row.get("type") or "").strip() or None,
        )
        yield {
            "document_number": document_number,
            "kind": result.kind.value,
            "agency": result.agency.value,
            "case_types": [c.value for c in result.case_types],
            "is_correction": result.is_correction,
            "revokes": result.revokes.value,
        }


def _split_list(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(part.strip() for part in re.split(r"[;|]", value) if part.strip())
