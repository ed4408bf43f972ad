"""A throwaway PostgreSQL server for the test session, and a fresh database per test cloned from a template.

Uses ADCVD_TEST_POSTGRES_URL (an admin URL of a server where databases may be created) when set; else
starts a cluster with initdb/pg_ctl in a temporary directory (as the `postgres` user when run as root,
since initdb refuses root) listening on 127.0.0.1 on a free port. Without PostgreSQL the PostgreSQL
tests are skipped with the reason, except in CI (CI=true), where they fail: CI must test both backends.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.support.mail import free_port
from worker.storage.db import make_engine, upgrade_schema

TEMPLATE = "adcvd_template"
_counter = itertools.count(1)


def find_pg_bin() -> Path | None:
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def unavailable(reason: str) -> None:
    if in_ci():
        pytest.fail(f"PostgreSQL is required in CI (CI=true) but {reason}", pytrace=False)
    pytest.skip(
        f"PostgreSQL tests skipped: {reason} (install the Debian `postgresql` package, "
        "or set ADCVD_TEST_POSTGRES_URL)"
    )


@dataclass
class PostgresServer:
    """An admin URL (psycopg dialect) and the ability to hand out fresh migrated databases."""

    admin_url: str
    _created: list[str] = field(default_factory=list)

    def url_for(self, database: str) -> str:
        return make_url(self.admin_url).set(database=database).render_as_string(hide_password=False)

    def _admin(self, sql: str) -> None:
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text(sql))
        finally:
            engine.dispose()

    def prepare_template(self) -> None:
        self._admin(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")
        self._admin(f"CREATE DATABASE {TEMPLATE}")
        engine = make_engine(self.url_for(TEMPLATE))
        try:
            upgrade_schema(engine)  # the migrations themselves, run once per session
        finally:
            engine.dispose()

    def fresh_database(self) -> str:
        """A new database holding the migrated schema; returns its URL."""
        name = f"adcvd_test_{os.getpid()}_{next(_counter)}"
        self._admin(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        self._created.append(name)
        return self.url_for(name)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _run(args: list[str], *, as_postgres: bool, **kwargs: object) -> subprocess.CompletedProcess[str]:
    if as_postgres:
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=120, **kwargs)  # type: ignore[call-overload, no-any-return]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    given = os.environ.get("ADCVD_TEST_POSTGRES_URL")
    if given:
        server = PostgresServer(given)
        server.prepare_template()
        yield server
        return
    bin_dir = find_pg_bin()
    if bin_dir is None:
        unavailable("initdb/pg_ctl were not found on the PATH or under /usr/lib/postgresql")
    assert bin_dir is not None
    as_postgres = os.geteuid() == 0
    root = Path(tempfile.mkdtemp(prefix="adcvd-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if as_postgres:
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")
    port = free_port()
    try:
        _run(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync",
                "--locale=C",
            ],
            as_postgres=as_postgres,
        )
        options = (
            f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        _run(
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(root / "server.log"),
                "-w",
                "-t",
                "60",
                "start",
            ],
            as_postgres=as_postgres,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        shutil.rmtree(root, ignore_errors=True)
        unavailable(f"the throwaway server did not start: {detail.strip()[:400]}")
    server = PostgresServer(f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres")
    try:
        server.prepare_template()
        yield server
    finally:
        subprocess.run(
            [
                *(["runuser", "-u", "postgres", "--"] if as_postgres else []),
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
            capture_output=True,
            timeout=60,
            check=False,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for one test."""
    url = postgres_server.fresh_database()
    yield url
    postgres_server.drop(url)
