"""The Jinja2 environment of the pages: templates/web/, autoescaped, strict, the mail templates' filters."""

from __future__ import annotations

from functools import lru_cache

import jinja2

from notifier.formatting import FILTERS
from notifier.render import templates_dir


@lru_cache(maxsize=1)
def page_templates() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir() / "web")),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(FILTERS)
    return environment
