"""The word rules behind notice classification: text normalising, case numbers, agency and kind patterns."""

from __future__ import annotations

import re
from collections.abc import Iterable

from watchers.classify_revokes import NOT_REVOKING
from watchers.dashes import normalize_dashes
from watchers.records import Agency, CaseType, NoticeKind

_SPACES = re.compile(r"\s+")
_DOUBLE_QUOTES = re.compile(r"``|''|[\"\u201c\u201d\u201e]")


def normalise(text: str) -> str:
    """Lower-case text with one kind of dash, quote and space, and the spelling variants unified."""
    text = normalize_dashes(text).replace("\u2019", "'").replace("\u2018", "'")
    # Double quotes of every era's style (straight, curly, ``'' and doubled single ones) say nothing
    # about the kind: Five-Year ("Sunset") Review reads as Five-Year (Sunset) Review.
    text = _DOUBLE_QUOTES.sub("", text)
    text = _SPACES.sub(" ", text).strip().lower()
    text = re.sub(r"\banti-dumping\b", "antidumping", text)
    text = re.sub(r"\b(changed|new)-(circumstances?|shipper)\b", r"\1 \2", text)
    text = re.sub(r"\bless[- ]than[- ]fair[- ]value\b", "less than fair value", text)
    # "Recission" is a frequent misspelling in real titles (e.g. 2022-22857).
    text = re.sub(r"\brecission\b", "rescission", text)
    return text


# Commerce case numbers: A-570-194, C-570-195 (with any dash, sometimes spaced).
# ITC investigation numbers: 701-TA-... are CVD, 731-TA-... are AD.
ITC_NUMBER = re.compile(r"\b(701|731)-ta-\d+", re.IGNORECASE)


def case_types_from_numbers(numbers: Iterable[str], text: str = "") -> tuple[CaseType, ...]:
    """AD for A- numbers and 731-TA, CVD for C- numbers and 701-TA."""
    kinds: set[CaseType] = set()
    for number in numbers:
        kinds.add(CaseType.AD if number.upper().startswith("A") else CaseType.CVD)
    for m in ITC_NUMBER.finditer(normalize_dashes(text)):
        kinds.add(CaseType.AD if m.group(1) == "731" else CaseType.CVD)
    return tuple(k for k in (CaseType.AD, CaseType.CVD) if k in kinds)


_AD_WORDS = re.compile(r"\bantidumping\b|\bdumping\b|less than fair value|\bltfv\b")
_CVD_WORDS = re.compile(r"\bcountervailing\b|\bcountervailable\b")


# "... CVD Determination and Alignment of Final Determination With Final Antidumping Duty Determination":
# the determination it is aligned with belongs to the other case, not to this notice.
_ALIGNED_WITH = re.compile(
    r"(alignment of (?:the )?final [^;,]*?determinations?) with (?:the )?final [^;,]*?determinations?"
)


def case_types_from_words(text: str) -> tuple[CaseType, ...]:
    """The case types the words name; text must be normalised."""
    text = _ALIGNED_WITH.sub(r"\1", text)
    kinds: list[CaseType] = []
    if _AD_WORDS.search(text):
        kinds.append(CaseType.AD)
    if _CVD_WORDS.search(text):
        kinds.append(CaseType.CVD)
    return tuple(kinds)


# --- correction -----------------------------------------------------------------------------

# "; Correction" closes the title, sometimes before the period ("; Second Correction 2019-2020").
_CORRECTION_TAIL = re.compile(r"[;,]\s*(?:(?:second|third) )?corrections?\b[^;]*(?=;|$)")
_CORRECTION_HEAD = re.compile(
    r"^(?:notice of correction(?: to)?|correction to|corrected notice of|correction of)\s+(?:the\s+)?"
)


def strip_correction(title: str, document_number: str | None) -> tuple[str, bool]:
    """The title without its correction words, and whether the document corrects or republishes another."""
    is_correction = bool(document_number and document_number.upper().startswith("R1-"))
    head, sep, subject = split_case_name(title)
    stripped = _CORRECTION_TAIL.sub("", subject)
    if stripped != subject:
        is_correction = True
    m = _CORRECTION_HEAD.match(stripped)
    if m:
        is_correction = True
        stripped = stripped[m.end() :]
    return head + sep + stripped, is_correction


def split_case_name(title: str) -> tuple[str, str, str]:
    """Split "Product From Country: Subject" (or "...; Subject" in ITC titles) into its parts.

    The case name can itself contain kind words ("Agreement Suspending the ... Investigation on
    Sugar From Mexico; Preliminary Results ..."), so rules read only the subject.
    """
    m = re.search(r"\bfrom\b[^:;]*?([:;])\s*", title)
    if m:
        return title[: m.start(1)], m.group(1) + " ", title[m.end() :]
    return "", "", title


