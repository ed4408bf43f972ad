"""`adcvd check` (candidate cases and deposit rates for a shipment) and `adcvd calc`."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import typer
from rich.table import Table

from worker.alerts.check_view import NO_RATE, check_json, rate_text, text_or_none
from worker.alerts.matching import ShipmentCheck, check_shipment, load_catalog_index
from worker.app.commands.console import database_errors, fail, table_console
from worker.app.context import app_context
from worker.catalog.seed import load_seed_catalog
from worker.rules.countries import normalize_country
from worker.rules.exposure import DumpingEstimate, compute_dumping
from worker.rules.hts import format_hts, normalize_hts
from worker.storage import notice_rows
from worker.storage.db import create_schema, transaction


def _decimal(option: str, text: str | None, *, positive: bool = False) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text.replace(",", "").replace("$", "").strip())
    except InvalidOperation:
        raise fail(f"{option} must be a number, not {text!r}") from None
    if not value.is_finite() or value < 0 or (positive and value == 0):
        raise fail(f"{option} must be {'greater than zero' if positive else 'zero or more'}")
    return value


def _print_check(result: ShipmentCheck) -> None:
    console = table_console()
    title = (
        f"AD/CVD candidates for HTS {format_hts(result.hts)}, origin {result.country}, "
        f"entry {result.entry_date.isoformat()}"
    )
    table = Table(
        "case",
        "type",
        "product",
        "status",
        "match",
        "standing, confidence",
        "cascade step",
        "rate",
        "source",
        "est. duty",
        title=title,
    )
    for c in result.candidates:
        m, r = c.match, c.cascade
        level = f"{m.level}-digit {m.relation}" if m.level else "description words"
        source = (
            f"FR Doc {r.notice_document_number}" if r.notice_document_number else c.hts_source.split(":")[0]
        )
        step = r.step if not r.possible_matches else f"{r.step} (possible name match)"
        duty = "" if c.estimated_duty is None else f"${c.estimated_duty:,}"
        table.add_row(
            m.case.case_number,
            m.case.case_type,
            m.case.product,
            m.case.status,
            level,
            f"{m.standing}, {m.confidence}",
            step,
            rate_text(r),
            source,
            duty,
        )
    console.print(table)
    for c in result.candidates:
        for p in c.cascade.possible_matches:
            console.print(
                f"{c.match.case.case_number}: '{p.name}' only possibly matches "
                f"'{p.candidate}' (score {p.score}); not used for the rate"
            )
    for key, stack in result.stacks:
        total = f"{stack.total}%" if stack.total is not None else NO_RATE
        console.print(
            f"AD + CVD stacked for {key}: {total}"
            + ("" if stack.complete else " (incomplete: a case has no rate)")
        )
    for note in result.notes:
        console.print(note)


def _calc_json(estimate: DumpingEstimate) -> dict[str, Any]:
    return {
        "normal_value": str(estimate.normal_value),
        "export_price": str(estimate.export_price),
        "dumping_amount": str(estimate.dumping_amount),
        "margin_percent": str(estimate.margin_percent),
        "entered_value": text_or_none(estimate.entered_value),
        "estimated_duty": text_or_none(estimate.estimated_duty),
        "other_duties": text_or_none(estimate.other_duties),
        "total_exposure": text_or_none(estimate.total_exposure),
        "notes": list(estimate.notes),
    }


def register(app: typer.Typer) -> None:
    @app.command("check")
    def check_cmd(
        ctx: typer.Context,
        hts: str = typer.Option(..., "--hts", help="HTS code, dotted or not, 4 to 10 digits."),
        country: str = typer.Option(..., "--country", help="Country of origin: ISO code or name."),
        producer: str | None = typer.Option(None, "--producer", help="Producer (manufacturer)."),
        exporter: str | None = typer.Option(None, "--exporter", help="Exporter (seller)."),
        entry: str | None = typer.Option(None, "--date", help="Entry date YYYY-MM-DD (today)."),
        value: str | None = typer.Option(None, "--value", help="Entered value in USD."),
        description: str = typer.Option("", "--description", help="Product description words."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Every case that may reach a shipment, with its cascade step, rate and citation."""
        try:
            code = normalize_hts(hts)
            origin = normalize_country(country)
        except ValueError as exc:
            raise fail(str(exc)) from None
        try:
            entry_date = date.fromisoformat(entry) if entry else date.today()
        except ValueError:
            raise fail(f"--date must be a date as YYYY-MM-DD, not {entry!r}") from None
        amount = _decimal("--value", value)
        actx = app_context(ctx)
        with database_errors():
            create_schema(actx.engine)
            with transaction(actx.engine) as session:
                if not notice_rows.count_cases(session):
                    typer.echo("note: empty case catalog, loading the bundled seed", err=True)
                    load_seed_catalog(session)
            with transaction(actx.engine) as session:
                catalog = load_catalog_index(session)
        result = check_shipment(
            catalog,
            hts=code,
            country=origin,
            entry_date=entry_date,
            producer=producer,
            exporter=exporter,
            value=amount,
            description=description,
            threshold=actx.settings.name_match_threshold,
        )
        if as_json:
            typer.echo(json.dumps(check_json(result), indent=2, ensure_ascii=False))
        else:
            _print_check(result)

    @app.command("calc")
    def calc_cmd(
        normal_value: str = typer.Option(..., "--normal-value", help="Normal value per unit."),
        export_price: str = typer.Option(..., "--export-price", help="Export price per unit."),
        entered_value: str | None = typer.Option(None, "--entered-value", help="Entered value."),
        other_duties: str | None = typer.Option(None, "--other-duties", help="Other duties, fees."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Planning estimate: margin = (NV - EP) / EP, duty = entered value x margin."""
        nv = _decimal("--normal-value", normal_value)
        ep = _decimal("--export-price", export_price, positive=True)
        assert nv is not None and ep is not None
        estimate = compute_dumping(
            normal_value=nv,
            export_price=ep,
            entered_value=_decimal("--entered-value", entered_value),
            other_duties=_decimal("--other-duties", other_duties),
        )
        if as_json:
            typer.echo(json.dumps(_calc_json(estimate), indent=2))
            return
        typer.echo(f"dumping amount per unit: {estimate.dumping_amount}")
        typer.echo(f"dumping margin: {estimate.margin_percent}% of export price")
        if estimate.estimated_duty is not None:
            typer.echo(f"estimated AD duty: ${estimate.estimated_duty:,}")
            typer.echo(f"total exposure: ${estimate.total_exposure:,}")
        for note in estimate.notes:
            typer.echo(f"note: {note}")
