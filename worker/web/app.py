"""The Starlette application: every module of worker.web with a ROUTES list is a page, mounted here.

To add a page, write `worker/web/<page>.py` with `ROUTES: list[BaseRoute] = [Route("/x/{token}", ...)]`;
`build_app` finds it (no list to edit). Handlers reach settings, engine, tokens and templates through
`worker.web.context.web(request)`. Two modules claiming the same path is an error at start-up (one
module may route several methods of a path).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Route

import worker.web
from worker.web.config import WebSettings
from worker.web.context import WebContext
from worker.web.csrf import CsrfGuard
from worker.web.guards import AccessLog, BodyLimit
from worker.web.templating import page_templates
from worker.web.tokens import LinkTokens


def page_routes() -> list[BaseRoute]:
    """The ROUTES of every page module of worker.web, in module-name order (a module without ROUTES,
    such as tokens or guards, is not a page)."""
    routes: list[BaseRoute] = []
    claimed: dict[str, str] = {}
    for info in sorted(pkgutil.iter_modules(worker.web.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"worker.web.{info.name}")
        for route in getattr(module, "ROUTES", []):
            path = route.path if isinstance(route, Route) else repr(route)
            if claimed.setdefault(path, info.name) != info.name:
                raise RuntimeError(f"{path} is claimed by worker.web.{claimed[path]} and {info.name}")
            routes.append(route)
    return routes


def build_app(
    settings: WebSettings, engine: Engine, *, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> Starlette:
    """The web application; ValueError when ADCVD_SECRET_KEY is unset (no link could be trusted)."""
    secret = settings.secret_key_value()
    if not secret:
        raise ValueError("ADCVD_SECRET_KEY is not set: the web pages need it to sign and check links")
    app = Starlette(
        routes=page_routes(),
        middleware=[
            Middleware(AccessLog),
            Middleware(BodyLimit, limit=settings.web_max_body_bytes),
        ],
    )
    app.state.web = WebContext(
        settings=settings,
        engine=engine,
        tokens=LinkTokens(secret, clock=clock),
        templates=page_templates(),
        clock=clock,
        csrf=CsrfGuard(secret, clock=clock, secure_cookie=(settings.public_url or "").startswith("https:")),
    )
    return app