# --- kinds ----------------------------------------------------------------------------------

# A postponement phrase moves a date of a named step; cutting it out leaves what else the notice does.
_POSTPONE = re.compile(
    r"(?:postponement|extension of (?:the )?(?:time limits?|deadlines?)|extension)"
    r" (?:for|of|in) (?:the )?[^;,]*?(?:results|determinations?)(?: (?:of|in) (?:the )?[^;,]*?reviews?\b)?"
    # Older wordings name only the review: "Notice of Extension of Time Limit for 2001-2003
    # Administrative Review", "...; Antidumping Duty Administrative Review; Extension of Time Limits".
    r"|extension of (?:the )?time limits?(?: (?:for|of|in) (?:the )?[^;,]*?reviews?\b)?"
    r"|extension of (?:the )?deadline for determining the adequacy of [^;:]*?petitions?"
    r"|alignment of (?:the )?final [^;,]*?determinations?(?: with [^;,]*?determinations?)?"
)

# Notices about the agency's practice, not about a case: policies, procedures, methodologies
# ("Policies Regarding the Conduct of Five-year (Sunset) Reviews ...; Policy Bulletin").
_PRACTICE = re.compile(
    r"\bpolic(?:y|ies)\b|\bprocedures?\b|\bmethodolog"
    r"|^(?:antidumping|countervailing)(?: and countervailing)?(?: duty)? proceedings:"
)
# A subject that opens with the revocation ("Revocation of Antidumping Duty Orders Pursuant to
# Five-Year (Sunset) Reviews") is the revocation, whatever review led to it.
_REVOCATION_FIRST = re.compile(r"^(?:notice of )?(?:partial )?revocation\b")
# A NAFTA binational panel reviews Commerce in the court's stead: results issued "Pursuant to NAFTA
# Binational Panel Remand" are results under a court decision.
_COURT = re.compile(
    r"court decisions?|pursuant to (?:the )?court|court of international trade"
    r"|pursuant to (?:the )?(?:nafta )?(?:binational )?panel (?:remand|decision)"
)
_CIRCUMVENTION = re.compile(r"circumvent")
_SCOPE = re.compile(r"\bscope (?:rulings?|inquir|determination|ruling applications)")
_NEW_SHIPPER = re.compile(r"new shipper")
_CCR = re.compile(r"changed circumstances?")
_SUNSET_ADVANCE = re.compile(r"advance notification of sunset")
_SUNSET_INIT = re.compile(
    r"(?:initiation|institution) of (?:the )?(?:\w+ )?(?:five-year|sunset|\(sunset\))"
    r"|(?:initiation|institution) of (?:the )?five-year \(sunset\)"
)
_SUNSET = re.compile(r"\bsunset\b|\bfive-year (?:\(sunset\) )?reviews?")
_CONTINUATION = re.compile(r"\bcontinuation of\b")
# "Revocation of Antidumping Duty Findings and Countervailing Duty Order: ..." names the order it ends.
_REVOKED_ORDERS = re.compile(r"\brevocation(?:,? in part,?)? of (?:the )?[^;:]*")
# "Amended Final Determination and Amendment of the Antidumping Duty Order": the order is amended.
_AMENDED_ORDER = re.compile(
    r"\bamendments? (?:of|to) (?:the )?(?:antidumping|countervailing)(?: duty)? orders?\b"
    r"|\bamended (?:antidumping|countervailing)(?: duty)? orders?\b"
)
_ORDER = re.compile(
    # "and" opens an order phrase unless it joins "Antidumping and Countervailing Duty Orders"
    # that are the object of something else ("Reviews of the Antidumping and ... Orders").
    r"(?:^|[:;,]\s*|(?<!antidumping )(?<!antidumping duty )\band\s+|\bnotice of\s+)"
    r"(?:amended\s+)?(?:antidumping|countervailing)(?:\s+duty)?"
    r"(?:\s+(?:and|&)\s+(?:antidumping|countervailing)(?:\s+duty)?)?\s+orders?\b"
    r"|(?:imposition|issuance) of (?:an? )?(?:antidumping|countervailing) duty orders?"
)
_SUSPENSION = re.compile(
    r"^(?:notice of )?(?:suspension of (?:the )?(?:antidumping|countervailing)"
    r"|(?:\d{4} )?agreements? suspending|(?:\d{4} )?suspension agreements?(?! on)"
    r"|amendments? (?:to|of) (?:the )?(?:\d{4} )?agreements? suspending"
    r"|(?:intent to )?terminat\w*(?: of)? (?:the )?(?:\d{4} )?"
    r"(?:suspension agreements?|agreements? suspending"
    r"|suspended (?:antidumping |countervailing )?(?:duty )?investigations?))"
)
_REVOCATION = re.compile(r"\brevocation\b|\brevok\w*")
_OPPORTUNITY = re.compile(r"opportunity to request administrative review")
_REVIEW_INIT = re.compile(
    r"initiation (?:of|notice of) [^;]*?administrative reviews?|initiation of expedited review"
)
_PRELIM_RESULTS = re.compile(r"preliminary results|preliminary determination of no shipments")
_FINAL_RESULTS = re.compile(r"final results|determination of no shipments|amended results")
# Before 1997 a review was "terminated", not rescinded ("Partial Termination of Review").
_RESCISSION = re.compile(
    r"\brescission\b|\brescind\w*|partial rescission|\btermination of (?:the )?[^;]*?\breviews?\b"
    r"|partial termination"
)
_ADMIN_REVIEW = re.compile(r"administrative review")
_INV_INIT = re.compile(
    r"initiation of (?:the )?(?:less than fair value|countervailing duty|antidumping duty)"
    r" investigations?"
)
_PRELIM_DET = re.compile(
    r"preliminary (?:[\w-]+ ){0,4}?determinations?|affirmative preliminary|"
    r"negative preliminary"
)
_FINAL_DET = re.compile(r"final (?:[\w-]+ ){0,4}?determinations?|affirmative final|negative final")
_ITC_INVESTIGATION = re.compile(
    r"institution of [^;]*investigations?|scheduling of (?:the )?(?:final|preliminary) phase"
    r"|supplemental schedule for (?:the )?final phase|revised schedule"
    r"|; determinations?\.?$|^determinations?\.?$"
)
_ITC_INVESTIGATION_STEP = re.compile(
    r"institution of [^;]*investigations?|scheduling of|supplemental schedule|revised schedule"
)
_ITC_HEARING = re.compile(r"cancellation of (?:the )?hearing|hearing")


