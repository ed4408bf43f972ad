"""Bootstraps the case catalog (Case, CaseHts) from worker/data/seed_catalog.json, idempotently."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from sqlmodel import Session

from worker.storage import case_rows
from worker.storage.models import Case, CaseHts

CASE_FIELDS = ("case_type", "country", "country_name", "product", "status", "order_date", "source", "as_of")


@dataclass(frozen=True)
class LoadSummary:
    """What one load did; 'kept' counts rows whose stored facts are newer than the seed."""

    cases_created: int = 0
    cases_updated: int = 0
    cases_unchanged: int = 0
    cases_kept: int = 0
    hts_created: int = 0
    hts_updated: int = 0
    hts_unchanged: int = 0
    hts_kept: int = 0

    def __str__(self) -> str:
        cases = self.cases_created + self.cases_updated + self.cases_unchanged + self.cases_kept
        return (
            f"{cases} seed cases ({self.cases_created} new, {self.cases_updated} updated), "
            f"{self.hts_created + self.hts_updated + self.hts_unchanged + self.hts_kept} HTS codes"
        )


def read_seed_catalog(path: Path | None = None) -> dict[str, Any]:
    """The seed catalog document: provenance, cases and HTS lists."""
    if path is not None:
        text = path.read_text(encoding="utf-8")
    else:
        text = resources.files("worker").joinpath("data/seed_catalog.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _as_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _seed_case_values(entry: dict[str, Any]) -> dict[str, Any]:
    values = {name: entry[name] for name in CASE_FIELDS}
    values["order_date"] = _as_date(entry["order_date"])
    values["as_of"] = _as_date(entry["as_of"])
    return values


def _is_newer(stored: date | None, seed: date | None) -> bool:
    # A stored fact without a date is treated as newer: the seed only fills what is missing.
    return stored is None or (seed is not None and stored > seed)


def load_seed_catalog(session: Session, path: Path | None = None) -> LoadSummary:
    """Insert or update Case and CaseHts rows from the seed; never overwrite newer facts.

    A stored row whose as_of is later than the seed's (or unknown) keeps its values; only its
    empty fields are filled. The caller owns the transaction.
    """
    seed = read_seed_catalog(path)
    counts = dict.fromkeys(LoadSummary.__dataclass_fields__, 0)
    stored_cases = {c.case_number: c for c in case_rows.list_cases(session)}
    for entry in seed["cases"]:
        values = _seed_case_values(entry)
        case = stored_cases.get(entry["case_number"])
        if case is None:
            session.add(Case(case_number=entry["case_number"], **values))
            counts["cases_created"] += 1
            continue
        if _is_newer(case.as_of, values["as_of"]):
            blanks = {
                k: v
                for k, v in values.items()
                if getattr(case, k) in (None, "", "unknown") and v not in (None, "", "unknown")
            }
            for key, value in blanks.items():
                setattr(case, key, value)
            counts["cases_kept"] += 1
            continue
        changed = {k: v for k, v in values.items() if getattr(case, k) != v}
        for key, value in changed.items():
            setattr(case, key, value)
        counts["cases_updated" if changed else "cases_unchanged"] += 1
    session.flush()  # cases first: case_hts refers to them

    stored_hts = {(h.case_number, h.hts): h for h in case_rows.list_case_hts(session)}
    for listing in seed["hts"]:
        as_of = _as_date(listing["as_of"])
        source = f"{listing['source']}: {listing['method']}"
        for code in listing["codes"]:
            row = stored_hts.get((listing["case_number"], code))
            if row is None:
                session.add(CaseHts(case_number=listing["case_number"], hts=code, source=source, as_of=as_of))
                counts["hts_created"] += 1
            elif _is_newer(row.as_of, as_of):
                counts["hts_kept"] += 1
            elif (row.source, row.as_of) != (source, as_of):
                row.source, row.as_of = source, as_of
                counts["hts_updated"] += 1
            else:
                counts["hts_unchanged"] += 1
    session.flush()
    return LoadSummary(**counts)
