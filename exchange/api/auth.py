"""Bearer tokens for the API; a signed-in page's own scripts (autosave) with the page's CSRF token.

A session cookie alone is never accepted: only with the ``X-CSRFToken`` header holding the page's
CSRF token, which another site cannot read or send (a custom header needs CORS, which we never
grant), so CSRF cannot reach the API.
"""
from collections.abc import Callable

from flask import current_app, g, request
from flask_login import current_user
from flask_wtf.csrf import ValidationError, validate_csrf

from exchange.errors import Unauthorized

_loaders: list[Callable] = []


def token_loader(load: Callable) -> Callable:
    """Register how a token's secret becomes its person (accounts does, as flask-login's user_loader)."""
    _loaders[:] = [load]
    return load


def authenticate_request() -> None:
    """Set ``g.api_user`` from the Authorization header (None for an anonymous reader)."""
    g.api_user = None
    header = request.headers.get("Authorization")
    if header is None:
        _page_session()
        return
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Unauthorized("Send your token as 'Authorization: Bearer TOKEN'.")
    user = _loaders[0](secret.strip()) if _loaders else None
    if user is None:
        raise Unauthorized("That API token is not valid: it may be wrong, revoked or its owner deactivated.")
    g.api_user = user


def _page_session() -> None:
    """The signed-in person of a page's script: only with its CSRF token in ``X-CSRFToken``."""
    token = request.headers.get("X-CSRFToken")
    if token is None:
        return
    try:
        validate_csrf(token)
    except ValidationError:
        raise Unauthorized("The page's session expired: reload the page (your text is still in it).") from None
    if current_user.is_authenticated:
        g.api_user = current_user._get_current_object()


def api_user():
    """The token's user, or None."""
    return g.get("api_user")


def require_api_user():
    """The token's user, or 401."""
    if g.get("api_user") is None:
        raise Unauthorized("This needs an API token: 'Authorization: Bearer TOKEN'.")
    return g.api_user


def guard_api() -> None:
    """The ``before_request`` of the API blueprint: read the token, honour the public-read switch."""
    authenticate_request()
    if not current_app.config["PUBLIC_READ"] and api_user() is None:
        raise Unauthorized("This Exchange is not public: send an API token.")
