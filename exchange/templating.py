"""Template filters, the values every page needs, and the parts higher domains add to lower domains' pages.

A page's data comes from its route; templates never query the database. Some pages show parts
that belong to a domain above the page's own: the article page (an ``articles`` route) shows the
endorsement panel, the comments, the follow button and the featured badge. Import layers keep an
``articles`` route from calling those domains, so each of them adds its part in its ``init_app``
(``add_page_part(app, "article", article_parts)``), and the route asks for every part of its page
with ``page_parts("article", article)``: the queries run in the route, before the template renders.
"""
from collections.abc import Callable
from datetime import UTC, date, datetime

from flask import current_app
from flask_login import current_user

from exchange.urls import page_url, url_with

PAGE_PARTS = "exchange.page_parts"


def humandate(value) -> str:
    """A date as people write it: 3 March 2026."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def humantime(value) -> str:
    """A moment as people write it, the date in the one display format: 3 March 2026 at 14:05 UTC."""
    if value is None:
        return ""
    return f"{humandate(value)} at {value:%H:%M} UTC"


def isodate(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="seconds")
    return value.isoformat()


def add_page_part(app, page: str, part: Callable[[object], dict]) -> None:
    """Add ``part(subject)`` (a dict of template values) to the context of ``page``, e.g. "article"."""
    app.extensions.setdefault(PAGE_PARTS, {}).setdefault(page, []).append(part)


def page_parts(page: str, subject) -> dict:
    """The values every domain adds to ``page`` about ``subject``, computed now (call it from the route)."""
    values: dict = {}
    for part in current_app.extensions.get(PAGE_PARTS, {}).get(page, ()):
        values.update(part(subject))
    return values


def init_app(app) -> None:
    app.jinja_env.filters["humandate"] = humandate
    app.jinja_env.filters["isodate"] = isodate
    app.jinja_env.filters["humantime"] = humantime
    app.jinja_env.globals.update(page_url=page_url, url_with=url_with)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def page_context():
        return {"current_user": current_user, "today": date.today()}
