"""Template filters and the values every page needs."""
from datetime import date, datetime, timezone
from urllib.parse import urlencode

from flask import request, url_for
from flask_login import current_user


def humandate(value) -> str:
    """A date as people write it: 3 March 2026."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def isodate(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat(timespec="seconds")
    return value.isoformat()


URL_SAFE = "!$'()*,/:;?@"  # what Werkzeug leaves unescaped in a query string


def page_url(page: int) -> str:
    """The current page's address with another page number."""
    args = request.args.to_dict()
    args["page"] = page
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def url_with(**changes) -> str:
    """The current page's address with some query arguments changed (None removes one)."""
    args = request.args.to_dict()
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    args.pop("page", None) if "page" not in changes else None
    # As url_for would build it, without routing again for every facet link of a search page.
    query = urlencode(args, safe=URL_SAFE)
    return request.script_root + request.path + (f"?{query}" if query else "")


def init_app(app) -> None:
    app.jinja_env.filters["humandate"] = humandate
    app.jinja_env.filters["isodate"] = isodate
    app.jinja_env.globals.update(page_url=page_url, url_with=url_with)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def page_context():
        return {"current_user": current_user, "today": date.today()}
