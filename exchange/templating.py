"""Template filters and the values every page needs."""
from datetime import UTC, date, datetime

from flask_login import current_user

from exchange.urls import page_url, url_with


def humandate(value) -> str:
    """A date as people write it: 3 March 2026."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def isodate(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="seconds")
    return value.isoformat()


def init_app(app) -> None:
    app.jinja_env.filters["humandate"] = humandate
    app.jinja_env.filters["isodate"] = isodate
    app.jinja_env.globals.update(page_url=page_url, url_with=url_with)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def page_context():
        return {"current_user": current_user, "today": date.today()}
