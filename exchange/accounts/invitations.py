"""Invitations: an admin, or staff of an agency that allows it, invites a colleague by email.

Following the link lets the invited person choose a name and a password; the account is made in
the agency, verified (the link reached the address). Pending invitations are listed and revocable.
"""
import secrets
from datetime import timedelta

import sqlalchemy as sa
from blinker import Namespace
from flask import current_app

from exchange import audit
from exchange.accounts import passwords
from exchange.accounts.links import LINK_GONE, hash_secret
from exchange.accounts.models import Agency, Invitation, User
from exchange.db import db, utcnow
from exchange.errors import Conflict, Forbidden, Invalid, NotFound
from exchange.permissions import Actor, is_admin, require_verified
from exchange.text import clean_line

invited = Namespace().signal("invited")  # (invitation, token=secret): exchange/mail sends the email


def may_invite(actor: Actor, agency: Agency) -> bool:
    """Admins, and verified staff of an agency that lets its members invite."""
    return is_admin(actor) or (getattr(actor, "verified_at", None) is not None
                               and actor.agency_id == agency.id and agency.members_may_invite)


def invite(actor: Actor, email, agency: Agency) -> Invitation:
    """Invite an address into ``agency``; an address with an account, or already invited, is refused."""
    from exchange.accounts.services import _holder_of, normalise_email

    require_verified(actor)
    if not may_invite(actor, agency):
        raise Forbidden(f"Only admins may invite people into {agency.name}.")
    email = normalise_email(email)
    if _holder_of(email) is not None:
        raise Conflict("That address has an account already.", {"email": "has an account"})
    if any(i.pending(utcnow()) for i in _for_address(email)):
        raise Conflict("That address has a pending invitation; revoke it to send a new one.", {"email": "invited"})
    secret = secrets.token_urlsafe(32)
    invitation = Invitation(email=email, agency=agency, invited_by_id=getattr(actor, "id", None),
                            token_hash=hash_secret(secret),
                            expires_at=utcnow() + timedelta(days=current_app.config["INVITE_DAYS"]))
    db.session.add(invitation)
    db.session.flush()
    invited.send(invitation, token=secret)
    audit.record(actor, "invitation.create", "invitation", email, agency.slug)
    db.session.commit()
    return invitation


def _for_address(email: str) -> list[Invitation]:
    return list(db.session.scalars(sa.select(Invitation).where(Invitation.email == email)))


def pending(actor: Actor) -> list[Invitation]:
    """The pending invitations this actor may see: every one for admins, their agency's for members."""
    now = utcnow()
    query = sa.select(Invitation).where(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None),
                                        Invitation.expires_at > now).order_by(Invitation.created_at.desc())
    if not is_admin(actor):
        query = query.where(Invitation.agency_id == getattr(actor, "agency_id", None))
    return list(db.session.scalars(query))


def revoke(actor: Actor, invitation_id) -> Invitation:
    """Withdraw a pending invitation: its link stops working."""
    invitation = db.session.get(Invitation, invitation_id) if str(invitation_id).isdigit() else None
    if invitation is None or not may_invite(actor, invitation.agency):
        raise NotFound("There is no such invitation.")
    invitation.revoked_at = invitation.revoked_at or utcnow()
    audit.record(actor, "invitation.revoke", "invitation", invitation.email, invitation.agency.slug)
    db.session.commit()
    return invitation


def find(secret: str) -> Invitation:
    """The pending invitation with this secret, or NotFound."""
    invitation = None
    if secret and len(secret) <= 200:
        invitation = db.session.scalar(sa.select(Invitation).where(Invitation.token_hash == hash_secret(secret)))
    if invitation is None or not invitation.pending(utcnow()):
        raise NotFound(LINK_GONE)
    return invitation


def accept(secret: str, name, password, password_confirm) -> User:
    """Make the invited account: in the invitation's agency, verified, with the chosen name and password."""
    from exchange.accounts.services import _new_user

    invitation = find(secret)
    name = clean_line(name, "name", min_len=1, max_len=120)
    if (password or "") != (password_confirm or ""):
        raise Invalid("The two passwords are not the same.", {"password_confirm": "not the same as the password"})
    passwords.check(password, "password", email=invitation.email, name=name)
    user = _new_user(invitation.email, name, invitation.agency, password, "member")
    user.verified_at = utcnow()
    invitation.accepted_at = utcnow()
    audit.record(None, "invitation.accept", "invitation", invitation.email, invitation.agency.slug)
    db.session.commit()
    return user
