"""Subscriber addresses: checked with email-validator, one subscriber per address and importer."""

from __future__ import annotations

from sqlmodel import Session

from worker.storage import people
from worker.storage.models import Subscriber


def normalize_address(text: str) -> str:
    """The address as stored (domain in lower case), or ValueError saying what is wrong with it."""
    from email_validator import EmailNotValidError, validate_email

    candidate = text.strip()
    if not candidate or any(ch in candidate for ch in '\r\n,;<>"'):
        raise ValueError(f"not one email address: {text!r}")
    try:
        return str(validate_email(candidate, check_deliverability=False).normalized)
    except EmailNotValidError as exc:
        raise ValueError(f"not a valid email address: {text!r}: {exc}") from None


def find_subscribers(session: Session, email: str, importer_id: int | None = None) -> list[Subscriber]:
    """Subscribers with this address, compared without regard to case; of one importer when given."""
    return people.find_subscribers(session, email, importer_id)


def remove_subscriber(session: Session, subscriber: Subscriber) -> int:
    """Delete the subscriber with their outbox rows and digest runs; returns how many were unsent."""
    unsent = people.delete_subscriber_rows(session, subscriber.id)
    session.delete(subscriber)
    session.flush()
    return unsent
