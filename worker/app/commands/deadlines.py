"""`adcvd deadlines [--days N] [--importer NAME] [--ics FILE] [--json]`."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import typer

from notifier.ics import CalendarEntry, build_calendar
from worker.alerts.importer_deadlines import collect_deadlines, deadline_view, item_calendar_entry
from worker.app.context import app_context
from worker.app.dbsetup import init_database
from worker.app.runtime import utc_now
from worker.storage import people
from worker.storage.db import transaction


def register(app: typer.Typer) -> None:
    @app.command("deadlines")
    def deadlines_cmd(
        ctx: typer.Context,
        days: int = typer.Option(30, "--days", min=0, help="Due within this many days."),
        importer: str | None = typer.Option(None, "--importer", help="Only this importer's products."),
        ics: Path | None = typer.Option(
            None, "--ics", help="Write the deadlines to this .ics calendar file."
        ),
        as_json: bool = typer.Option(False, "--json", help="One JSON document on stdout."),
    ) -> None:
        """What is due for the cases that reach each importer's products, with the sentence it came from."""
        actx = app_context(ctx)
        init_database(actx.engine, load_seed=False)
        now = utc_now()
        today = now.date()
        views: list[dict[str, Any]] = []
        entries = []
        with transaction(actx.engine) as session:
            importers = people.list_importers(session)
            if importer is not None:
                importers = [i for i in importers if i.name == importer]
                if not importers:
                    typer.echo(f"error: no importer named {importer!r}", err=True)
                    raise typer.Exit(2)
            for owner in importers:
                assert owner.id is not None
                items = collect_deadlines(
                    session, importer_id=owner.id, today=today, until=today + timedelta(days=days)
                )
                for item in items:
                    views.append({"importer": owner.name, **deadline_view(item, today=today)})
                    entries.append(
                        item_calendar_entry(
                            item,
                            importer=owner.name,
                            now=now,
                            time_zone=actx.settings.time_zone,
                            ladder=actx.settings.reminder_days,
                        )
                    )
        if ics is not None:
            unique = {entry["uid"]: entry for entry in entries}
            calendar = build_calendar([CalendarEntry.from_view(e) for e in unique.values()], stamp=now)
            ics.write_bytes(calendar)
        if as_json:
            typer.echo(json.dumps({"today": today.isoformat(), "days": days, "deadlines": views}, indent=2))
            return
        for view in views:
            typer.echo(
                f"{view['due']}\t{view['business_days_left']} business days\t{view['importer']}\t"
                f"{view['case_number']}\t{view['label']}\tSKUs {', '.join(view['skus'])}"
            )
            typer.echo(f'\t"{view["sentence"]}"' + (f" [{view['citation']}]" if view["citation"] else ""))
        if not views:
            typer.echo(f"nothing due in the next {days} days")
        if ics is not None:
            typer.echo(f"wrote {len({e['uid'] for e in entries})} calendar entries to {ics}")
