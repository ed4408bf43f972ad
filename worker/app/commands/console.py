"""Command output: one rich console for tables (as wide as the terminal, and wide enough to read when
piped), safe text, and the error line a failed command ends with."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape
from sqlalchemy.exc import SQLAlchemyError

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

MIN_WIDTH = 160


def table_console() -> Console:
    width = shutil.get_terminal_size((MIN_WIDTH, 40)).columns
    return Console(width=max(width, MIN_WIDTH))


def shown(text: str, *, markup: bool = False) -> str:
    """Text from a file or a database, safe to print: control characters (terminal escapes) become
    visible \\xNN, and with `markup` rich's [tags] are escaped so they print as written."""
    safe = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return escape(safe) if markup else safe


def fail(message: str) -> typer.Exit:
    """Print `error: message` to stderr; the Exit(1) to raise."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(1)


@contextmanager
def database_errors(*refused: type[Exception]) -> Iterator[None]:
    """Ends the command with `error: database: Class: what` (exit 1) on a database error in the block,
    and with `error: what` on one of the `refused` exceptions."""
    try:
        yield
    except refused as exc:
        raise fail(str(exc)) from None
    except SQLAlchemyError as exc:
        raise fail(f"database: {exc.__class__.__name__}: {exc}") from None
