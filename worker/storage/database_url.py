"""What an engine's URL says: the printable (password-free) form and the SQLite file, if any."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine, make_url


def redacted_url(database_url: str) -> str:
    """The URL without its password: what logs, errors and `adcvd init` may print."""
    try:
        return make_url(database_url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL is shown as its scheme only
        return database_url.split(":", 1)[0] + "://…"


def sqlite_path(engine: Engine) -> Path | None:
    """The database file of a file-backed SQLite engine, else None."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).resolve()
