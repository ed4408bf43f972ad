"""One rich console for tables: as wide as the terminal, and wide enough to read when piped."""

from __future__ import annotations

import shutil

from rich.console import Console

MIN_WIDTH = 160


def table_console() -> Console:
    width = shutil.get_terminal_size((MIN_WIDTH, 40)).columns
    return Console(width=max(width, MIN_WIDTH))
