"""Renders every email from its three templates (subject, text, HTML) with Jinja2."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import css_inline
import jinja2

from notifier.formatting import FILTERS
from notifier.links import SOURCE_LINK_HOSTS, safe_links
from notifier.message_views import MessageView


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str
    html: str


def templates_dir() -> Path:
    """The `templates` folder, installed beside the packages (a namespace package: no __init__)."""
    package = importlib.import_module("templates")
    return Path(next(iter(package.__path__)))


@lru_cache(maxsize=4)
def _environments(directory: str) -> tuple[jinja2.Environment, jinja2.Environment]:
    loader = jinja2.FileSystemLoader(directory)
    # trim_blocks/lstrip_blocks: a tag alone on its line leaves no blank line in the plain text.
    plain = jinja2.Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    html = jinja2.Environment(
        loader=loader, undefined=jinja2.StrictUndefined, autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    for env in (plain, html):
        env.filters.update(FILTERS)
    return plain, html


@lru_cache(maxsize=1)
def _inliner() -> css_inline.CSSInliner:
    # keep_at_rules: the @media rules that stack tables at phone width stay in a <style>.
    return css_inline.CSSInliner(load_remote_stylesheets=False, keep_at_rules=True)


def render_message(
    template: str,
    view: MessageView,
    *,
    directory: Path | None = None,
    link_hosts: frozenset[str] = SOURCE_LINK_HOSTS,
) -> RenderedMessage:
    """Render `template`.subject.txt/.txt/.html from a view (notifier.views); the subject is one line,
    the HTML has its CSS inlined.

    Every `*url` value of the view is checked first: only https links to `link_hosts` remain.
    """
    plain, html = _environments(str(directory or templates_dir()))
    view = safe_links(view, link_hosts)
    subject = _subject(plain, template, view)
    text = plain.get_template(f"{template}.txt").render(view)
    body = html.get_template(f"{template}.html").render(view)
    return RenderedMessage(subject=subject, text=text, html=_inliner().inline(body))


def render_subject(
    template: str,
    view: MessageView,
    *,
    directory: Path | None = None,
    link_hosts: frozenset[str] = SOURCE_LINK_HOSTS,
) -> str:
    """The email's subject line alone: the title a chat message or webhook carries."""
    plain, _html = _environments(str(directory or templates_dir()))
    return _subject(plain, template, safe_links(view, link_hosts))


def _subject(plain: jinja2.Environment, template: str, view: MessageView) -> str:
    subject = plain.get_template(f"{template}.subject.txt").render(view)
    return " ".join(subject.split())  # one line, whatever the data held: no header injection
