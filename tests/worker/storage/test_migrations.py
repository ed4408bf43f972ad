"""The migrations build exactly the schema the models describe, adopt pre-migration databases, and
`adcvd init` upgrades to the newest revision."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel
from typer.testing import CliRunner

from worker.app.cli import app
from worker.storage.db import current_revision, head_revision, make_engine, upgrade_schema


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    """Fails when a model changed without a revision: run `adcvd db revision -m "what changed"`."""
    with engine.connect() as connection:
        assert current_revision(connection) == head_revision()
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_a_database_built_before_migrations_is_adopted_then_upgraded(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import text

    from worker.storage.db import alembic_config

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    # What create_all built before migrations existed: the schema of revision 0001, with no revision table
    # (built by the 0001 migration itself, so columns later revisions add to old tables are not there yet).
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
        connection.execute(text("DROP TABLE alembic_version"))
    assert "upgraded from 0001" in upgrade_schema(engine)
    with engine.connect() as connection:
        assert current_revision(connection) == head_revision()
    engine.dispose()


def test_init_upgrades_to_the_newest_revision_and_says_so(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'adcvd.db'}"
    result = CliRunner().invoke(app, ["init"], env={"ADCVD_DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    assert f"revision {head_revision()}" in result.output
    again = CliRunner().invoke(app, ["db", "current"], env={"ADCVD_DATABASE_URL": url})
    assert f"revision {head_revision()}; newest {head_revision()}" in again.output
