"""Who may see what: loading the signed-in person, the public-read switch, admin-only views."""
import functools
import re
from urllib.parse import unquote, urlsplit

from flask import current_app, redirect, request, url_for
from flask_login import current_user

from exchange.accounts.models import User
from exchange.accounts.sessions import recent_auth_required
from exchange.db import db
from exchange.errors import Forbidden, Unauthorized
from exchange.extensions import login_manager

# Pages a visitor may reach even when the site is not public.
_ALWAYS_OPEN = {"static", "accounts.login", "accounts.register", "accounts.mfa_code", "accounts.mfa_setup",
                "site.healthz"}
_PATH_CHARS = re.compile(r"^/[A-Za-z0-9\-._~!$&'()*+,;=:@%/?#]*$")


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The person behind a session cookie, if the cookie is still current."""
    ident, _, token = (user_id or "").partition(":")
    if not ident.isdigit() or not token:
        return None
    user = db.session.get(User, int(ident))
    if user is None or not user.active or user.session_token != token:
        return None
    return user


def require_public_read():
    """With public reading off, visitors see only the sign-in page."""
    if current_app.config["PUBLIC_READ"] or current_user.is_authenticated:
        return None
    if request.endpoint in _ALWAYS_OPEN or request.path.startswith("/api/"):
        return None  # the API checks its own tokens
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


def admin_required(view):
    """Only admins: 401 for visitors (sign in), 403 for members."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_admin:
            raise Forbidden("This area is for administrators.")
        if request.method not in ("GET", "HEAD"):
            return recent_auth_required(view)(*args, **kwargs)
        return view(*args, **kwargs)

    return wrapped


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


def require_user(user) -> User:
    """The acting person, or Unauthorized."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise Unauthorized("Sign in first.")
    return user