# "(Review)", "(Second Review)" follow the investigation numbers of five-year reviews.
_ITC_REVIEW = re.compile(
    r"five-year reviews?|\bsunset\b|\breview(?:s)? (?:nos?\.|concerning)|\((?:\w+ )?review\)"
)


def is_itc_review(text: str) -> bool:
    """Whether an ITC text speaks of five-year (sunset) reviews rather than investigations."""
    return bool(_ITC_REVIEW.search(text))


# Review names that can open the case name ("Sunset Review of Antidumping Duty Order on Certain Pasta
# From Italy; Final Results"): the stage in the subject is then a stage of that review.
REVIEW_IN_CASE_NAME = re.compile(r"\bsunset\b|\bfive-year reviews?|new shipper|changed circumstances?")


def kind_from_subject(subject: str, *, agency: Agency, context: str = "") -> NoticeKind | None:
    """The kind a normalised title subject names, in the precedence of docs/notice_kinds.md.

    None means the subject names no kind of its own; the caller then reads the abstract or
    the full text (`context` is that text, normalised, used only by the ITC rules).
    """
    if agency is Agency.OTHER:
        return NoticeKind.OTHER
    if agency is Agency.USITC:
        return itc_kind(subject, context)
    if _PRACTICE.search(subject):
        return NoticeKind.OTHER
    if _COURT.search(subject):
        return NoticeKind.COURT_DECISION
    if _CIRCUMVENTION.search(subject):
        return NoticeKind.CIRCUMVENTION
    if _SCOPE.search(subject):
        return NoticeKind.SCOPE
    if _NEW_SHIPPER.search(subject):
        return NoticeKind.NEW_SHIPPER_REVIEW
    if _CCR.search(subject):
        return NoticeKind.CHANGED_CIRCUMSTANCES_REVIEW
    if _REVOCATION_FIRST.search(subject) and not NOT_REVOKING.match(subject):
        return NoticeKind.REVOCATION
    if _SUNSET_ADVANCE.search(subject):
        return NoticeKind.SUNSET_ADVANCE_NOTICE
    if _SUNSET.search(subject) and not _SUNSET.search(_POSTPONE.sub(" ", subject)):
        # An extension of a sunset review's time limit moves a date: postponement, like any review's.
        return NoticeKind.POSTPONEMENT
    if _SUNSET_INIT.search(subject):
        return NoticeKind.SUNSET_INITIATION
    if _SUNSET.search(subject):
        return NoticeKind.SUNSET_RESULTS
    if _CONTINUATION.search(subject):
        return NoticeKind.CONTINUATION
    if _ORDER.search(_REVOKED_ORDERS.sub(" ", subject)) or _AMENDED_ORDER.search(subject):
        return NoticeKind.ORDER
    if _SUSPENSION.search(subject):
        return NoticeKind.SUSPENSION_AGREEMENT
    rest = _POSTPONE.sub(" ", subject)
    moved = rest != subject
    if _REVOCATION.search(NOT_REVOKING.sub(" ", rest)) and not (
        _PRELIM_RESULTS.search(rest) or _FINAL_RESULTS.search(rest) or _ADMIN_REVIEW.search(rest)
    ):
        # Only a notice whose whole subject is the revocation; review results that also revoke
        # a company are results with revokes=partial (docs/notice_kinds.md, "revocation").
        return NoticeKind.REVOCATION
    if _OPPORTUNITY.search(rest):
        return NoticeKind.REVIEW_OPPORTUNITY
    if _REVIEW_INIT.search(rest):
        return NoticeKind.REVIEW_INITIATION
    if _PRELIM_RESULTS.search(rest):
        return NoticeKind.REVIEW_PRELIMINARY_RESULTS
    if _FINAL_RESULTS.search(rest):
        return NoticeKind.REVIEW_FINAL_RESULTS
    if _RESCISSION.search(rest):
        return NoticeKind.REVIEW_RESCISSION
    if _INV_INIT.search(rest):
        return NoticeKind.INVESTIGATION_INITIATION
    if _PRELIM_DET.search(rest):
        return NoticeKind.PRELIMINARY_DETERMINATION
    if _FINAL_DET.search(rest):
        return NoticeKind.FINAL_DETERMINATION
    if moved:
        return NoticeKind.POSTPONEMENT
    if _REVOCATION.search(NOT_REVOKING.sub(" ", rest)):
        return NoticeKind.REVOCATION
    return None


