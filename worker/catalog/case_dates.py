"""An order's dates on its case, as the investigation's notices state them; never computed when absent."""

from __future__ import annotations

import re
from datetime import date

from watchers.case_numbers import case_type_of
from watchers.order_dates import (
    ITC_FINAL_NOTIFIED,
    ITC_FINAL_PUBLISHED,
    PRELIMINARY_PUBLISHED,
    PROVISIONAL_END,
    STATING_KINDS,
    dates_for_case,
)
from watchers.records import Classification, NoticeFacts, NoticeKind
from worker.storage.models import Case

COLUMNS = {
    PRELIMINARY_PUBLISHED: "preliminary_published",
    PROVISIONAL_END: "provisional_end",
    ITC_FINAL_NOTIFIED: "itc_final_notified",
    ITC_FINAL_PUBLISHED: "itc_final_published",
}
_CLAUSE_SPLIT = re.compile(r",|;|\band\b|(?=\bpreliminary\b)", re.IGNORECASE)
_NOT_THE_DETERMINATION = ("critical circumstances", "postponement", "circumvention", "no shipments", "scope")


def affirmative_preliminary(title: str) -> bool:
    """Whether a preliminary determination's title makes the main determination affirmative.

    'Preliminary Affirmative Determination of Sales at Less Than Fair Value, Preliminary Negative
    Determination of Critical Circumstances' is affirmative; the critical-circumstances clause, a
    postponement, a circumvention inquiry are not the determination. An amended one is not the first.
    """
    lowered = title.lower()
    if "amended" in lowered or ":" not in lowered:
        return False
    clauses = [c for c in _CLAUSE_SPLIT.split(lowered.split(":", 1)[1]) if "determination" in c]
    main = [c for c in clauses if not any(words in c for words in _NOT_THE_DETERMINATION)]
    return bool(main) and "affirmative" in main[0] and "negative" not in main[0]


def affirmative_critical_circumstances(title: str) -> bool:
    """'Preliminary Affirmative Critical Circumstances Determination, in Part': liquidation was then
    suspended 90 days before the publication for some entries (19 U.S.C. 1671b(e)/1673b(e))."""
    clauses = _CLAUSE_SPLIT.split(title.lower().split(":", 1)[-1])
    return any("critical circumstances" in c and "affirmative" in c for c in clauses)


def apply_case_dates(
    case: Case,
    *,
    facts: NoticeFacts,
    classification: Classification,
    title: str,
    published: date | None,
    document_number: str,
) -> list[str]:
    """Set the case's dates the notice states; returns the columns set.

    An order (or its correction) states them definitively and overwrites; the other investigation
    notices fill only dates not yet known. An affirmative preliminary determination's own
    publication is the day liquidation is first suspended, unless it also finds critical
    circumstances (then suspension reaches back 90 days for some entries: the order says which).
    """
    if classification.kind not in STATING_KINDS:
        return []
    overwrite = classification.kind is NoticeKind.ORDER
    stated: dict[str, date] = {
        COLUMNS[kind]: fact.day
        for kind, fact in dates_for_case(facts.case_dates, case_type_of(case.case_number)).items()
    }
    if (
        classification.kind is NoticeKind.PRELIMINARY_DETERMINATION
        and not classification.is_correction
        and published is not None
        and affirmative_preliminary(title)
        and not affirmative_critical_circumstances(title)
    ):
        stated["preliminary_published"] = published
    changed = [
        column
        for column, day in stated.items()
        if getattr(case, column) != day and (overwrite or getattr(case, column) is None)
    ]
    for column in changed:
        setattr(case, column, stated[column])
    if changed:
        sources = [s for s in (case.dates_source or "").split(", ") if s]
        case.dates_source = ", ".join(dict.fromkeys([*sources, document_number]))
    return changed
