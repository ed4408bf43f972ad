"""Loads and saves rows; with people, outbox_rows and notice_rows the only SQL. Caller owns transactions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import or_
from sqlmodel import Session, col, func, select

from worker.storage.models import (
    Alert,
    Case,
    CaseHts,
    CompanyAlias,
    CompanyRate,
    Deadline,
    DigestRun,
    Importer,
    Notice,
    Product,
    SourceState,
    Subscriber,
)


def load_source_state(session: Session, name: str) -> SourceState:
    state = session.get(SourceState, name)
    if state is None:
        state = SourceState(name=name)
        session.add(state)
        session.flush()
    return state


def save_poll_success(
    session: Session,
    source: str,
    *,
    now: datetime,
    cursor: str | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    keep_validators: bool = False,
) -> SourceState:
    """A poll went through: advance the cursor (never backwards), store validators, clear failures."""
    state = load_source_state(session, source)
    if cursor and (state.cursor is None or cursor > state.cursor):
        state.cursor = cursor
    if not keep_validators:
        state.etag, state.last_modified = etag, last_modified
    state.last_success_at = state.last_attempt_at = now
    state.consecutive_failures = 0
    state.last_error = None
    session.add(state)
    return state


def record_set_aside(session: Session, source: str, set_aside: dict[str, str]) -> SourceState:
    """Documents a poll could not read count as a failure of that poll, named in its last error."""
    state = load_source_state(session, source)
    state.consecutive_failures += 1
    named = "; ".join(f"{number}: {reason}" for number, reason in sorted(set_aside.items()))
    state.last_error = f"{len(set_aside)} document(s) set aside: {named}"[:500]
    session.add(state)
    return state


MAIL_SERVER = "mail_server"  # a source_state row for the SMTP server: blocked since when, and why


def list_source_states(session: Session) -> list[SourceState]:
    """The polled sources (the mail server's row is not one)."""
    query = select(SourceState).where(SourceState.name != MAIL_SERVER).order_by(col(SourceState.name))
    return list(session.exec(query))


def record_mail_blocked(session: Session, error: str, now: datetime) -> None:
    """The mail server refused us (login, connection): keep since when, and the latest reason."""
    state = session.get(SourceState, MAIL_SERVER) or SourceState(name=MAIL_SERVER)
    if not state.consecutive_failures:
        state.last_attempt_at = now  # blocked since
    state.consecutive_failures += 1
    state.last_error = error[:500]
    session.add(state)


def record_mail_delivered(session: Session, now: datetime) -> None:
    """The mail server accepted a message: delivery is no longer blocked."""
    state = session.get(SourceState, MAIL_SERVER)
    if state is None or not state.consecutive_failures:
        return
    state.consecutive_failures = 0
    state.last_error = None
    state.last_success_at = now
    session.add(state)


def mail_blocked(session: Session) -> tuple[datetime, str] | None:
    """(blocked since, reason) while the mail server refuses delivery; None when it does not."""
    state = session.get(SourceState, MAIL_SERVER)
    if state is None or not state.consecutive_failures or state.last_attempt_at is None:
        return None
    return state.last_attempt_at, state.last_error or "unknown error"


def known_document_numbers(session: Session, numbers: Iterable[str]) -> set[str]:
    wanted = list(numbers)
    if not wanted:
        return set()
    rows = session.exec(select(Notice.document_number).where(col(Notice.document_number).in_(wanted)))
    return set(rows)


def published_document_numbers(session: Session, numbers: Iterable[str]) -> set[str]:
    """Numbers already read as published notices (a public-inspection filing does not count)."""
    wanted = list(numbers)
    if not wanted:
        return set()
    rows = session.exec(
        select(Notice.document_number).where(
            col(Notice.document_number).in_(wanted),
            col(Notice.on_public_inspection).is_(False),
            col(Notice.kind) != "awaiting_full_text",  # worker.ingest.full_text: its full text is read again
        )
    )
    return set(rows)


def load_notice(session: Session, document_number: str) -> Notice | None:
    return session.exec(select(Notice).where(Notice.document_number == document_number)).first()


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


def load_importer(session: Session, name: str) -> Importer | None:
    return session.exec(select(Importer).where(Importer.name == name)).first()


def load_or_create_importer(session: Session, name: str) -> Importer:
    importer = load_importer(session, name)
    if importer is None:
        importer = Importer(name=name)
        session.add(importer)
        session.flush()
    return importer


def load_aliases(session: Session, importer_id: int) -> dict[str, str]:
    """The importer's alias table: the name in their records -> the name as Commerce lists it."""
    rows = session.exec(select(CompanyAlias).where(CompanyAlias.importer_id == importer_id))
    return {row.alias: row.canonical for row in rows}


def save_alias(session: Session, *, importer_id: int, alias: str, canonical: str) -> bool:
    """Add or change one alias; True when it is new."""
    row = session.exec(
        select(CompanyAlias).where(CompanyAlias.importer_id == importer_id, CompanyAlias.alias == alias)
    ).first()
    created = row is None
    row = row or CompanyAlias(importer_id=importer_id, alias=alias, canonical=canonical)
    row.canonical = canonical
    session.add(row)
    return created


def list_importers(session: Session) -> list[Importer]:
    return list(session.exec(select(Importer).order_by(col(Importer.name))))


def list_products(
    session: Session, *, importer_id: int | None = None, country: str | None = None
) -> list[Product]:
    query = select(Product)
    if importer_id is not None:
        query = query.where(Product.importer_id == importer_id)
    if country is not None:
        query = query.where(Product.country == country)
    return list(session.exec(query.order_by(col(Product.importer_id), col(Product.sku))))


def list_products_in_countries(session: Session, countries: Iterable[str]) -> list[Product]:
    wanted = sorted(set(countries))
    if not wanted:
        return []
    return list(session.exec(select(Product).where(col(Product.country).in_(wanted))))


def list_subscribers(session: Session, *, importer_ids: Iterable[int] | None = None) -> list[Subscriber]:
    query = select(Subscriber)
    if importer_ids is not None:
        query = query.where(col(Subscriber.importer_id).in_(list(importer_ids)))
    return list(session.exec(query.order_by(col(Subscriber.id))))


def load_subscriber(session: Session, *, email: str, importer_id: int | None) -> Subscriber | None:
    return session.exec(
        select(Subscriber).where(Subscriber.email == email, Subscriber.importer_id == importer_id)
    ).first()


def alert_exists(session: Session, dedupe_key: str) -> bool:
    return session.exec(select(Alert.id).where(Alert.dedupe_key == dedupe_key)).first() is not None


def save_alert_if_new(session: Session, alert: Alert) -> bool:
    """Insert the alert unless its dedupe key is already in the outbox (sent or not)."""
    if alert_exists(session, alert.dedupe_key):
        return False
    session.add(alert)
    session.flush()
    return True


def first_message_id_of_thread(session: Session, *, subscriber_id: int, thread_key: str) -> str | None:
    if not thread_key:
        return None
    return session.exec(
        select(Alert.message_id)
        .where(
            Alert.subscriber_id == subscriber_id,
            Alert.thread_key == thread_key,
            Alert.status == "sent",  # kept from the first attempt: thread under sent ones only
            col(Alert.message_id).is_not(None),
        )
        .order_by(col(Alert.id))
    ).first()


def claim_due_alerts(session: Session, *, now: datetime, lease: timedelta, limit: int) -> list[Alert]:
    """Pending alerts whose time has come, and sending ones whose lease expired (a worker died)."""
    query = (
        select(Alert)
        .where(
            or_(
                (col(Alert.status) == "pending")
                & (or_(col(Alert.next_attempt_at).is_(None), col(Alert.next_attempt_at) <= now)),
                (col(Alert.status) == "sending") & (col(Alert.claimed_until) < now),
            )
        )
        .order_by(col(Alert.id))
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    alerts = list(session.exec(query))
    for alert in alerts:
        alert.status = "sending"
        alert.claimed_until = now + lease
        session.add(alert)
    return alerts


def load_alert(session: Session, alert_id: int) -> Alert | None:
    return session.get(Alert, alert_id)


def list_alerts(session: Session, *, status: str | None = None, limit: int = 200) -> list[Alert]:
    query = select(Alert)
    if status:
        query = query.where(Alert.status == status)
    return list(session.exec(query.order_by(col(Alert.id).desc()).limit(limit)))


def count_alerts_by_status(session: Session) -> dict[str, int]:
    rows = session.exec(select(Alert.status, func.count()).group_by(col(Alert.status)))
    return {status: count for status, count in rows}


def list_notices(
    session: Session, *, since: date | None = None, kinds: Sequence[str] | None = None
) -> list[Notice]:
    query = select(Notice)
    if since is not None:
        query = query.where(col(Notice.publication_date) >= since)
    if kinds:
        query = query.where(col(Notice.kind).in_(list(kinds)))
    return list(session.exec(query.order_by(col(Notice.publication_date), col(Notice.document_number))))


def list_alert_keys(session: Session, *, prefix: str) -> list[str]:
    """Dedupe keys that start with `prefix` (operator alerts are keyed by what they report)."""
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    query = select(Alert.dedupe_key).where(col(Alert.dedupe_key).like(escaped + "%", escape="\\"))
    return list(session.exec(query.order_by(col(Alert.id))))


def latest_publication_date(session: Session, *, source: str, agency: str) -> date | None:
    query = select(func.max(Notice.publication_date)).where(Notice.source == source, Notice.agency == agency)
    return session.exec(query).first()


def load_operator_subscriber(session: Session, email: str) -> Subscriber:
    """The operator's subscriber row (no importer), created on first use."""
    row = session.exec(
        select(Subscriber).where(Subscriber.email == email, col(Subscriber.importer_id).is_(None))
    ).first()
    if row is None:
        row = Subscriber(email=email, importer_id=None, role="operator", digest="none")
        session.add(row)
        session.flush()
    return row


def outbox_backlog(session: Session) -> tuple[int, datetime | None]:
    """Alerts not yet sent nor given up (pending or being sent), and the oldest one's creation time."""
    waiting = col(Alert.status).in_(["pending", "sending"])
    count = session.exec(select(func.count()).select_from(Alert).where(waiting)).one()
    oldest = session.exec(select(func.min(Alert.created_at)).where(waiting)).first()
    return int(count), oldest


def list_cases_in_countries(session: Session, countries: Iterable[str]) -> list[Case]:
    wanted = sorted(set(countries))
    if not wanted:
        return []
    query = select(Case).where(col(Case.country).in_(wanted)).order_by(col(Case.case_number))
    return list(session.exec(query))


def load_notices(session: Session, document_numbers: Iterable[str]) -> dict[str, Notice]:
    wanted = sorted(set(document_numbers))
    if not wanted:
        return {}
    rows = session.exec(select(Notice).where(col(Notice.document_number).in_(wanted)))
    return {notice.document_number: notice for notice in rows}


def first_message_ids_for_cases(
    session: Session, *, subscriber_id: int, case_numbers: Iterable[str], before_alert_id: int | None = None
) -> list[str]:
    """Message-IDs already sent to the subscriber about any of the cases, oldest first (the thread)."""
    wanted = sorted({c for c in case_numbers if c})
    if not wanted:
        return []
    query = select(Alert.id, Alert.case_number, Alert.message_id).where(
        Alert.subscriber_id == subscriber_id,
        Alert.status == "sent",
        col(Alert.message_id).is_not(None),
        or_(*(col(Alert.case_number).contains(case) for case in wanted)),
    )
    if before_alert_id is not None:
        query = query.where(col(Alert.id) < before_alert_id)
    found: list[str] = []
    for _id, numbers, message_id in session.exec(query.order_by(col(Alert.id))):
        if message_id and set(numbers.split(",")) & set(wanted) and message_id not in found:
            found.append(message_id)
    return found


def list_subscriber_alerts(
    session: Session,
    *,
    subscriber_id: int,
    kinds: Sequence[str] | None = None,
    created_from: datetime | None = None,
    created_before: datetime | None = None,
) -> list[Alert]:
    query = select(Alert).where(Alert.subscriber_id == subscriber_id)
    if kinds:
        query = query.where(col(Alert.kind).in_(list(kinds)))
    if created_from is not None:
        query = query.where(col(Alert.created_at) >= created_from)
    if created_before is not None:
        query = query.where(col(Alert.created_at) < created_before)
    return list(session.exec(query.order_by(col(Alert.id))))


def list_subscribers_by_email(session: Session, email: str) -> list[Subscriber]:
    query = select(Subscriber).where(Subscriber.email == email)
    return list(session.exec(query.order_by(col(Subscriber.id))))


def latest_digest_run(session: Session, *, subscriber_id: int) -> DigestRun | None:
    query = select(DigestRun).where(DigestRun.subscriber_id == subscriber_id)
    return session.exec(query.order_by(col(DigestRun.week_start).desc())).first()
