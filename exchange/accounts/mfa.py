"""A second factor: TOTP authenticator apps, with one-time recovery codes."""
import hashlib
import secrets
import time

import pyotp
import segno
from flask import current_app

from exchange.accounts.models import User
from exchange.db import db
from exchange.errors import Invalid

ISSUER = "The Exchange"
RECOVERY_CODES = 10
STEP = 30


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
    """Check a 6-digit code (each used once) or a recovery code (each used once)."""
    code = _digits(code)
    if not user.mfa_secret or not code:
        return False
    if code.isdigit() and len(code) == 6:
        step = _totp_step(user.mfa_secret, code, user.mfa_last_step)
        if step is None:
            return False
        user.mfa_last_step = step
        db.session.commit()
        return True
    hashes = user.mfa_recovery.split("\n") if user.mfa_recovery else []
    if _hash(code) in hashes:
        hashes.remove(_hash(code))
        user.mfa_recovery = "\n".join(hashes)
        db.session.commit()
        return True
    return False


def disable(user: User, password) -> None:
    """Turn the second factor off (members only when admins must use it)."""
    if not user.check_password(password or ""):
        raise Invalid("The password is not right.", {"password": "not right"})
    if user.is_admin and current_app.config["ADMIN_MFA"]:
        raise Invalid("Admins must keep a second factor.", {"password": "admins must keep it"})
    user.mfa_secret, user.mfa_recovery, user.mfa_last_step = None, "", None
    user.rotate_session()
    db.session.commit()


def recovery_left(user: User) -> int:
    return len([h for h in (user.mfa_recovery or "").split("\n") if h])
