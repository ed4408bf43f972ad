"""Database engine, sessions and the schema (Alembic migrations); the caller owns each transaction."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, create_engine

from worker.storage import models  # noqa: F401  (registers the tables)
from worker.storage.database_url import redacted_url, sqlite_path

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BASELINE_REVISION = "0001"  # the schema `create_all` built before migrations existed
MIGRATION_LOCK_KEY = 0x4144_4356_0001  # pg_advisory_xact_lock key: one migrating process at a time


class DatabaseConfigError(ValueError):
    """ADCVD_DATABASE_URL cannot work as given; the message says what to change."""


def make_engine(database_url: str) -> Engine:
    """An engine for SQLite or PostgreSQL; DatabaseConfigError when the URL cannot work here."""
    if database_url.startswith("sqlite"):
        engine = create_engine(database_url, connect_args={"timeout": 30})
        path = sqlite_path(engine)
        if path is not None and not path.parent.is_dir():
            raise DatabaseConfigError(
                f"ADCVD_DATABASE_URL: the folder {path.parent} of the SQLite database does not exist; "
                "create it or choose another path"
            )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            # WAL + NORMAL: a commit survives the process being killed (only power loss can drop the newest
            # ones); it skips the fsync per commit, which keeps "accepted by SMTP, not yet marked sent" short.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    try:
        return create_engine(database_url, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        raise DatabaseConfigError(
            f"ADCVD_DATABASE_URL: the database driver {exc.name!r} is not installed; "
            "install it with: pip install 'adcvd-watch[postgres]' (psycopg 3)"
        ) from None
    except Exception as exc:  # sqlalchemy.exc.ArgumentError and the like: a URL that does not parse
        raise DatabaseConfigError(
            f"ADCVD_DATABASE_URL: cannot use {redacted_url(database_url)}: {exc}"
        ) from None


def alembic_config(connection: Connection) -> Any:
    """Alembic's configuration built in code: no alembic.ini; env.py runs on `connection`."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    config = alembic_config(None)  # type: ignore[arg-type]
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return str(head)


def current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def upgrade_schema(engine: Engine) -> str:
    """Bring the schema to the newest revision; returns what was done. Safe to run concurrently."""
    from alembic import command

    if logging.getLogger("alembic").level == logging.NOTSET:
        logging.getLogger("alembic").setLevel(logging.WARNING)  # one line per migration step is noise here
    head = head_revision()
    with engine.connect() as probe:
        if current_revision(probe) == head:
            return f"schema at revision {head}"
    with _migration_guard(engine), engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
        before = current_revision(connection)
        if before == head:
            return f"schema at revision {head}"
        config = alembic_config(connection)
        if before is None and inspect(connection).has_table("alert"):
            # Built by create_all before migrations existed: adopt it as the baseline revision.
            command.stamp(config, BASELINE_REVISION)
            before = BASELINE_REVISION
        command.upgrade(config, "head")
    return f"schema upgraded from {before or 'empty'} to revision {head}"


@contextmanager
def _migration_guard(engine: Engine) -> Iterator[None]:
    """SQLite has no advisory locks: a lock file beside the database serialises migrating processes."""
    path = sqlite_path(engine)
    if path is None:
        yield
        return
    from worker.storage.locks import hold_file_lock

    with hold_file_lock(path.with_name(path.name + ".migrate.lock"), wait=True):
        yield


def write_revision(message: str) -> str:
    """Autogenerate the next migration: upgrade a scratch SQLite database to head, diff it with the models."""
    import tempfile

    from alembic import command

    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(f"sqlite:///{scratch}/scratch.db")
        try:
            upgrade_schema(engine)
            head = head_revision()
            with engine.begin() as connection:
                script = command.revision(
                    alembic_config(connection),
                    message=message,
                    autogenerate=True,
                    rev_id=f"{int(head) + 1:04d}" if head.isdigit() else None,
                )
        finally:
            engine.dispose()
    return str(getattr(script, "path", script))


def create_schema(engine: Engine) -> None:
    """Create or upgrade the schema through the migrations, so every database has a revision."""
    upgrade_schema(engine)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One unit of work: committed on success, rolled back on any error."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session