def itc_kind(subject: str, context: str) -> NoticeKind | None:
    """ITC notices: five-year reviews are sunset kinds, investigations are itc_investigation."""
    if _SUNSET_INIT.search(subject):
        return NoticeKind.SUNSET_INITIATION
    # "; Determinations" ends both investigation and five-year review titles: the summary decides.
    review = is_itc_review(subject) or (
        not _ITC_INVESTIGATION_STEP.search(subject) and is_itc_review(context)
    )
    if _ITC_HEARING.search(subject) and not _ITC_INVESTIGATION.search(subject):
        # A hearing notice, or its cancellation, is "other" (docs/notice_kinds.md).
        return NoticeKind.OTHER
    if review:
        if re.search(r"institution|initiation", subject) or (
            not subject.strip() and re.search(r"\binstitut", context)
        ):
            return NoticeKind.SUNSET_INITIATION
        if re.search(r"\bto conduct\b|\bscheduling\b", subject):
            # Deciding to conduct a full or expedited review, or scheduling one, is procedure.
            return NoticeKind.OTHER
        if re.search(r"determinations?|\bresults\b", subject) or not subject.strip():
            return NoticeKind.SUNSET_RESULTS
        return NoticeKind.OTHER
    if _ITC_INVESTIGATION.search(subject):
        return NoticeKind.ITC_INVESTIGATION
    if not subject.strip() and re.search(r"\bdetermin|\binstitut|\bscheduling", context):
        return NoticeKind.ITC_INVESTIGATION
    return None


def kind_from_summary(text: str) -> NoticeKind | None:
    """The kind a normalised abstract, action line or summary says, for titles naming none."""
    if _COURT.search(text[:400]):
        return NoticeKind.COURT_DECISION
    if re.search(r"preliminar\w* (?:determines|finds|results)", text) and "review" in text:
        return NoticeKind.REVIEW_PRELIMINARY_RESULTS
    if re.search(r"final results|\bdetermines\b|\bfinds\b", text) and "period of review" in text:
        return NoticeKind.REVIEW_FINAL_RESULTS
    if re.search(r"\bis rescinding\b|\brescission\b", text) and "review" in text:
        return NoticeKind.REVIEW_RESCISSION
    return None


OMNIBUS = re.compile(
    r"^antidumping or countervailing duty order, finding, or suspended investigation"
    r"|^(?:notice of )?(?:initiation|rescission) of antidumping and countervailing duty administrative"
    r"|^(?:notice of )?scope rulings?|^notice of scope ruling applications"
    r"|^(?:notice of )?initiation of five-year (?:\(sunset\) )?reviews?"
)
