"""Addresses on this site: the current page with other arguments, and safe redirect targets."""
import re
from urllib.parse import unquote, urlencode, urlsplit

from flask import request

_PATH_CHARS = re.compile(r"^/[A-Za-z0-9\-._~!$&'()*+,;=:@%/?#]*$")
URL_SAFE = "!$'()*,/:;?@"  # what Werkzeug leaves unescaped in a query string


def page_url(page: int) -> str:
    """The current page's address with another page number."""
    return url_with(page=page)


def url_with(**changes) -> str:
    """The current page's address with some query arguments changed (None removes one)."""
    args = request.args.to_dict()
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    args.pop("page", None) if "page" not in changes else None
    # As url_for would build it, without routing again for every facet link of a search page, and
    # without handing the visitor's argument names to url_for, where some (endpoint, _method,
    # _external, _anchor, _scheme) mean something else.
    query = urlencode(args, safe=URL_SAFE)
    return request.script_root + request.path + (f"?{query}" if query else "")


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None."""
    if not target or len(target) > 2000 or not _PATH_CHARS.match(target):
        return None  # also refuses backslashes, spaces and control characters
    decoded = unquote(target)
    if decoded.startswith("//") or "\\" in decoded or any(ord(c) < 32 or ord(c) == 127 for c in decoded):
        return None  # percent-encoding must not smuggle in what is refused in plain
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def site_address() -> str:
    """This site's address for links that leave it (emails, the command line): the request's host (checked
    against TRUSTED_HOSTS), else SERVER_NAME, else http://localhost/."""
    from flask import current_app, has_request_context

    if has_request_context():
        return request.host_url
    config = current_app.config
    if config.get("SERVER_NAME"):
        return f"{config.get('PREFERRED_URL_SCHEME') or 'http'}://{config['SERVER_NAME']}/"
    return "http://localhost/"


def external_url(endpoint: str, **values) -> str:
    """An absolute link to a page, in a request or not (see ``site_address``)."""
    from flask import current_app, has_request_context, url_for

    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context("/", base_url=site_address()):
        return url_for(endpoint, _external=True, **values)
