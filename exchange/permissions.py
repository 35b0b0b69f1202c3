"""Who may do what, in one place: the acting person, the system, and the rules every layer asks.

Every service that acts takes an explicit ``actor``:

- a signed-in person (a ``User``);
- ``SYSTEM``: the command line, migrations and content loading, which act for the operator;
- ``None``: a visitor, who may read what is public and nothing more.

A forgotten argument is therefore a visitor, never the system: it can only take power away.
Pages turn refusals into the sign-in page or an error page; the API turns them into 401/403/404.
"""
from __future__ import annotations

import functools
import time
from typing import TYPE_CHECKING, Final, Union

from flask import current_app, flash, redirect, request, session, url_for
from flask_login import current_user

from exchange.errors import Forbidden, NotFound, Unauthorized, Unverified
from exchange.extensions import login_manager

if TYPE_CHECKING:
    from exchange.accounts.models import User


class System:
    """The operator acting through the command line or a migration: allowed what admins are."""

    is_authenticated: Final = True
    is_admin: Final = True
    id = None
    agency_id = None

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM: Final = System()
Actor = Union["User", System, None]


def signed_in(actor: Actor) -> bool:
    """A person who has signed in (not a visitor, not the system)."""
    return actor is not None and actor is not SYSTEM and bool(getattr(actor, "is_authenticated", False))


TOKEN_NEEDS_SECOND_FACTOR = ("Admin actions through the API need a token created after signing in with your "
                             "second factor: sign in again and create a new token on your profile page.")


def is_admin(actor: Actor) -> bool:
    """An admin, or the system (an admin's API token made without a second factor is a member's)."""
    return actor is SYSTEM or (signed_in(actor) and actor.is_admin and not _token_lacks_second_factor(actor))


def _token_lacks_second_factor(actor) -> bool:
    """Acting through an API token made without a second factor, while admins must use one."""
    token = getattr(actor, "api_token", None)
    return token is not None and not token.second_factor and current_app.config["ADMIN_MFA"]


def require_member(actor: Actor) -> User:
    """The acting person, who must be signed in."""
    if not signed_in(actor):
        raise Unauthorized("Sign in to do that.")
    return actor


def require_admin(actor: Actor, message: str = "Only admins may do that.") -> None:
    """Refuse anyone but an admin or the system."""
    if actor is SYSTEM:
        return
    require_member(actor)
    if not actor.is_admin:
        raise Forbidden(message)
    if _token_lacks_second_factor(actor):
        raise Forbidden(TOKEN_NEEDS_SECOND_FACTOR)


UNVERIFIED = ("Confirm your email address first: follow the link we sent to it (your profile can send it "
              "again). Until then you can read and write drafts.")


def is_verified(actor: Actor) -> bool:
    """The system, or a person whose address was proved by a link sent to it (or who was invited)."""
    return actor is SYSTEM or (signed_in(actor) and getattr(actor, "verified_at", None) is not None)


def require_verified(actor: Actor) -> User:
    """A signed-in person with a proved address: publishing, endorsing, adopting, commenting, flagging."""
    if actor is SYSTEM:
        return actor
    require_member(actor)
    if not is_verified(actor):
        raise Unverified(UNVERIFIED)
    return actor


def member_of(actor: Actor, agency_id: int | None) -> bool:
    """On that agency's staff, verified or not (they may write drafts for it), an admin, or the system."""
    return is_admin(actor) or (signed_in(actor) and actor.agency_id == agency_id)


def of_agency(actor: Actor, agency_id: int | None) -> bool:
    """Verified staff of that agency, an admin, or the system: who sees and runs the agency's work."""
    return is_admin(actor) or (is_verified(actor) and actor.agency_id == agency_id)


# Articles ----------------------------------------------------------------------------------------

def can_view(actor: Actor, article) -> bool:
    """Published and archived articles are public; a draft only to its agency's staff and admins."""
    if article.status != "draft":
        return True
    return of_agency(actor, article.agency_id) or (signed_in(actor) and actor.id == article.author_id)


def can_view_unpublished(actor: Actor, article) -> bool:
    """Its drafts and the history before its publication: the owning agency's staff, its author, admins."""
    return of_agency(actor, article.agency_id) or (signed_in(actor) and actor.id == article.author_id)


def can_edit(actor: Actor, article) -> bool:
    """The edit policy: ``agency`` means its staff and admins, ``open`` any member."""
    if not can_view(actor, article):
        return False
    if of_agency(actor, article.agency_id):
        return True
    if signed_in(actor) and actor.id == article.author_id and article.status == "draft":
        return True  # their own draft, even before their address is verified
    return is_verified(actor) and article.edit_policy == "open" and article.status == "published"


def can_change_policy(actor: Actor, article) -> bool:
    """Who decides who may edit: the author and admins."""
    return is_admin(actor) or (signed_in(actor) and actor.id == article.author_id)


def can_change_status(actor: Actor, article) -> bool:
    """Publishing, back to draft, archiving: its agency and admins, whatever the edit policy."""
    return of_agency(actor, article.agency_id)


def can_archive(actor: Actor, article) -> bool:
    """Taking an article down is for its agency and admins."""
    return can_change_status(actor, article)


def require_view(actor: Actor, article) -> None:
    """A hidden draft does not exist for this actor: 404."""
    if not can_view(actor, article):
        raise NotFound("There is no article at this address.")


def require_edit(actor: Actor, article) -> None:
    """Refuse an edit the policy does not allow (a hidden draft stays hidden: 404)."""
    if actor is not SYSTEM:
        require_member(actor)
    require_view(actor, article)
    if not can_edit(actor, article):
        raise Forbidden(f"Only staff of {article.agency.name} and admins may edit this practice.")


# Pages -------------------------------------------------------------------------------------------

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


def admin_required(view):
    """Only admins: 401 for visitors (sign in), 403 for members; a recent sign-in for changes."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_admin:
            raise Forbidden("This area is for administrators.")
        if current_app.config["ADMIN_MFA"] and not session.get("second_factor"):
            raise Forbidden("The admin area needs a sign-in with your second factor: sign out and sign in again.")
        if request.method not in ("GET", "HEAD"):
            return recent_auth_required(view)(*args, **kwargs)
        return view(*args, **kwargs)

    return wrapped


def _path_of(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
