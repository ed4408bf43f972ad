"""Locks between workers: one poll of a source at a time, and one worker per SQLite file.

PostgreSQL: session-level advisory locks (pg_try_advisory_lock) held on a dedicated connection, so a
worker that dies (even by SIGKILL) drops its connection and PostgreSQL releases the lock at once.
SQLite: an exclusive flock(2) on a file beside the database, and one named by the database file's
identity (device and inode) so a hard link or another path to the same file is the same worker; the
kernel releases them when the process dies, so a stale lock file never blocks a restart.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

from worker.storage.database_url import redacted_url, sqlite_path


class LockBusyError(RuntimeError):
    """Another process holds the lock; the message says which and what to do."""


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for pg_advisory_lock from a lock name."""
    return int.from_bytes(hashlib.sha256(f"adcvd-watch:{name}".encode()).digest()[:8], "big", signed=True)


@contextmanager
def hold_file_lock(path: Path, *, wait: bool, holder: str = "") -> Iterator[None]:
    """An exclusive flock on `path`; raises LockBusyError at once when not waiting and it is taken.

    The lock file is removed on release, so none is left behind. Whoever takes the lock then checks
    that `path` still names the file it locked (the holder may have removed it meanwhile) and
    starts again if not, so two processes never hold locks on two different files of one name.
    """
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            other = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
            os.close(fd)
            raise LockBusyError(other or "held by another process") from None
        if _names_same_file(fd, path):
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, (holder or f"pid {os.getpid()}").encode(), 0)
        yield
    finally:
        with suppress(FileNotFoundError):
            os.unlink(path)  # while still locked: a waiter then finds its file gone and starts again
        os.close(fd)  # closing the descriptor releases the flock


def _names_same_file(fd: int, path: Path) -> bool:
    try:
        on_disk = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (on_disk.st_dev, on_disk.st_ino)


@contextmanager
def poll_lock(engine: Engine, source: str) -> Iterator[bool]:
    """Yields True when this process may poll `source` now, False when another worker is polling it."""
    path = sqlite_path(engine)
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            key = advisory_key(f"poll:{source}")
            got = bool(connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar())
            connection.commit()
            try:
                yield got
            finally:
                if got:
                    connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                    connection.commit()
        return
    if path is None:
        yield True  # an in-memory database belongs to this process alone
        return
    with ExitStack() as stack:
        try:
            stack.enter_context(hold_file_lock(path.with_name(f"{path.name}.poll-{source}.lock"), wait=False))
        except LockBusyError:
            yield False
        else:
            yield True


def identity_lock_path(database: Path) -> Path:
    """A lock file named by the database file's device and inode: every path to the file shares it.

    The file is created (empty: SQLite reads a zero-length file as a new database) if it is missing.
    """
    fd = os.open(database, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        identity = os.fstat(fd)
    finally:
        os.close(fd)
    folder = Path(tempfile.gettempdir())  # shared by every user and path on this machine
    return folder / f"adcvd-watch-sqlite-{identity.st_dev:x}-{identity.st_ino}.worker.lock"


@contextmanager
def worker_lock(engine: Engine) -> Iterator[None]:
    """One running worker per SQLite file; on PostgreSQL any number (the poll and claim locks suffice)."""
    path = sqlite_path(engine)
    if path is None:
        yield
        return
    lock_file = path.with_name(path.name + ".worker.lock")
    holder = f"pid {os.getpid()} on {path}"
    with ExitStack() as stack:
        try:
            stack.enter_context(hold_file_lock(lock_file, wait=False, holder=holder))
            # A hard link to the same file has another beside-file lock: lock its identity too.
            stack.enter_context(hold_file_lock(identity_lock_path(path), wait=False, holder=holder))
        except LockBusyError as exc:
            raise LockBusyError(
                f"another adcvd worker ({exc}) is already running on the SQLite database "
                f"{redacted_url(str(engine.url))} (lock file {lock_file}). Two workers on one SQLite file "
                "would corrupt its state: stop the other worker, or use PostgreSQL "
                "(ADCVD_DATABASE_URL=postgresql+psycopg://…) to run several."
            ) from None
        yield
