"""Single-use links sent by email: proving an address, and choosing a new password.

A link carries a random secret; only its sha256 is kept, with the time it expires and the time
it was used. Each request sends a signal that exchange/mail hears to queue the email in the same
transaction, so the email goes only if the change commits.
"""
import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from blinker import Namespace
from flask import current_app

from exchange import audit
from exchange.accounts import passwords
from exchange.accounts.models import AccountToken, ApiToken, User
from exchange.db import db, utcnow
from exchange.errors import Forbidden, Invalid, NotFound
from exchange.permissions import Actor, require_admin

signals = Namespace()
verification_requested = signals.signal("verification-requested")  # (user, token=secret)
reset_requested = signals.signal("reset-requested")  # (user, token=secret, by_admin=bool)
LINK_GONE = "This link does not work: it was used already, it has expired, or it was mistyped."


def hash_secret(secret: str) -> str:
    return hashlib.sha256((secret or "").encode("utf-8", "replace")).hexdigest()


def _issue(user: User, purpose: str, lifetime: timedelta) -> str:
    """A new link for ``user``; earlier unused ones for the same purpose stop working."""
    _expire_others(user, purpose)
    secret = secrets.token_urlsafe(32)
    db.session.add(AccountToken(user_id=user.id, purpose=purpose, token_hash=hash_secret(secret),
                                expires_at=utcnow() + lifetime))
    return secret


def _expire_others(user: User, purpose: str) -> None:
    db.session.execute(sa.update(AccountToken).where(AccountToken.user_id == user.id, AccountToken.purpose == purpose,
                                                     AccountToken.used_at.is_(None)).values(used_at=utcnow()))


def _find(secret: str, purpose: str) -> AccountToken:
    """The unused, unexpired link with this secret, or NotFound."""
    if not secret or len(secret) > 200:
        raise NotFound(LINK_GONE)
    token = db.session.scalar(sa.select(AccountToken).where(AccountToken.token_hash == hash_secret(secret),
                                                            AccountToken.purpose == purpose))
    if token is None or token.used_at is not None or token.expires_at <= utcnow() or not token.user.active:
        raise NotFound(LINK_GONE)
    return token


# Verified addresses --------------------------------------------------------------------------------

def request_verification(user: User) -> None:
    """Send (again) the link that proves ``user``'s address; the caller commits."""
    if user.verified_at is not None:
        raise Invalid("Your address is verified already.", {"email": "already verified"})
    secret = _issue(user, "verify", timedelta(hours=current_app.config["VERIFY_HOURS"]))
    verification_requested.send(user, token=secret)


def resend_verification(actor: Actor, user: User) -> None:
    """The person themself, or an admin for them, asks for the link again."""
    if actor is not user and getattr(actor, "id", -1) != user.id:
        require_admin(actor)
        audit.record(actor, "user.resend_verification", "user", user.email)
    request_verification(user)
    db.session.commit()


def verify(secret: str) -> User:
    """Follow a verification link: the address is proved, the link is spent."""
    token = _find(secret, "verify")
    token.used_at = utcnow()
    token.user.verified_at = token.user.verified_at or utcnow()
    db.session.commit()
    return token.user


# Password reset --------------------------------------------------------------------------------------

def request_reset(email: str) -> None:
    """Send a reset link if an active account has this address; the same work and answer if not."""
    from exchange.accounts.services import get_user_by_email, normalise_email

    email = normalise_email(email)
    try:
        user = get_user_by_email(email)
    except NotFound:
        user = None
    if user is None or not user.active:
        hash_secret(secrets.token_urlsafe(32))  # nothing to send: no account, and no hint of it
        return
    secret = _issue(user, "reset", timedelta(minutes=current_app.config["RESET_MINUTES"]))
    reset_requested.send(user, token=secret, by_admin=False)
    db.session.commit()


def send_reset(actor: Actor, user: User) -> None:
    """An admin sends a person a reset link (from the people page)."""
    require_admin(actor)
    if not user.active:
        raise Forbidden("That account is deactivated; reactivate it first.")
    secret = _issue(user, "reset", timedelta(minutes=current_app.config["RESET_MINUTES"]))
    reset_requested.send(user, token=secret, by_admin=True)
    audit.record(actor, "user.send_reset", "user", user.email)
    db.session.commit()


def reset_link_secret(actor: Actor, user: User) -> str:
    """A reset link's secret for the command line to print (no email)."""
    require_admin(actor)
    secret = _issue(user, "reset", timedelta(minutes=current_app.config["RESET_MINUTES"]))
    audit.record(actor, "user.reset_link", "user", user.email)
    db.session.commit()
    return secret


def check_reset(secret: str) -> User:
    """The person a reset link is for, while it works (showing the form spends nothing)."""
    return _find(secret, "reset").user


def reset_password(secret: str, password, password_confirm, revoke_tokens: bool = True) -> User:
    """Choose a new password through a reset link: every session ends, and API tokens unless kept."""
    token = _find(secret, "reset")
    user = token.user
    if (password or "") != (password_confirm or ""):
        raise Invalid("The two passwords are not the same.", {"password_confirm": "not the same as the password"})
    set_new_password(user, password, revoke_tokens)
    token.used_at = utcnow()
    user.verified_at = user.verified_at or utcnow()  # the link reached the address: it is proved
    db.session.commit()
    return user


def set_new_password(user: User, password, revoke_tokens: bool = True) -> None:
    """Set a checked password, end every session and (by default) revoke API tokens; the caller commits."""
    user.set_password(passwords.check(password, "password", email=user.email, name=user.name))
    user.must_change_password = False
    user.rotate_session()
    _expire_others(user, "reset")
    if revoke_tokens:
        db.session.execute(sa.update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                           .values(revoked_at=utcnow()))
