"""What the case catalog knows: how old it is, how many cases have HTS-10 lists and rates, what to do next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from worker.storage.models import Case, CaseHts, CompanyRate, Notice

STALE_AFTER = timedelta(days=14)


@dataclass(frozen=True)
class CatalogFacts:
    cases: int
    cases_with_hts10: int
    cases_with_rates: int
    newest_fact: date | None  # the newest seed date or Federal Register publication stored

    def age_days(self, today: date) -> int | None:
        return None if self.newest_fact is None else (today - self.newest_fact).days

    def next_step(self, today: date) -> str | None:
        """The command that brings the catalog up to date, when it is empty or stale."""
        if self.cases == 0:
            return "run `adcvd init` to load the seed catalog"
        if self.newest_fact is None or today - self.newest_fact > STALE_AFTER:
            since = (self.newest_fact or date(2016, 1, 1)).isoformat()
            return (
                f"run `adcvd backfill --since {since}` to read the Federal Register since then "
                "(HTS-10 lists, rates and deadlines), then `adcvd run`"
            )
        return None

    def describe(self, today: date) -> str:
        age = self.age_days(today)
        dated = (
            f"facts up to {self.newest_fact.isoformat()} ({age} days old)" if self.newest_fact else "undated"
        )
        return (
            f"catalog: {self.cases} cases, {dated}; {self.cases_with_hts10} with 10-digit HTS lists, "
            f"{self.cases_with_rates} with company rates"
        )

    def as_dict(self, today: date) -> dict[str, object]:
        return {
            "cases": self.cases,
            "cases_with_hts10": self.cases_with_hts10,
            "cases_with_rates": self.cases_with_rates,
            "newest_fact": self.newest_fact.isoformat() if self.newest_fact else None,
            "age_days": self.age_days(today),
            "next_step": self.next_step(today),
        }


def catalog_facts(session: Session) -> CatalogFacts:
    cases = session.exec(select(func.count()).select_from(Case)).one()
    with_hts10 = session.exec(
        select(func.count(func.distinct(CaseHts.case_number))).where(func.length(CaseHts.hts) == 10)
    ).one()
    with_rates = session.exec(
        select(func.count(func.distinct(CompanyRate.case_number))).where(col(CompanyRate.rate).is_not(None))
    ).one()
    dates = [
        session.exec(select(func.max(Case.as_of))).one(),
        session.exec(select(func.max(CaseHts.as_of))).one(),
        session.exec(select(func.max(Notice.publication_date))).one(),
    ]
    known = [d for d in dates if d is not None]
    return CatalogFacts(int(cases), int(with_hts10), int(with_rates), max(known) if known else None)
