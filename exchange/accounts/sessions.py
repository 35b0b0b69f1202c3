"""Sign-in sessions: who a cookie belongs to, when sessions start and when they time out.

A session's identity (flask-login's ``_user_id``, also the content of the "keep me signed in"
cookie, which flask-login signs) is ``id:session_token:signed_in_at:seen_at:second_factor``. The
server checks every part, so a cookie kept past its date, or a device unused too long, is refused
whatever the browser was told about its expiry; rotating ``session_token`` ends them all.
"""
import time

from flask import current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from exchange.accounts.models import Agency, User
from exchange.db import column_values, db, detached, utcnow
from exchange.extensions import login_manager
from exchange.pagecache import versioned

# Pages a visitor may reach even when the site is not public.
_ALWAYS_OPEN = {"static", "accounts.login", "accounts.register", "accounts.mfa_code", "accounts.mfa_setup",
                "site.healthz", "accounts.verify", "accounts.forgot_password", "accounts.reset_password",
                "accounts.accept_invitation", "mail.unsubscribe",
                "accounts.sso_start", "accounts.sso_callback"}
# Pages a person whose password must be changed may still reach (the profile holds the form).
_NEW_PASSWORD_OPEN = {"static", "accounts.profile", "accounts.change_password", "accounts.logout", "accounts.confirm",
                      "accounts.mfa_code", "accounts.mfa_setup", "accounts.verify", "mail.unsubscribe"}
SEEN_EVERY = 3600  # seconds between renewals of a remembered device's last-seen time
SEEN_RESOLUTION = 60  # seconds between renewals of a session's last-seen time (idle time is counted to the minute)


def start(user: User, remember: bool = False, second_factor: bool = False) -> None:
    """Sign ``user`` in on a clean session (``second_factor``: a code was checked just now)."""
    session.clear()
    login_user(user, remember=remember)
    now = int(time.time())
    session["auth_at"] = session["seen_at"] = now
    session["remembered"] = bool(remember)
    session["second_factor"] = bool(second_factor)
    _set_identity(user, now, now, second_factor)
    user.last_sign_in_at = utcnow()
    db.session.commit()


def confirm(second_factor: bool = False) -> None:
    """The person just re-entered their password (and code): sign-in counts as recent again."""
    session["auth_at"] = int(time.time())
    session["_fresh"] = True
    session["second_factor"] = bool(second_factor)


def end() -> None:
    logout_user()
    session.clear()


def _set_identity(user: User, signed_in_at: int, seen_at: int, second_factor: bool) -> None:
    session["_user_id"] = f"{user.id}:{user.session_token}:{signed_in_at}:{seen_at}:{int(bool(second_factor))}"
    if session.get("remembered"):
        session["_remember"] = "set"  # flask-login writes the cookie again with this identity


def _parse(identity: str) -> tuple[int, str, int, int, bool] | None:
    parts = (identity or "").split(":")
    if len(parts) != 5 or not all(p.isdigit() for p in (parts[0], parts[2], parts[3], parts[4])) or not parts[1]:
        return None
    return int(parts[0]), parts[1], int(parts[2]), int(parts[3]), parts[4] == "1"


def _too_old(signed_in_at: int, seen_at: int, now: int) -> bool:
    """Past the longest any sign-in lasts ("keep me signed in"), or unused longer than it allows."""
    config = current_app.config
    return (now - signed_in_at > config["REMEMBER_COOKIE_DURATION"]
            or now - seen_at > config["REMEMBER_IDLE_DAYS"] * 86400)


def enforce_timeouts():
    """Sign out after idle time or the longest session, remembered devices included."""
    if not current_user.is_authenticated or request.endpoint == "static":
        return None
    now = int(time.time())
    parsed = _parse(session.get("_user_id", ""))
    if parsed is None:
        end()
        return None
    _, _, signed_in_at, seen_at, second_factor = parsed
    if "auth_at" not in session:  # restored from a "keep me signed in" cookie
        session.update(auth_at=signed_in_at, seen_at=seen_at, remembered=True, second_factor=second_factor)
        session["_fresh"] = False
    config = current_app.config
    if session.get("remembered"):
        expired = _too_old(session["auth_at"], session.get("seen_at", 0), now)
    else:
        expired = (now - session.get("seen_at", 0) > config["SESSION_IDLE_MINUTES"] * 60
                   or now - session["auth_at"] > config["SESSION_MAX_HOURS"] * 3600)
    if expired:
        end()
        flash("You were signed out after a period without activity. Please sign in again.", "info")
        return None
    if now - session.get("seen_at", 0) >= SEEN_RESOLUTION:  # else the cookie is sent again with every page
        session["seen_at"] = now
    if now - seen_at >= SEEN_EVERY:
        _set_identity(current_user, session["auth_at"], now, session.get("second_factor", False))
    return None


@login_manager.user_loader
def load_user(identity: str) -> User | None:
    """The person behind a session or "keep me signed in" cookie, if it is still current."""
    parsed = _parse(identity)
    if parsed is None:
        return None
    user_id, token, signed_in_at, seen_at, _ = parsed
    if _too_old(signed_in_at, seen_at, int(time.time())):
        return None
    return _current(user_id, token)


def load_pending(identity: str) -> User | None:
    """The person half-way through signing in (password checked, code not yet), if still current."""
    ident, _, token = (identity or "").partition(":")
    return _current(int(ident), token) if ident.isdigit() and token else None


def _current(user_id: int, token: str) -> User | None:
    user = _person(user_id)
    if user is None or not user.active or user.session_token != token:
        return None
    return user


def _person(user_id: int) -> User | None:
    """The person with their agency. A reading request takes them from this worker's copy while the data
    version holds (every change to a person or an agency moves it): plain values, made into rows of this
    request's session without a statement. Profiled, loading them was a fifth of a member's kept page."""
    if request.method not in ("GET", "HEAD"):
        return db.session.get(User, user_id)
    loaded = []

    def load():
        user = db.session.get(User, user_id)
        loaded.append(user)
        return None if user is None else (column_values(user), column_values(user.agency))
    kept = versioned("person", user_id, load)  # first, so the version is read before any session opens
    if loaded or kept is None:
        return loaded[0] if loaded else None
    if db.session.identity_map.get(identity_key(User, user_id)) is not None:  # a row of this session already
        return db.session.get(User, user_id)
    user_values, agency_values = kept
    user, agency = detached(User, user_values), detached(Agency, agency_values)
    set_committed_value(user, "agency", agency)
    db.session.add(user)
    return user


def require_public_read():
    """With public reading off, visitors see only the sign-in page."""
    if current_app.config["PUBLIC_READ"] or current_user.is_authenticated:
        return None
    if request.endpoint in _ALWAYS_OPEN or request.path.startswith("/api/"):
        return None  # the API checks its own tokens
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


def require_new_password():
    """A password someone else saw (printed by `exchange user add`) is changed before anything else."""
    if (not current_user.is_authenticated or not current_user.must_change_password
            or request.endpoint in _NEW_PASSWORD_OPEN or request.path.startswith("/api/")):
        return None
    flash("Please choose a new password: the one you signed in with was given to you by someone else.", "info")
    return redirect(url_for("accounts.profile", _anchor="password-title"))
