"""The endorsement rate limit: per person, shared by the pages and the API."""
from flask import current_app, g
from flask_limiter.util import get_remote_address
from flask_login import current_user

from exchange.extensions import limiter


def per_person() -> str:
    """Rate-limit by the acting person (token or session), else by address."""
    user = g.get("api_user") or current_user
    if getattr(user, "is_authenticated", False):
        return f"person:{user.id}"
    return get_remote_address()


def _limit() -> str:
    return current_app.config["ENDORSE_RATE_LIMIT"]


def endorse_rate():
    """A decorator: at most ENDORSE_RATE_LIMIT endorsement changes per person."""
    return limiter.shared_limit(_limit, scope="endorse", key_func=per_person)
