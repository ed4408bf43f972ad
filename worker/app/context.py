"""What the CLI builds once and passes down to every command: settings and the engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from worker.app.settings import Settings


@dataclass
class AppContext:
    settings: Settings
    _engine: Engine | None = field(default=None, repr=False)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from worker.storage.db import make_engine

            self._engine = make_engine(self.settings.database_url)
        return self._engine


def app_context(ctx: typer.Context) -> AppContext:
    obj = ctx.find_root().obj
    if not isinstance(obj, AppContext):
        raise RuntimeError("the CLI callback did not build the application context")
    return obj
