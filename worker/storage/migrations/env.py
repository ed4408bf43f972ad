"""Alembic environment: runs on the connection worker.storage.db hands over (no alembic.ini)."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import create_engine
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

from worker.storage import models  # registers the tables on SQLModel.metadata

target_metadata = SQLModel.metadata


def render_item(kind: str, item: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Revisions name plain SQLAlchemy types, so they never import the (changing) models module."""
    if kind == "type" and isinstance(item, AutoString):
        return "sa.String()" if item.length is None else f"sa.String(length={item.length})"
    if kind == "type" and isinstance(item, models.UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        # `alembic` run by hand with -x url=...: open our own connection.
        url = context.get_x_argument(as_dictionary=True).get("url", "sqlite:///adcvd.db")
        with create_engine(url).begin() as own:
            _run(own)
        return
    _run(connection)


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
