"""A second factor: TOTP authenticator apps, with one-time recovery codes."""
import hashlib
import secrets
import time
from datetime import timedelta

import pyotp
import segno
import sqlalchemy as sa
from flask import current_app

from exchange.accounts.models import User
from exchange.db import db, utcnow
from exchange.errors import DomainError, Invalid

ISSUER = "The Exchange"
RECOVERY_CODES = 10
STEP = 30
ACCOUNT_FAILURES = 10  # wrong codes an account may get in ACCOUNT_WINDOW before it is locked until it ends
ACCOUNT_WINDOW = timedelta(minutes=15)
PENDING_FAILURES = 5  # wrong codes one sign-in may try before it must start again with the password


class TooManyWrongCodes(DomainError):
    """Too many wrong codes for this account lately: codes are not even checked until the window ends."""

    status = 429
    code = "too_many_requests"


def required(user: User) -> bool:
    """Enrolled people always use it; admins must, unless EXCHANGE_ADMIN_MFA is off."""
    return bool(user.mfa_secret) or (user.is_admin and current_app.config["ADMIN_MFA"])


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The enrolment QR code as inline SVG (no script, no external image)."""
    return segno.make(uri, error="m").svg_inline(scale=4, dark="#000000", light="#ffffff", title="QR code to scan")


def _digits(code) -> str:
    return "".join(ch for ch in str(code or "") if not ch.isspace() and ch != "-")


def _hash(code: str) -> str:
    return hashlib.sha256(code.lower().encode()).hexdigest()


def _totp_step(secret: str, code: str, after: int | None) -> int | None:
    """The time step ``code`` belongs to (one step of clock drift either way), if not used before."""
    totp, now = pyotp.TOTP(secret), int(time.time()) // STEP
    for step in (now - 1, now, now + 1):
        if (after is None or step > after) and secrets.compare_digest(totp.at(step * STEP), code):
            return step
    return None


def enable(user: User, secret: str, code) -> list[str]:
    """Turn on the second factor once a code from the new secret checks out; returns recovery codes."""
    step = _totp_step(secret, _digits(code), None)
    if step is None:
        raise Invalid("That code does not match. Check the time on your phone and enter the newest 6-digit code.",
                      {"code": "does not match"})
    codes = [secrets.token_hex(6) for _ in range(RECOVERY_CODES)]
    user.mfa_secret, user.mfa_last_step = secret, step
    user.mfa_recovery = "\n".join(_hash(c) for c in codes)
    db.session.commit()
    return [f"{c[:6]}-{c[6:]}" for c in codes]


def verify(user: User, code) -> bool:
    """Check a 6-digit code or a recovery code, each used once however many sign-ins try it at once.

    Raises TooManyWrongCodes while the account is locked after ACCOUNT_FAILURES wrong codes.
    """
    _refuse_while_locked(user)
    code = _digits(code)
    if not user.mfa_secret or not code:
        used = False
    elif code.isdigit() and len(code) == 6:
        used = _use_step(user, _totp_step(user.mfa_secret, code, user.mfa_last_step))
    else:
        used = _use_recovery_code(user, _hash(code))
    _count(user, wrong=not used)
    return used


def _use_step(user: User, step: int | None) -> bool:
    """Record ``step`` as used, if no other sign-in used it (or a later one) first: the database decides."""
    if step is None:
        return False
    claimed = db.session.execute(
        sa.update(User).where(User.id == user.id, sa.or_(User.mfa_last_step.is_(None), User.mfa_last_step < step))
        .values(mfa_last_step=step).execution_options(synchronize_session=False))
    return claimed.rowcount == 1


def _use_recovery_code(user: User, hashed: str) -> bool:
    """Strike ``hashed`` off the list unless another sign-in changed the list first (then look again)."""
    for _ in range(RECOVERY_CODES + 1):
        current = db.session.scalar(sa.select(User.mfa_recovery).where(User.id == user.id)
                                    .execution_options(populate_existing=True)) or ""
        hashes = [h for h in current.split("\n") if h]
        if hashed not in hashes:
            return False
        hashes.remove(hashed)
        struck = db.session.execute(
            sa.update(User).where(User.id == user.id, User.mfa_recovery == current)
            .values(mfa_recovery="\n".join(hashes)).execution_options(synchronize_session=False))
        if struck.rowcount == 1:
            return True
    return False


def _refuse_while_locked(user: User) -> None:
    since = db.session.execute(sa.select(User.mfa_failures, User.mfa_failures_since).where(User.id == user.id)).one()
    if since.mfa_failures >= ACCOUNT_FAILURES and since.mfa_failures_since > utcnow() - ACCOUNT_WINDOW:
        minutes = int(ACCOUNT_WINDOW.total_seconds() // 60)
        raise TooManyWrongCodes(f"Too many wrong codes: two-step sign-in for this account is locked for up to "
                                f"{minutes} minutes. Try again later, or ask an administrator.")


def _count(user: User, wrong: bool) -> None:
    """Count a wrong code in the account's window (atomically), or clear the count after a right one."""
    now = utcnow()
    if wrong:
        fresh = sa.and_(User.mfa_failures_since.is_not(None), User.mfa_failures_since > now - ACCOUNT_WINDOW)
        values = {"mfa_failures": sa.case((fresh, User.mfa_failures + 1), else_=1),
                  "mfa_failures_since": sa.case((fresh, User.mfa_failures_since), else_=now)}
    else:
        values = {"mfa_failures": 0, "mfa_failures_since": None}
    db.session.execute(sa.update(User).where(User.id == user.id).values(**values)
                       .execution_options(synchronize_session=False))
    db.session.commit()
    db.session.refresh(user)


def check_password(user: User, password) -> None:
    """Enrolling or removing an authenticator asks for the password."""
    if not user.check_password(password or ""):
        raise Invalid("The password is not right.", {"password": "not right"})


def disable(user: User, password) -> None:
    """Turn the second factor off (members only when admins must use it)."""
    check_password(user, password)
    if user.is_admin and current_app.config["ADMIN_MFA"]:
        raise Invalid("Admins must keep a second factor.", {"password": "admins must keep it"})
    user.mfa_secret, user.mfa_recovery, user.mfa_last_step = None, "", None
    user.rotate_session()
    db.session.commit()


def recovery_left(user: User) -> int:
    return len([h for h in (user.mfa_recovery or "").split("\n") if h])
