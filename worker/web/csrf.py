"""CSRF on the pages' forms: the signed double-submit pattern (a random cookie, and its signed copy in
the form), with itsdangerous. No session and no login: the form must come from a page we served."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from itsdangerous import BadSignature, SignatureExpired
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from worker.web.tokens import clocked_serializer

COOKIE = "adcvd_csrf"
FIELD = "csrf_token"
FORM_MAX_AGE = timedelta(hours=12)  # a page left open longer asks to be reloaded


class CsrfGuard:
    def __init__(self, secret_key: str, *, clock: Callable[[], datetime], secure_cookie: bool) -> None:
        self._serializer = clocked_serializer(secret_key, "adcvd-watch/csrf-form", clock)
        self.secure_cookie = secure_cookie

    def form_token(self, request: Request) -> tuple[str, str]:
        """(cookie value to set, value of the form's hidden field): the request's cookie, or a new one."""
        cookie = request.cookies.get(COOKIE, "")
        if not (20 <= len(cookie) <= 100 and cookie.replace("-", "").replace("_", "").isalnum()):
            cookie = secrets.token_urlsafe(32)
        return cookie, str(self._serializer.dumps(cookie))

    def set_cookie(self, response: Response, cookie: str) -> None:
        response.set_cookie(
            COOKIE,
            cookie,
            max_age=int(FORM_MAX_AGE.total_seconds()),
            httponly=True,
            samesite="strict",
            secure=self.secure_cookie,
            path="/",
        )

    def check(self, request: Request, form: FormData) -> str | None:
        """None when the form carries a fresh signed copy of the request's cookie; else what is wrong."""
        cookie = request.cookies.get(COOKIE)
        field = form.get(FIELD)
        if not cookie or not isinstance(field, str):
            return "this form has expired or was not sent from our page: reload the page and try again"
        try:
            signed = self._serializer.loads(field, max_age=int(FORM_MAX_AGE.total_seconds()))
        except SignatureExpired:
            return "this form has expired: reload the page and try again"
        except BadSignature:
            return "this form was not sent from our page: reload the page and try again"
        if not isinstance(signed, str) or not hmac.compare_digest(signed, cookie):
            return "this form was not sent from our page: reload the page and try again"
        return None
