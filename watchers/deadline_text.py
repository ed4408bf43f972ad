"""Deadlines stated in notice sentences, with the due date computed from the stated anchor."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from watchers.business_days import add_business_days, next_business_day_on_or_after
from watchers.keyword_typos import mend_typos
from watchers.notice_text import (
    LONG_DATE,
    MONTH_YEAR,
    MONTHS,
    NUMBER_WORDS,
    last_day_of_month,
    parse_count,
    parse_long_date,
)
from watchers.records import DeadlineFact

ROLL_CITATION = "19 CFR 351.303(b)"  # Commerce: a deadline on a non-business day moves forward
ITC_ROLL_CITATION = "19 CFR 201.14(a)"  # the Commission's rule to the same effect

# Order matters: the first kinds win the words they share with later ones.
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        ("scope_rebuttal_comments", r"rebuttal (?:scope )?comments(?=[^.]*scope)|scope rebuttal"),
        (
            "scope_comments",
            r"scope comments|comments? (?:on|regarding|concerning) (?:the )?"
            r"(?:product coverage|scope)",
        ),
        ("rebuttal_brief", r"\brebuttal briefs?\b|\brebuttals\b"),
        ("case_brief", r"\bcase briefs?\b"),
        ("prehearing_brief", r"\bprehearing briefs?\b"),
        ("posthearing_brief", r"\bposthearing briefs?\b"),
        # ITC preliminary phase: the staff conference, and the written brief that follows it.
        (
            "conference_appearance_request",
            r"requests? to appear at the (?:staff |public )?conference"
            r"|(?:wish|wishing|intend|intending) to (?:appear|participate) at the (?:staff )?conference",
        ),
        ("postconference_brief", r"\bpost-?conference briefs?\b|\ba written brief\b"),
        (
            "hearing_request",
            r"request(?:s|ing|ed)? (?:for )?(?:an? )?(?:public |informal )?hearing|hearing requests?"
            r"|requests? to appear at the hearing",
        ),
        (
            "duty_absorption_request",
            r"duty absorption|(?:duties|duty) (?:have|has|had) been absorbed"
            r"|absorb(?:ed|ing)? (?:antidumping )?duties",
        ),
        ("in_camera_request", r"\bin camera\b"),
        ("separate_rate_application", r"separate[- ]rate (?:status )?applications?"),
        ("separate_rate_certification", r"separate[- ]rate (?:status )?certifications?"),
        (
            "no_shipment_statement",
            r"no (?:exports, sales,? or entries|shipments|sales|entries)"
            r"|no-shipment",
        ),
        (
            "review_request_withdrawal",
            r"\bwithdraw(?:al of)? (?:its |their |that |the |a |any )?"
            r"requests?",
        ),
        (
            "review_request",
            r"request (?:an? )?(?:administrative )?review|requests? for (?:an? )?"
            r"(?:administrative )?review|may request (?:an? )?(?:administrative )?review",
        ),
        ("respondent_selection_comments", r"comments[^.]{0,40}respondent selection"),
        ("sunset_intent_to_participate", r"intent to participate"),
        ("sunset_substantive_response", r"substantive responses?"),
        ("annual_inquiry_service_list", r"annual inquiry service list"),
        # ITC five-year reviews: the institution notice asks for responses, then comments on
        # whether they are adequate (19 CFR 207.61, 207.62).
        ("adequacy_comments", r"comments on (?:the )?adequacy"),
        (
            "institution_response",
            r"(?<!in )\bresponses? to this notice (?:must|are|is|shall|should)\b"
            r"|filing (?:such|these|the) responses",
        ),
        ("apo_application", r"administrative protective order|\bAPO\b"),
        ("entry_of_appearance", r"entry of appearance"),
        ("written_statement", r"written statements?"),
        ("final_comments", r"final comments"),
    )
)
_NUM = r"\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_OFFSET = re.compile(
    rf"\b(?P<n>{_NUM})\s+(?P<unit>calendar days?|business days?|days?)\s+"
    r"(?P<rel>after|of|from|following|before|prior to|thereafter)\b"
    # the anchor runs to the clause's end: 'by filing a notice of intent ...' is not part of it
    r"(?P<anchor>[^;,]{0,120}?)(?=\s+by\s|\s+and\s|\s+at\s|[,;]|\.(?:\s|$)|$)",
    re.IGNORECASE,
)
_WEEKDAY = r"(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?"
_ABSOLUTE = re.compile(
    r"\b(?:on or before|not later than|no later than|by|is|are due(?: on)?|due on|until)\s+"
    + _WEEKDAY
    + LONG_DATE.pattern,
    re.IGNORECASE,
)
_LAST_DAY = re.compile(r"last day of (?:the month of )?" + MONTH_YEAR.pattern, re.IGNORECASE)
_MAY_HAVE_TIME = re.compile(r"days?\b|\d{4}")
_CFR = re.compile(r"19 CFR (?:part )?\d+(?:\.\d+)?(?:\([a-z0-9]+\))*")
_HEARING_DATE = re.compile(r"(?:hold a|will hold|public) hearing|hearing will be held", re.I)
# A sentence that goes on about the deadline the previous one named ('Such requests must be
# filed within 30 days ...').
_BACK_REFERENCE = re.compile(
    r"^(?:(?:such|these|those|any such|all such|the|each|this)\s+(?:requests?|submissions?|briefs?"
    r"|comments?|applications?|certifications?|statements?)|they|it)\b(?!\s+of\b)",
    re.IGNORECASE,
)
# The deadline is named but its date is left to later ('will be announced', 'to be set').
_DATE_LATER = re.compile(
    r"(?:will|shall) (?:be )?(?:announce|notif|inform|establish|set|specif)\w*"
    r"|to be (?:announced|established|set|determined)|at a later date",
    re.IGNORECASE,
)
# Words of a sentence that sets a party's deadline, to pick sentences whose misspelt key words
# are worth mending.
_DEADLINE_WORDS = re.compile(
    r"\b(?:due|submit|file|filed|within|later than|on or before|deadline)", re.IGNORECASE
)
_UNKNOWN_PUBLICATION = re.compile(
    r"final results|preliminary|final determination|Commission|ITC|placement|release|"
    r"order\b(?!\s*$)|amended",
    re.IGNORECASE,
)

_THIS_NOTICE = re.compile(r"\b(?:this|these|the instant)\b", re.IGNORECASE)
# 'Interested parties who wish to request a hearing must submit a written request ..., filed
# electronically via ACCESS. An electronically filed request must be received ... by 5 p.m.
# Eastern Time within 30 days after ...': the second sentence dates the first one's deadline.
_FILING_CARRIES = re.compile(
    r"^(?:an?|the|all|each)\s+(?:electronically[- ]filed\s+)?(?:document|request|submission|filing)s?"
    r"\s+(?:must|shall|should|is|are)\b",
    re.IGNORECASE,
)

# Kinds that name another kind's words inside their own sentence.
_SUPPRESSES = {"annual_inquiry_service_list": "entry_of_appearance"}
# 'Commerce will create ... within five business days': the agency's own step, no party's due.
_AGENCY_ACTS = re.compile(
    r"\b(?:Commerce|[Tt]he Department|[Tt]he Commission|[Tt]he Secretary|the ITC|CBP|[Ww]e)\s+"
    r"(?:will|intends to|shall|expects to)\b"
)


@dataclass
class Anchors:
    """Dates a stated offset can count from; kind dues are added as they are computed."""

    publication: date | None
    signature: date | None = None
    hearing: date | None = None
    is_initiation: bool = False
    is_itc: bool = False
    dues: dict[str, date] = field(default_factory=dict)


@dataclass
class _Expr:
    start: int
    kind: str  # offset, absolute, last_day
    match: re.Match[str]


def _time_expressions(sentence: str) -> list[_Expr]:
    exprs = [_Expr(m.start(), "offset", m) for m in _OFFSET.finditer(sentence)]
    exprs += [_Expr(m.start(), "absolute", m) for m in _ABSOLUTE.finditer(sentence)]
    exprs += [_Expr(m.start(), "last_day", m) for m in _LAST_DAY.finditer(sentence)]
    return sorted(exprs, key=lambda e: e.start)


_ANY_KIND = re.compile("|".join(f"(?:{p.pattern})" for _, p in _KINDS), re.IGNORECASE)
# A word every kind's pattern needs, to skip most sentences with one cheap search.
_KIND_HINT = re.compile(
    r"brief|rebuttal|hearing|request|comment|separate|shipment|sales|entries|withdraw|intent"
    r"|substantive|inquiry|protective|APO|appearance|statement|camera|conference|absor|adequacy"
    r"|response",
    re.IGNORECASE,
)


def _kinds_in(sentence: str) -> list[tuple[int, str]]:
    if not _KIND_HINT.search(sentence) or not _ANY_KIND.search(sentence):
        return []
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _KINDS:
        for match in pattern.finditer(sentence):
            if any(s <= match.start() < e for s, e in taken):
                continue
            taken.append((match.start(), match.end()))
            found.append((match.start(), kind))
            break
    found.sort()
    present = {k for _, k in found}
    found = [f for f in found if not any(
        _SUPPRESSES.get(other) == f[1] for other in present)]  # fmt: skip
    # 'rebuttal briefs ... due five days after the due date for case briefs': case briefs
    # named after the rebuttal are its anchor, not a deadline of their own.
    kinds = [k for _, k in found]
    if (
        "rebuttal_brief" in kinds
        and "case_brief" in kinds
        and kinds.index("rebuttal_brief") < kinds.index("case_brief")
    ):
        found = [f for f in found if f[1] != "case_brief"]
    return found


def _anchor_of(text: str, anchors: Anchors) -> tuple[str, date | None]:
    """Which date an offset counts from, named, and its value if known."""
    t = text.lower()
    if "rebuttal brief" in t:
        return "rebuttal_brief", anchors.dues.get("rebuttal_brief")
    if "case brief" in t:
        return "case_brief", anchors.dues.get("case_brief")
    if "initial comment" in t or ("scope" in t and "comment" in t):
        return "scope_comments", anchors.dues.get("scope_comments")
    if "hearing" in t:
        return "hearing", anchors.hearing
    if "signature" in t:
        return "signature", anchors.signature
    if "initiation" in t and not anchors.is_initiation:
        return "initiation", None
    if "publication" in t or "published" in t or "initiation" in t:
        before_publication = t.split("publication", 1)[0]
        after_publication = t.split("publication", 1)[-1]
        # 'publication of this notice' / 'of these preliminary results' / 'of the instant
        # notice' name this notice; 'of the final results' names a later one.
        this_notice = _THIS_NOTICE.search(after_publication[:40]) is not None
        if _UNKNOWN_PUBLICATION.search(before_publication) or (
            _UNKNOWN_PUBLICATION.search(after_publication)
            and not this_notice
            and "order" not in after_publication[:20]
        ):
            return text.strip(), None
        return "publication", anchors.publication
    return text.strip() or "an unstated date", None


def _due_from(expr: _Expr, anchors: Anchors) -> tuple[date | None, int | None, str]:
    """(due before rolling, signed offset, anchor name when unknown)."""
    m = expr.match
    if expr.kind == "absolute":
        return parse_long_date(m), None, ""
    if expr.kind == "last_day":
        month = MONTHS[m.group("month").lower()]
        return last_day_of_month(int(m.group("year")), month), None, ""
    n = parse_count(m.group("n"))
    if n is None:
        return None, None, m.group(0)
    rel = m.group("rel").lower()
    sign = -1 if rel in ("before", "prior to") else 1
    if rel == "thereafter":
        return None, sign * n, "the event before 'thereafter'"
    name, base = _anchor_of(m.group("anchor"), anchors)
    if base is None:
        return None, sign * n, name
    if "business" in m.group("unit").lower():
        return add_business_days(base, sign * n), sign * n, ""
    return base + timedelta(days=sign * n), sign * n, ""


def find_hearing_date(sentences: list[str]) -> date | None:
    for sentence in sentences:
        if _HEARING_DATE.search(sentence):
            match = LONG_DATE.search(sentence)
            if match:
                return parse_long_date(match)
    return None


def _may_say_later(sentence: str) -> bool:
    """A cheap test before _DATE_LATER: most sentences hold none of its words."""
    return any(word in sentence for word in ("announc", "notif", "inform", "establish",
                                             "later date", "to be set", "specif", "determined"))  # fmt: skip


def _undated_kinds(sentence: str) -> list[str]:
    """Deadline kinds a sentence names without stating any time for them."""
    text = mend_typos(sentence)
    return [] if _time_expressions(text) else [k for _, k in _kinds_in(text)]


def extract_deadlines(sentences: list[str], anchors: Anchors) -> tuple[list[DeadlineFact], list[str]]:
    """Deadlines of the notice's sentences, in order, and the ones whose anchor is unknown."""
    pending: list[tuple[int, str, str, _Expr]] = []
    dateless: list[tuple[str, str]] = []
    for index, sentence in enumerate(sentences):
        if not _MAY_HAVE_TIME.search(sentence):
            # no 'days' and no year: a deadline is stated only as one to be announced later
            if not _may_say_later(sentence) or not _DATE_LATER.search(sentence):
                continue
            if not _KIND_HINT.search(sentence):
                continue
        elif not _KIND_HINT.search(sentence) and not _DEADLINE_WORDS.search(sentence):
            continue  # cheap: nothing here asks a party to act by a time
        text = mend_typos(sentence)
        kinds = _kinds_in(text)
        exprs = _time_expressions(text)
        if not kinds and exprs and index and (_BACK_REFERENCE.match(text) or _FILING_CARRIES.match(text)):
            # 'Any party may request a hearing. Such requests must be filed within 30 days ...'
            carried = _undated_kinds(sentences[index - 1])
            kinds = [(0, carried[0])] if len(carried) == 1 else []
        if not kinds:
            continue
        agency = _AGENCY_ACTS.search(text)
        if agency is not None and agency.start() < kinds[0][0] and not _DATE_LATER.search(text):
            continue
        if not exprs:
            if _DATE_LATER.search(text):
                dateless += [(k, sentence) for _, k in kinds]
            continue
        for number, (pos, kind) in enumerate(kinds):
            if any(e.start < pos < e.match.end() for e in exprs if e.kind == "offset"):
                continue  # named inside another deadline's anchor ('after the case briefs')
            after = [e for e in exprs if e.start >= pos]
            expr = after[0] if after else exprs[-1]
            following = kinds[number + 1][0] if number + 1 < len(kinds) else None
            # 'If we receive a notice of intent to participate ..., parties must file substantive
            # responses not later than 30 days': a kind named far before another kind that sits
            # between it and the date is context, not the deadline's subject.
            if following is not None and following < expr.start and following - pos > 80:
                continue
            pending.append((index, kind, sentence, expr))
    results: dict[int, DeadlineFact] = {}
    unknown: dict[int, str] = {}
    # Several passes: a rebuttal deadline counts from the case-brief deadline, which may be
    # stated later in the notice.
    for _ in range(3):
        for number, (_, kind, sentence, expr) in enumerate(pending):
            if number in results:
                continue
            raw, offset, anchor_name = _due_from(expr, anchors)
            if raw is None:
                unknown[number] = anchor_name
                continue
            unknown.pop(number, None)
            due = next_business_day_on_or_after(raw)
            citations = list(dict.fromkeys(_CFR.findall(sentence)))
            if due != raw:
                citations.append(ITC_ROLL_CITATION if anchors.is_itc else ROLL_CITATION)
            results[number] = DeadlineFact(
                kind=kind, due=due, sentence=sentence, offset_days=offset,
                citation="; ".join(citations),
            )  # fmt: skip
            anchors.dues.setdefault(kind, due)
    facts: list[DeadlineFact] = []
    unread: list[str] = []
    seen: set[tuple[str, date | None]] = set()
    for number, (_, kind, sentence, expr) in enumerate(pending):
        fact = results.get(number)
        if fact is None:
            _, offset, _ = _due_from(expr, anchors)
            fact = DeadlineFact(kind=kind, due=None, sentence=sentence, offset_days=offset,
                                citation="; ".join(dict.fromkeys(_CFR.findall(sentence))))  # fmt: skip
            unread.append(f"deadline {kind}: counted from {unknown.get(number)!r}, not known")
        key = (kind, fact.due)
        if fact.due is not None and key in seen:
            continue
        seen.add(key)
        facts.append(fact)
    stated = {f.kind for f in facts}
    for kind, sentence in dateless:
        if kind not in stated:  # 'The deadline for case briefs will be announced later.'
            stated.add(kind)
            facts.append(DeadlineFact(kind=kind, due=None, sentence=sentence,
                                      citation="; ".join(dict.fromkeys(_CFR.findall(sentence)))))  # fmt: skip
            unread.append(f"deadline {kind}: the notice gives no date")
    return facts, unread
