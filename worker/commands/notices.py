"""`adcvd notices classify --csv FILE` and `adcvd notices parse FILE.xml [--json]`."""

from __future__ import annotations

import csv
import json
from dataclasses import asdict
from datetime import date
from pathlib import Path

import typer

from watchers.classify import classify_csv
from watchers.notice_html import extract_notice_facts_from_html
from watchers.notice_xml import extract_notice_facts
from watchers.xml_safety import MalformedXmlError, UnsafeXmlError
from worker.pipeline import jsonable


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Read Federal Register notices.", no_args_is_help=True)
    app.add_typer(group, name="notices")

    @group.command("classify")
    def classify_cmd(
        csv_path: Path = typer.Option(..., "--csv", help="Columns document_number,title,abstract"),
    ) -> None:
        """One JSON line per row: document_number, kind, agency, case_types, is_correction, revokes."""
        try:
            handle = csv_path.open(newline="", encoding="utf-8-sig")
        except OSError as exc:
            typer.echo(f"error: cannot read {csv_path}: {exc.strerror}", err=True)
            raise typer.Exit(2) from None
        with handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or "title" not in reader.fieldnames:
                typer.echo(f"error: {csv_path}: the header must name at least a 'title' column", err=True)
                raise typer.Exit(2)
            for row in classify_csv(reader):
                typer.echo(json.dumps(row))

    @group.command("parse")
    def parse_cmd(
        path: Path = typer.Argument(..., help="A notice's GPO XML (or its HTML body)."),
        as_json: bool = typer.Option(False, "--json"),
        published: str | None = typer.Option(None, "--published", help="Publication date, YYYY-MM-DD."),
    ) -> None:
        """The facts extracted from one notice."""
        try:
            data = path.read_bytes()
        except OSError as exc:
            typer.echo(f"error: cannot read {path}: {exc.strerror}", err=True)
            raise typer.Exit(2) from None
        publication = date.fromisoformat(published) if published else None
        try:
            if path.suffix.lower() in {".html", ".htm"}:
                facts = extract_notice_facts_from_html(
                    data, document_number=None, publication_date=publication
                )
            else:
                facts = extract_notice_facts(data, publication_date=publication)
        except (MalformedXmlError, UnsafeXmlError) as exc:
            typer.echo(f"error: {path}: {exc}", err=True)
            raise typer.Exit(1) from None
        payload = jsonable(asdict(facts))
        if as_json:
            typer.echo(json.dumps(payload, indent=2))
            return
        for key, value in payload.items():
            if value in (None, [], ""):
                continue
            if isinstance(value, list) and value and isinstance(value[0], dict):
                typer.echo(f"{key}:")
                for item in value:
                    typer.echo(
                        "  - " + ", ".join(f"{k}={v}" for k, v in item.items() if v not in (None, "", []))
                    )
            else:
                typer.echo(f"{key}: {value}")
