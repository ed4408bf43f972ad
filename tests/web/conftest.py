"""Fixtures of the browser tests (tests/web/browser.py)."""

from tests.web.browser import browser

__all__ = ["browser"]
