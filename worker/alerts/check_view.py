"""What `adcvd check` found for one shipment, as the JSON it prints and the portfolio page shows."""

from __future__ import annotations

from typing import Any

from worker.alerts.matching import ShipmentCandidate, ShipmentCheck
from worker.rules.cascade import CascadeResult
from worker.rules.hts import format_hts

NO_RATE = "no rate in catalog"


def text_or_none(value: Any) -> Any:
    """str(value), or None."""
    return None if value is None else str(value)


def rate_text(result: CascadeResult) -> str:
    """`12.5%`, or that the catalog has no rate."""
    return NO_RATE if result.rate is None else f"{result.rate}%"


def candidate_json(c: ShipmentCandidate) -> dict[str, Any]:
    """One candidate case: the match, the cascade step and rate, the estimated duty."""
    m, r = c.match, c.cascade
    return {
        "case_number": m.case.case_number,
        "case_type": m.case.case_type,
        "product": m.case.product,
        "status": m.case.status,
        "case_country": m.case.country,
        "match": {
            "basis": m.basis,
            "level": m.level,
            "relation": m.relation,
            "listed_hts": m.listed_hts,
            "confidence": m.confidence,
            "standing": m.standing,
            "description_words": list(m.description_words),
            "country_match": m.country_match,
            "hts_source": c.hts_source,
        },
        "rate": {
            "step": r.step,
            "rate": text_or_none(r.rate),
            "rate_kind": r.rate_kind or None,
            "text": rate_text(r),
            "notice_document_number": r.notice_document_number or None,
            "effective_date": text_or_none(r.effective_date),
            "citation": r.citation,
            "name_match_score": r.match_score,
            "name_match_status": r.match_status,
            "possible_matches": [
                {"name": p.name, "candidate": p.candidate, "score": p.score} for p in r.possible_matches
            ],
            "notes": list(r.notes),
        },
        "estimated_duty": text_or_none(c.estimated_duty),
    }


def check_json(result: ShipmentCheck) -> dict[str, Any]:
    """The JSON document `adcvd check --json` prints."""
    return {
        "hts": result.hts,
        "hts_formatted": format_hts(result.hts),
        "country": result.country,
        "entry_date": result.entry_date.isoformat(),
        "value": text_or_none(result.value),
        "candidates": [candidate_json(c) for c in result.candidates],
        "stacks": [
            {
                "product": key,
                "ad": s.ad.case_number if s.ad else None,
                "cvd": s.cvd.case_number if s.cvd else None,
                "total": text_or_none(s.total),
                "complete": s.complete,
                "notes": list(s.notes),
            }
            for key, s in result.stacks
        ],
        "notes": list(result.notes),
    }
