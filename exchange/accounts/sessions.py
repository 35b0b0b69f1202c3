"""Sign-in sessions: when they start, when they time out, and whether sign-in was recent."""
import functools
import time

from flask import current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user


def start(user, remember: bool = False) -> None:
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


def is_recent() -> bool:
    """Signed in (or confirmed) with a password within the last few minutes, not by cookie alone."""
    window = current_app.config["RECENT_AUTH_MINUTES"] * 60
    return bool(session.get("_fresh", True)) and int(time.time()) - session.get("auth_at", 0) <= window


def recent_auth_required(view):
    """Sensitive actions ask for the password again when sign-in was not recent."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if current_user.is_authenticated and not is_recent():
            flash("For your security, please confirm your password to continue.", "info")
            target = request.full_path.rstrip("?") if request.method == "GET" else (request.referrer or "/")
            return redirect(url_for("accounts.confirm", next=_path_of(target)))
        return view(*args, **kwargs)

    return wrapped


def _path_of(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
