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
from worker.web.tokens import LinkTokens


@dataclass
class WebContext:
    settings: WebSettings
    engine: Engine
    tokens: LinkTokens
    templates: jinja2.Environment
    clock: Callable[[], datetime]

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
        return HTMLResponse(
            body,
            status_code=status_code,
            headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
        )


def web(request: Request) -> WebContext:
    context = request.app.state.web
    assert isinstance(context, WebContext)
    return context
