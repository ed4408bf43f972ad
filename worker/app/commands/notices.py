"""`adcvd notices classify --csv FILE` and `adcvd notices parse FILE.xml [--document N] [--json]`."""

from __future__ import annotations

import csv
import json
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import typer

from watchers.classify import classify_csv, classify_notice
from watchers.finished import jsonable
from watchers.notice_html import extract_notice_facts_from_html
from watchers.notice_xml import (
    classify_notice_xml,
    extract_notice_facts,
    read_issue_date,
    split_daily_issue,
)
from watchers.records import NoticeFacts
from watchers.xml_safety import MalformedXmlError, UnsafeXmlError


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
        path: Path = typer.Argument(..., help="A notice's GPO XML (or its HTML body), or a daily issue."),
        as_json: bool = typer.Option(False, "--json"),
        published: str | None = typer.Option(
            None, "--published", help="Publication date, YYYY-MM-DD (a daily issue states its own)."
        ),
        document: str | None = typer.Option(
            None, "--document", help="In a daily issue, only this FR document number (2016-08229)."
        ),
    ) -> None:
        """The facts extracted from a notice, with its kind; every notice of a daily issue."""
        try:
            data = path.read_bytes()
        except OSError as exc:
            typer.echo(f"error: cannot read {path}: {exc.strerror}", err=True)
            raise typer.Exit(2) from None
        try:
            publication = date.fromisoformat(published) if published else None
        except ValueError:
            typer.echo(f"error: --published {published!r} is not a date YYYY-MM-DD", err=True)
            raise typer.Exit(2) from None
        try:
            payloads = _parse_file(path, data, publication, document)
        except (MalformedXmlError, UnsafeXmlError) as exc:
            typer.echo(f"error: {path}: {exc}", err=True)
            raise typer.Exit(1) from None
        except LookupError as exc:
            typer.echo(f"error: {path}: {exc.args[0]}", err=True)
            raise typer.Exit(2) from None
        if as_json:
            typer.echo(json.dumps(payloads[0] if len(payloads) == 1 else payloads, indent=2))
            return
        for number, payload in enumerate(payloads):
            if number:
                typer.echo("")
            _print_payload(payload)


def _payload(facts: NoticeFacts, kind: str) -> dict[str, Any]:
    payload: dict[str, Any] = {"kind": kind}
    payload.update(jsonable(asdict(facts)))
    return payload


def _parse_file(
    path: Path, data: bytes, publication: date | None, document: str | None
) -> list[dict[str, Any]]:
    """One payload per notice: the file's single notice, or each notice of a daily issue."""
    if path.suffix.lower() in {".html", ".htm"}:
        facts = extract_notice_facts_from_html(data, document_number=None, publication_date=publication)
        return [_payload(facts, classify_notice(title=facts.title).kind.value)]
    kind = classify_notice_xml(data)
    if kind is not None:
        if document is not None:
            raise LookupError("--document is for a daily issue; this file holds one notice")
        return [_payload(extract_notice_facts(data, publication_date=publication), kind.kind.value)]
    issue_date = publication or read_issue_date(data)
    notices = split_daily_issue(data)
    if document is not None:
        notices = [(n, b) for n, b in notices if n == document]
        if not notices:
            raise LookupError(f"no document {document} in this daily issue")
    if not notices:
        raise LookupError("no NOTICE, RULE or PRORULE element in this file")
    payloads = []
    for number, element in notices:
        classification = classify_notice_xml(element)
        facts = extract_notice_facts(element, document_number=number or None, publication_date=issue_date)
        payloads.append(_payload(facts, classification.kind.value if classification else "other"))
    return payloads


def _print_payload(payload: dict[str, Any]) -> None:
    for key, value in payload.items():
        if value in (None, [], ""):
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            typer.echo(f"{key}:")
            for item in value:
                typer.echo("  - " + ", ".join(f"{k}={v}" for k, v in item.items() if v not in (None, "", [])))
        else:
            typer.echo(f"{key}: {value}")
