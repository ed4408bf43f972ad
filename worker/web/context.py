"""What every page reaches through `web(request)`: settings, engine, link tokens, templates, clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jinja2
from sqlalchemy.engine import Engine
from starlette.requests import Request
from starlette.responses import HTMLResponse

from worker.web.config import WebSettings
from worker.web.csrf import CsrfGuard
from worker.web.tokens import LinkTokens


@dataclass
class WebContext:
    settings: WebSettings
    engine: Engine
    tokens: LinkTokens
    templates: jinja2.Environment
    clock: Callable[[], datetime]
    csrf: CsrfGuard

    @property
    def link_age(self) -> timedelta:
        """How long a preferences or portfolio link is accepted (ADCVD_LINK_DAYS)."""
        return timedelta(days=self.settings.link_days)

    def link(self, path: str) -> str:
        """An absolute link under ADCVD_PUBLIC_URL (a relative one when it is unset)."""
        return f"{self.settings.public_url or ''}{path}"

    def page(self, template: str, status_code: int = 200, **view: Any) -> HTMLResponse:
        """A page rendered from templates/web/<template>; never cached (it carries a signed link)."""
        body = self.templates.get_template(template).render(**view)
        return HTMLResponse(body, status_code=status_code, headers=PAGE_HEADERS)

    def form_page(self, request: Request, template: str, status_code: int = 200, **view: Any) -> HTMLResponse:
        """A page with a form: `csrf_token` in its view, and the CSRF cookie set on the response."""
        cookie, field = self.csrf.form_token(request)
        response = self.page(template, status_code, csrf_token=field, **view)
        self.csrf.set_cookie(response, cookie)
        return response


PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",  # the page's URL holds its token: never send it elsewhere
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
}


def web(request: Request) -> WebContext:
    context = request.app.state.web
    assert isinstance(context, WebContext)
    return context
