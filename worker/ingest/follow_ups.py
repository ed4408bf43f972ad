"""Records already stored that a later poll changes: a follow-up to their first alerts, or facts read late."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from watchers.finished import Amendment, FollowUp
from worker.storage import notice_rows, outbox_rows
from worker.storage.models import Alert


def follow_up(session: Session, item: FollowUp, *, now: datetime) -> list[Alert]:
    """Once per record still on public inspection: a follow-up in each thread of its first alerts."""
    notice = notice_rows.load_notice(session, item.document_number)
    if notice is None or not notice.on_public_inspection or notice.facts.get(item.flag):
        return []
    notice.facts = {**notice.facts, item.flag: True}
    notice.updated_at = now
    session.add(notice)
    prefix = f"{item.scope}:{notice.document_number}:subscriber:"
    follow_ups: list[Alert] = []
    for key in outbox_rows.list_alert_keys(session, prefix=prefix):
        first = outbox_rows.load_alert_by_key(session, key)
        if first is None or first.status == "digest":
            continue
        alert = Alert(
            dedupe_key=f"{item.scope}:{notice.document_number}:{item.key_word}:subscriber:{first.subscriber_id}",
            subscriber_id=first.subscriber_id,
            kind=first.kind,
            case_number=first.case_number,
            notice_document_number=notice.document_number,
            thread_key=first.thread_key,
            payload={**first.payload, **item.payload, "follows": first.dedupe_key},
            status="pending",
            created_at=now,
            next_attempt_at=now,
        )
        if outbox_rows.save_alert_if_new(session, alert):
            follow_ups.append(alert)
    return follow_ups


def amend(session: Session, item: Amendment, *, now: datetime) -> None:
    """A record still on public inspection gains the facts and columns read late (a filed PDF)."""
    notice = notice_rows.load_notice(session, item.document_number)
    if notice is None or not notice.on_public_inspection:
        return
    merged = {**notice.facts, **item.facts}
    notice.facts = {key: value for key, value in merged.items() if key not in item.drop}
    for name, value in item.columns.items():
        setattr(notice, name, value)
    if item.columns:
        notice.updated_at = now
    session.add(notice)
