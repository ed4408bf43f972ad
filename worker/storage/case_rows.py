"""The catalog's rows: cases, their HTS codes, company rates and deadlines; caller owns the transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlmodel import Session, col, select

from worker.storage.models import (
    Case,
    CaseHts,
    CompanyRate,
    Deadline,
)


def load_case(session: Session, case_number: str) -> Case | None:
    return session.exec(select(Case).where(Case.case_number == case_number)).first()


def load_cases(session: Session, case_numbers: Iterable[str]) -> list[Case]:
    wanted = list(case_numbers)
    if not wanted:
        return []
    return list(session.exec(select(Case).where(col(Case.case_number).in_(wanted))))


def list_cases(session: Session) -> list[Case]:
    return list(session.exec(select(Case).order_by(col(Case.case_number))))


def list_case_hts(session: Session, case_numbers: Iterable[str] | None = None) -> list[CaseHts]:
    query = select(CaseHts)
    if case_numbers is not None:
        query = query.where(col(CaseHts.case_number).in_(list(case_numbers)))
    return list(session.exec(query))


def add_case_hts(session: Session, *, case_number: str, hts: str, source: str, as_of: date | None) -> bool:
    exists = session.exec(
        select(CaseHts).where(CaseHts.case_number == case_number, CaseHts.hts == hts)
    ).first()
    if exists:
        return False
    session.add(CaseHts(case_number=case_number, hts=hts, source=source, as_of=as_of))
    return True


def list_rates(session: Session, case_numbers: Iterable[str] | None = None) -> list[CompanyRate]:
    query = select(CompanyRate)
    if case_numbers is not None:
        query = query.where(col(CompanyRate.case_number).in_(list(case_numbers)))
    return list(session.exec(query.order_by(col(CompanyRate.id))))


def load_rate_in_notice(
    session: Session, *, case_number: str, exporter: str, producer: str, notice_document_number: str
) -> CompanyRate | None:
    return session.exec(
        select(CompanyRate).where(
            CompanyRate.case_number == case_number,
            CompanyRate.exporter == exporter,
            CompanyRate.producer == producer,
            CompanyRate.notice_document_number == notice_document_number,
        )
    ).first()


def load_deadline(
    session: Session, *, case_number: str, kind: str, due_date: date, notice_document_number: str
) -> Deadline | None:
    return session.exec(
        select(Deadline).where(
            Deadline.case_number == case_number,
            Deadline.kind == kind,
            Deadline.due_date == due_date,
            Deadline.notice_document_number == notice_document_number,
        )
    ).first()


def list_deadlines(session: Session, *, due_from: date, due_to: date) -> list[Deadline]:
    query = (
        select(Deadline)
        .where(Deadline.due_date >= due_from, Deadline.due_date <= due_to)
        .order_by(col(Deadline.due_date), col(Deadline.case_number))
    )
    return list(session.exec(query))


def list_cases_in_countries(session: Session, countries: Iterable[str]) -> list[Case]:
    wanted = sorted(set(countries))
    if not wanted:
        return []
    query = select(Case).where(col(Case.country).in_(wanted)).order_by(col(Case.case_number))
    return list(session.exec(query))
