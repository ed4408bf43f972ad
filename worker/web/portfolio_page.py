"""/portfolio/TOKEN: an importer's portfolio page: upload a file, see the exposure and the deadlines ahead.

The upload goes through the reader `adcvd portfolio import` uses, worded as it words problems; a file
with any bad line imports nothing. Only lines of the link's importer are accepted.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from worker.alerts.audience import local_today
from worker.alerts.holds import BulkHold
from worker.alerts.portfolio_exposure import deadlines_ahead, portfolio_exposure
from worker.portfolios.files import import_portfolio
from worker.portfolios.outcome import held, imported, problem_lines, refusal
from worker.storage import web_rows
from worker.storage.db import transaction
from worker.storage.models import Importer
from worker.web.context import WebContext, web
from worker.web.tokens import LinkTokens, TokenExpired, TokenInvalid

FILE_FIELD = "portfolio"
_UNSAFE_NAME = re.compile(r"[^\w.\- ()]+")


def portfolio_path(tokens: LinkTokens, importer_id: int, token_version: int) -> str:
    """The page's path for one importer (expires after ADCVD_LINK_DAYS; revoked by token_version)."""
    return f"/portfolio/{tokens.sign('portfolio', importer_id, token_version)}"


@dataclass
class Outcome:
    """What an upload did: the CLI's lines (problems, then the refusal or the summary)."""

    lines: list[str] = field(default_factory=list)
    refused: str | None = None
    done: str | None = None


def shown_name(filename: str) -> str:
    """The uploaded file's own name, as problems name it: no folders, no odd characters, not too long."""
    base = re.split(r"[\\/]", filename)[-1]
    return _UNSAFE_NAME.sub("_", base).strip()[-100:] or "upload"


def _importer(context: WebContext, token: str) -> tuple[Importer | None, bool]:
    """(the link's importer, expired?); None when the link is forged, revoked or the importer gone."""
    try:
        claims = context.tokens.read(token, "portfolio", max_age=context.link_age)
    except TokenExpired:
        return None, True
    except TokenInvalid:
        return None, False
    with transaction(context.engine) as session:
        importer = web_rows.load_importer_by_id(session, claims.subject)
    if importer is None or not claims.is_current(importer.token_version):
        return None, False
    return importer, False


def _page(
    context: WebContext, request: Request, importer: Importer, outcome: Outcome | None, status: int = 200
) -> Response:
    assert importer.id is not None
    today = local_today(context.clock(), context.settings.time_zone)  # the operator's day
    with transaction(context.engine) as session:
        exposure = portfolio_exposure(
            session, importer.id, entry_date=today, threshold=context.settings.name_match_threshold
        )
        deadlines = deadlines_ahead(session, importer.id, today=today)
    products, common = shared_notes([e.view() for e in exposure])
    duties = [d for e in exposure if (d := e.estimated_duty) is not None]
    return context.form_page(
        request,
        "portfolio.html",
        status,
        importer=importer.name,
        products=products,
        common_notes=common,
        reached=sum(1 for e in exposure if e.likely_cases),
        total_duty=sum(duties, Decimal(0)) if duties else None,
        total_complete=all(p["duty_complete"] for p in products if p["reached"]),
        deadlines=deadlines,
        today=today.isoformat(),
        outcome=outcome,
        max_bytes=context.settings.web_max_body_bytes,
        field=FILE_FIELD,
    )


def shared_notes(products: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """The notes every product carries (said once, under the table), and each product without them."""
    if not products:
        return products, []
    common = [n for n in products[0]["notes"] if all(n in p["notes"] for p in products[1:])]
    return [{**p, "notes": [n for n in p["notes"] if n not in common]} for p in products], common


def _not_valid(context: WebContext, expired: bool) -> Response:
    return context.page("portfolio_link.html", 404, expired=expired, link_days=context.settings.link_days)


def portfolio_page(request: Request) -> Response:
    context = web(request)
    importer, expired = _importer(context, str(request.path_params["token"]))
    if importer is None:
        return _not_valid(context, expired)
    return _page(context, request, importer, None)


def _import(context: WebContext, importer: Importer, name: str, content: bytes) -> Outcome:
    """Import the uploaded bytes as `adcvd portfolio import` would a file of that name."""
    settings = context.settings
    with tempfile.TemporaryDirectory(prefix="adcvd-upload-") as folder:
        path = Path(folder) / f"upload{Path(name).suffix.lower()}"
        path.write_bytes(content)
        try:
            result = import_portfolio(
                context.engine,
                path,
                baseline_at=context.clock(),
                bulk_hold=BulkHold(settings.bulk_alert_threshold, settings.operator_email),
                name=name,
                importer=importer.name,
            )
        except SQLAlchemyError as exc:
            return Outcome(refused=f"error: database: {exc.__class__.__name__}; nothing imported")
    outcome = Outcome(lines=problem_lines(result.parse))
    if result.errors:
        outcome.refused = refusal(result.parse)
        return outcome
    outcome.done = imported(result)
    if (waiting := held(result, settings.bulk_alert_threshold)) is not None:
        outcome.lines.append(waiting)
    return outcome


async def portfolio_upload(request: Request) -> Response:
    context = web(request)
    importer, expired = await run_in_threadpool(_importer, context, str(request.path_params["token"]))
    if importer is None:
        return _not_valid(context, expired)
    async with request.form(max_files=1, max_fields=4) as form:
        if problem := context.csrf.check(request, form):
            return context.page("form_refused.html", 403, problem=problem)
        upload = form.get(FILE_FIELD)
        if not isinstance(upload, UploadFile) or not upload.filename:
            outcome = Outcome(refused="error: choose a .csv or .xlsx file to upload; nothing imported")
            return await run_in_threadpool(_page, context, request, importer, outcome, 422)
        name, content = shown_name(upload.filename), await upload.read()
    outcome = await run_in_threadpool(_import, context, importer, name, content)
    status = 422 if outcome.refused else 200
    return await run_in_threadpool(_page, context, request, importer, outcome, status)


ROUTES: list[BaseRoute] = [
    Route("/portfolio/{token}", portfolio_page, methods=["GET"]),
    Route("/portfolio/{token}", portfolio_upload, methods=["POST"]),
]
