"""Agencies, their email domains, people and their API tokens."""
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from exchange.config import SETTINGS
from exchange.db import Base, UTCDateTime, utcnow

LEVELS = ("national", "regional", "local", "other")
ROLES = ("member", "admin")


class Agency(Base):
    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    acronym: Mapped[str] = mapped_column(sa.String(20), default="")
    level: Mapped[str] = mapped_column(sa.String(20), default="other")
    country: Mapped[str] = mapped_column(sa.String(2), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="", server_default="")  # gets team questions
    members_may_invite: Mapped[bool] = mapped_column(default=False)  # else only admins invite its staff

    domains: Mapped[list["AgencyDomain"]] = relationship(
        back_populates="agency", cascade="all, delete-orphan", order_by="AgencyDomain.domain"
    )
    members: Mapped[list["User"]] = relationship(back_populates="agency", viewonly=True)

    @property
    def domain_names(self) -> list[str]:
        return [d.domain for d in self.domains]

    @property
    def short_name(self) -> str:
        return self.acronym or self.name


class AgencyDomain(Base):
    __tablename__ = "agency_domains"

    id: Mapped[int] = mapped_column(primary_key=True)
    domain: Mapped[str] = mapped_column(sa.String(253), unique=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id", ondelete="CASCADE"), index=True)

    agency: Mapped[Agency] = relationship(back_populates="domains")


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    job_title: Mapped[str] = mapped_column(sa.String(120), default="")
    bio: Mapped[str] = mapped_column(sa.Text, default="")
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    role: Mapped[str] = mapped_column(sa.String(10), default="member")
    active: Mapped[bool] = mapped_column(default=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255), default="")
    # Rotated on sign-out and password change: every cookie made before is refused.
    session_token: Mapped[str] = mapped_column(sa.String(64), default=lambda: secrets.token_hex(16))
    mfa_secret: Mapped[str | None] = mapped_column(sa.String(64), default=None)
    mfa_recovery: Mapped[str] = mapped_column(sa.Text, default="")  # sha256 of unused recovery codes
    mfa_last_step: Mapped[int | None] = mapped_column(default=None)  # a TOTP code is never accepted twice
    mfa_failures: Mapped[int] = mapped_column(default=0)  # wrong codes since mfa_failures_since
    mfa_failures_since: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # When the address was proved by a link sent to it (or the account came from an invitation). Until
    # then the account reads and drafts, nothing more (exchange.permissions.is_verified).
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # A password someone else saw (printed by `exchange user add`): changed at the next sign-in.
    must_change_password: Mapped[bool] = mapped_column(default=False)

    agency: Mapped[Agency] = relationship(back_populates="members", lazy="joined")
    tokens: Mapped[list["ApiToken"]] = relationship(back_populates="user", cascade="all, delete-orphan")

    # The token a request of the API came with (set per request, never stored): admin work needs
    # one made with a second factor.
    api_token = None

    # flask-login's protocol
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def set_password(self, password: str) -> None:
        method = current_app.config["PASSWORD_HASH_METHOD"] if current_app else SETTINGS["PASSWORD_HASH_METHOD"].default
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def rotate_session(self) -> None:
        self.session_token = secrets.token_hex(16)


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(sa.String(80), default="")
    prefix: Mapped[str] = mapped_column(sa.String(12))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # Made in a session signed in (or confirmed) with a second factor: only such tokens do admin work.
    second_factor: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship(back_populates="tokens")

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now


# Sign-in with an agency's own OpenID Connect provider (exchange/accounts/sso.py) --------------------

class AgencySignOn(Base):
    """An agency's OpenID Connect provider: where it is, who we are to it, which addresses it vouches for.

    The client secret is never stored: ``client_secret_source`` says where to read it when needed,
    ``file:/path`` or ``env:NAME``, so no page, API answer, log, backup or export can show it.
    """

    __tablename__ = "agency_sign_on"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id", ondelete="CASCADE"), unique=True)
    issuer: Mapped[str] = mapped_column(sa.String(500))
    client_id: Mapped[str] = mapped_column(sa.String(255))
    client_secret_source: Mapped[str] = mapped_column(sa.String(600))
    domains: Mapped[str] = mapped_column(sa.Text, default="")  # space-separated, each one of the agency's
    required: Mapped[bool] = mapped_column(default=False)  # its staff may not sign in with a password
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    agency: Mapped[Agency] = relationship(lazy="joined")

    @property
    def domain_names(self) -> list[str]:
        return self.domains.split()


class SignOnIdentity(Base):
    """A person as their agency's provider knows them (issuer and subject), linked to their account."""

    __tablename__ = "sign_on_identities"
    __table_args__ = (sa.UniqueConstraint("issuer", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    issuer: Mapped[str] = mapped_column(sa.String(500))
    subject: Mapped[str] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sign_in_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")


class AccountToken(Base):
    """A single-use link sent by email: proving an address (``verify``) or choosing a new password (``reset``)."""

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(sa.String(10))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)  # sha256: the link itself is never kept
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    user: Mapped[User] = relationship(lazy="joined")


class Invitation(Base):
    """An address invited into an agency; following the link makes a verified account there."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id", ondelete="CASCADE"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    agency: Mapped[Agency] = relationship(lazy="joined")
    invited_by: Mapped[User | None] = relationship(lazy="joined")

    @property
    def invited_by_name(self) -> str:
        return self.invited_by.name if self.invited_by else "An administrator"

    def pending(self, now: datetime) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now
