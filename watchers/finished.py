"""Finished records: what every source's watcher hands the one ingest path, and what it is given to read."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Protocol

from watchers.full_text import Waiting
from watchers.http import Fetcher, RateLimiter, Validators
from watchers.records import Classification, NoticeFacts

SAVE_BATCH = 50  # records per transaction in one poll: a big day never holds the database for long


def jsonable(value: Any) -> Any:
    """Facts as JSON for the notice row: dates ISO, decimals as strings, enums by value."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    return value


# --- what a watcher is given ---------------------------------------------------------------


@dataclass(frozen=True)
class StoredState:
    """The source's state as the last poll left it: its cursor and the validators it stored."""

    cursor: str | None = None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def validators(self) -> Validators:
        return Validators(self.etag, self.last_modified)


@dataclass(frozen=True)
class ReadRequest:
    """One poll as a watcher sees it: where to read, the stored state, and how."""

    base_url: str
    now: datetime
    state: StoredState = StoredState()
    since: date | None = None  # read from this day (the Federal Register); None: from the cursor
    dry_run: bool = False  # read and count; the driver saves nothing
    prime_days: int = 30  # a source with no cursor reads this far back (if it reads by date)
    full_text_limiter: RateLimiter | None = None  # spaces full-text downloads
    filed_copy_url: str | None = None  # where filed copies (public-inspection PDFs) are; None: not read
    bust_cache: bool = True  # ask past a shared cache where the source has one
    batch_size: int = SAVE_BATCH


@dataclass(frozen=True)
class PendingCopy:
    """A stored record whose filed copy could not be read yet, with the polls that failed on it."""

    document_number: str
    url: str
    failures: int


class StoredRecords(Protocol):
    """What a watcher may ask of the stored records (answered by the ingest path, read-only)."""

    def known(self, numbers: Iterable[str]) -> set[str]:
        """The numbers stored in any form (a filing, a notice, a placeholder)."""
        ...

    def published(self, numbers: Iterable[str]) -> set[str]:
        """The numbers stored as read notices (not a filing, not a placeholder waiting for its text)."""
        ...

    def full_text_failures(self, numbers: Iterable[str]) -> dict[str, int]:
        """Polls that already failed on each document's full text."""
        ...

    def copies_to_retry(self, counter: str, attempts: int) -> list[PendingCopy]:
        """Records on public inspection whose facts count 0 < `counter` < `attempts` failed reads."""
        ...


@dataclass
class Tally:
    """What a read found, as the poll's report says it; filled in by the watcher as it reads."""

    primed: bool = False  # the records are stored without alerting anyone
    not_modified: bool = False
    seen: int = 0
    new: int = 0
    unread: dict[str, list[str]] = field(default_factory=dict)
    set_aside: dict[str, str] = field(default_factory=dict)  # unreadable results, with the reason
    gave_up: dict[str, str] = field(default_factory=dict)  # full texts that never came: metadata only


# --- what a watcher hands back -------------------------------------------------------------


@dataclass(frozen=True)
class CatalogEntry:
    """What a record tells the catalog: the notice's classification and the facts read from it."""

    classification: Classification
    facts: NoticeFacts
    published: date | None
    # The case numbers read from the notice itself; None: all of facts.case_numbers were. Only these
    # can a revocation mark revoked (worker.catalog.apply).
    cases_read: tuple[str, ...] | None = None


@dataclass(frozen=True)
class EarlySignal:
    """The record is not the notice yet: an early signal to each of its cases, with this summary."""

    case_numbers: tuple[str, ...]
    summary: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StageSignal:
    """The record announces a notice of this classification on these cases (a filing whose cases are known):
    the events that notice will raise."""

    classification: Classification
    case_numbers: tuple[str, ...]


@dataclass(frozen=True)
class CandidateSignal:
    """The record names a product and countries but no case: an early signal to each catalog case of
    that product and country (found by the ingest path), each summary `summary_head` and why."""

    product: str
    country_names: tuple[str, ...]
    summary_head: str


Signal = EarlySignal | StageSignal | CandidateSignal


@dataclass(frozen=True)
class OwnAlerts:
    """Alerts kept apart from the published notice's: keyed `{scope}:{number}:subscriber:{id}`."""

    scope: str
    payload: dict[str, Any] = field(default_factory=dict)  # added to each alert's payload


@dataclass(frozen=True)
class FinishedRecord:
    """One document read by a watcher: the notice row to save and what it changes or signals."""

    document_number: str
    title: str
    columns: dict[str, Any]  # the notice row's columns (facts as JSON), set on a new or a known row
    catalog: CatalogEntry | None  # None: not law (a filing on public inspection): the catalog stays
    citation: str | None = None
    signal: Signal | None = None  # its events; None: the catalog's change
    event_details: dict[str, Any] = field(default_factory=dict)  # added to each event's details
    own_alerts: OwnAlerts | None = None
    only_if_new: bool = False  # a filing: stored once, never over a row already there


@dataclass(frozen=True)
class FollowUp:
    """A record already alerted changed (a withdrawal request): once, a follow-up in each thread of its
    `scope` alerts, marked with `payload`; `flag` (a facts key) says it was sent."""

    document_number: str
    scope: str
    flag: str
    key_word: str  # the follow-up's key: `{scope}:{number}:{key_word}:subscriber:{id}`
    payload: dict[str, Any]


@dataclass(frozen=True)
class Amendment:
    """A stored record read further at a later poll (a filed copy read late): its facts gain `facts`
    and lose `drop`, its columns become `columns`; only while the record is on public inspection."""

    document_number: str
    facts: dict[str, Any]
    drop: tuple[str, ...] = ()
    columns: dict[str, Any] = field(default_factory=dict)


Record = FinishedRecord | FollowUp | Amendment


@dataclass(frozen=True)
class Batch:
    """Records saved in one transaction with the state to store after them."""

    records: list[Record]
    cursor: str | None = None  # never moves backwards; None: unchanged
    validators: Validators | None = None  # None: keep the stored ones
    waiting: list[Waiting] = field(default_factory=list)  # documents to read again: their attempts counted
    set_aside: dict[str, str] = field(default_factory=dict)  # counted as a failure of the poll


class Reader(Protocol):
    """A source's `read_new`: batches of finished records; SourceError when the source fails."""

    def __call__(
        self, fetcher: Fetcher, request: ReadRequest, stored: StoredRecords, tally: Tally
    ) -> AsyncIterator[Batch]: ...
