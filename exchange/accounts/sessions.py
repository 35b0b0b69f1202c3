"""Sign-in sessions: who a cookie belongs to, when sessions start and when they time out."""
import time

from flask import current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user

from exchange.accounts.models import User
from exchange.db import db
from exchange.extensions import login_manager

# Pages a visitor may reach even when the site is not public.
_ALWAYS_OPEN = {"static", "accounts.login", "accounts.register", "accounts.mfa_code", "accounts.mfa_setup",
                "site.healthz"}


def start(user: User, remember: bool = False) -> None:
    """Sign ``user`` in on a clean session."""
    session.clear()
    login_user(user, remember=remember)
    now = int(time.time())
    session["auth_at"] = session["seen_at"] = now
    session["remembered"] = bool(remember)


def confirm() -> None:
    """The person just re-entered their password (and code): sign-in counts as recent again."""
    session["auth_at"] = int(time.time())
    session["_fresh"] = True


def end() -> None:
    logout_user()
    session.clear()


def enforce_timeouts():
    """Sign out after idle time or the longest session; remembered devices follow their cookie."""
    if not current_user.is_authenticated or request.endpoint == "static":
        return None
    now = int(time.time())
    if "auth_at" not in session:  # restored from a remember-me cookie
        session["auth_at"] = session["seen_at"] = now
        session["remembered"] = True
        session["_fresh"] = False
    config = current_app.config
    idle = now - session.get("seen_at", now) > config["SESSION_IDLE_MINUTES"] * 60
    too_old = now - session["auth_at"] > config["SESSION_MAX_HOURS"] * 3600
    if not session.get("remembered") and (idle or too_old):
        end()
        flash("You were signed out after a period without activity. Please sign in again.", "info")
        return None
    session["seen_at"] = now
    return None


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
