"""Sign-in with an agency's own account (OpenID Connect): configuring a provider, and signing people in.

An agency's provider vouches for some of the agency's email domains. A person it signs in, with
``email_verified`` true and an address on one of those domains, gets an account in that agency on
first sign-in (verified: the provider proved the address) and signs into the same account after.
An agency may require it: its staff then cannot sign in with a password.

The client secret is read when needed from a file or an environment variable (``client_secret_source``
is ``file:/path`` or ``env:NAME``); the database, pages, API, audit log and logs never hold it.
"""
import logging
import os
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import sqlalchemy as sa

from exchange import audit
from exchange.accounts import oidc
from exchange.accounts.models import Agency, AgencySignOn, SignOnIdentity, User
from exchange.accounts.services import get_agency, normalise_email
from exchange.db import db, utcnow
from exchange.errors import Forbidden, Invalid, NotFound, Unavailable
from exchange.permissions import Actor, require_admin
from exchange.text import clean_line

log = logging.getLogger("exchange.sso")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


class SignOnRefused(Forbidden):
    """The provider's answer does not let this person in."""

    code = "sso_refused"


class PasswordRefused(Forbidden):
    """This person's agency signs its staff in with its own account only."""

    code = "sso_required"


# Configuring -----------------------------------------------------------------

def configure(actor: Actor, slug, issuer, client_id, secret_file=None, secret_env=None,
              domains=(), required=False) -> AgencySignOn:
    """Set (or replace) an agency's provider; ``domains`` default to all the agency's email domains."""
    require_admin(actor)
    agency = get_agency(slug)
    sign_on = _sign_on_of(agency) or AgencySignOn(agency=agency)
    sign_on.issuer = _check_issuer(issuer)
    sign_on.client_id = clean_line(client_id, "client_id", min_len=1, max_len=255)
    sign_on.client_secret_source = _secret_source(secret_file, secret_env)
    sign_on.domains = " ".join(_check_domains(agency, domains))
    sign_on.required = bool(required)
    db.session.add(sign_on)
    audit.record(actor, "agency.sso", "agency", agency.slug,
                 f"issuer {sign_on.issuer}, client {sign_on.client_id}, secret from {_kind(sign_on)}, "
                 f"domains {', '.join(sign_on.domain_names)}, {'required' if sign_on.required else 'optional'}")
    db.session.commit()
    return sign_on


def remove(actor: Actor, slug) -> Agency:
    """Stop an agency's own sign-in; its staff sign in with passwords again (SSO-made accounts need one set)."""
    require_admin(actor)
    agency = get_agency(slug)
    sign_on = _sign_on_of(agency)
    if sign_on is None:
        raise NotFound(f"The agency '{agency.slug}' has no sign-in of its own.")
    db.session.delete(sign_on)  # the identities stay: configuring the same issuer again finds them
    audit.record(actor, "agency.sso_remove", "agency", agency.slug, f"issuer {sign_on.issuer}")
    db.session.commit()
    return agency


def _check_issuer(issuer) -> str:
    issuer = clean_line(issuer, "issuer", min_len=1, max_len=500)
    parts = urlsplit(issuer)
    secure = parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in _LOOPBACK)
    if not secure or not parts.hostname or parts.query or parts.fragment:
        raise Invalid("The issuer must be an https:// URL with no query, exactly as the provider names itself.",
                      {"issuer": "not an https URL"})
    return issuer


def _secret_source(secret_file, secret_env) -> str:
    if bool(secret_file) == bool(secret_env):
        raise Invalid("Give the client secret's file or its environment variable (one of them).",
                      {"client_secret": "file or environment variable"})
    if secret_env:
        if not _ENV_NAME.match(secret_env):
            raise Invalid(f"'{secret_env}' is not an environment variable name.", {"client_secret": "bad name"})
        return f"env:{secret_env}"
    path = Path(secret_file).absolute()
    if not _readable_secret(path):
        raise Invalid(f"Cannot read a client secret from {path}: it must be a readable, non-empty file.",
                      {"client_secret": "unreadable file"})
    return f"file:{path}"


def _readable_secret(path: Path) -> bool:
    try:
        return bool(path.read_text(encoding="utf-8").strip())
    except (OSError, UnicodeDecodeError):
        return False


def _kind(sign_on: AgencySignOn) -> str:
    """Where the secret is read from, said without the secret: ``file /path`` or ``environment NAME``."""
    kind, _, where = sign_on.client_secret_source.partition(":")
    return f"{'file' if kind == 'file' else 'environment'} {where}"


def _check_domains(agency: Agency, domains) -> list[str]:
    wanted = [d.strip().lower().lstrip("@") for d in domains or () if d.strip()] or agency.domain_names
    strangers = [d for d in wanted if d not in agency.domain_names]
    if strangers:
        raise Invalid(f"{', '.join(strangers)} is not an email domain of {agency.name}; add it to the agency first.",
                      {"domains": "not the agency's"})
    if not wanted:
        raise Invalid(f"{agency.name} has no email domain for its provider to vouch for.", {"domains": "none"})
    return list(dict.fromkeys(wanted))


def _sign_on_of(agency: Agency) -> AgencySignOn | None:
    return db.session.scalar(sa.select(AgencySignOn).where(AgencySignOn.agency_id == agency.id))


def get_sign_on(slug: str) -> AgencySignOn:
    """The provider of the agency with this slug, or NotFound."""
    sign_on = db.session.scalar(sa.select(AgencySignOn).join(Agency).where(Agency.slug == slug))
    if sign_on is None:
        raise NotFound(f"The agency '{slug}' has no sign-in of its own.")
    return sign_on


def list_sign_ons() -> list[AgencySignOn]:
    """Every agency's provider, by agency name."""
    return list(db.session.scalars(sa.select(AgencySignOn).join(Agency).order_by(Agency.name)))


def sign_on_for_email(email) -> AgencySignOn | None:
    """The provider that vouches for this address's domain, if any."""
    domain = str(email or "").rsplit("@", 1)[-1].strip().lower()
    if not domain:
        return None
    return next((s for s in list_sign_ons() if domain in s.domain_names), None)


# Password sign-in where SSO is required ------------------------------------------

def check_password_allowed(email=None, user: User | None = None) -> None:
    """Refuse a password sign-in for an address (or account) whose agency requires its own sign-in."""
    sign_on = sign_on_for_email(email) if email else None
    if user is not None and (sign_on is None or not sign_on.required):
        sign_on = _sign_on_of(user.agency)
    if sign_on is not None and sign_on.required:
        name = sign_on.agency.name
        raise PasswordRefused(f"Staff of {name} sign in with their agency’s own account: "
                              f"use the “Sign in with {name}” button.", agency=sign_on.agency.slug)


def method_of(users) -> dict[int, str]:
    """How each person signs in: "SSO", "password" or "SSO and password" (for the admin people page)."""
    ids = [user.id for user in users]
    with_sso = set(db.session.scalars(sa.select(SignOnIdentity.user_id).where(SignOnIdentity.user_id.in_(ids))))
    methods = {}
    for user in users:
        parts = (["SSO"] if user.id in with_sso else []) + (["password"] if user.password_hash else [])
        methods[user.id] = " and ".join(parts) or "none"
    return methods


# Signing in ---------------------------------------------------------------------

def _client(sign_on: AgencySignOn, redirect_uri: str) -> oidc.Client:
    return oidc.Client(sign_on.issuer, sign_on.client_id, _read_secret(sign_on), redirect_uri)


def _read_secret(sign_on: AgencySignOn) -> str:
    kind, _, where = sign_on.client_secret_source.partition(":")
    try:
        secret = os.environ.get(where, "") if kind == "env" else Path(where).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        secret = ""
    if not secret.strip():
        log.error("SSO for %s: no client secret in the %s", sign_on.agency.slug, _kind(sign_on))
        raise Unavailable(f"Sign-in with {sign_on.agency.name} is not available just now; tell an administrator.")
    return secret.strip()


def begin(sign_on: AgencySignOn, redirect_uri: str, login_hint: str = "", confirming: User | None = None
          ) -> tuple[str, dict]:
    """The provider's URL to send the person to, and what to keep in their session until they return.

    ``confirming``: a signed-in person confirming it is them before a sensitive action; the provider
    must ask them again, and the answer must be about them.
    """
    hint = confirming.email if confirming else login_hint
    try:
        url, pending = oidc.authorization_url(_client(sign_on, redirect_uri), hint, reauthenticate=bool(confirming))
    except oidc.ProviderError as error:
        raise _unavailable(sign_on, error) from None
    kept = {"agency": sign_on.agency.slug, **pending.__dict__}
    if confirming:
        kept.update(confirming=confirming.id, started=int(time.time()))
    return url, kept


def _unavailable(sign_on: AgencySignOn, error) -> Unavailable:
    log.warning("SSO for %s: %s", sign_on.agency.slug, error)
    return Unavailable(f"{sign_on.agency.name}'s sign-in service cannot be reached just now. Try again later.")


def finish(sign_on: AgencySignOn, kept: dict | None, answer: dict, redirect_uri: str) -> User:
    """Check the provider's answer against what was kept, then sign in (or create) the person's account."""
    if not kept or kept.get("agency") != sign_on.agency.slug:
        raise SignOnRefused("That sign-in was not started here, or has expired. Start again.")
    pending = oidc.Pending(kept["state"], kept["nonce"], kept["code_verifier"])
    if not oidc.state_matches(pending, answer.get("state")):
        raise _refused(sign_on, "state mismatch", "That sign-in was not started here, or has expired. Start again.")
    if answer.get("error") or not answer.get("code"):
        raise _refused(sign_on, f"provider answered {answer.get('error', 'no code')!r}",
                       f"{sign_on.agency.name} did not sign you in. Start again, or ask your agency's IT service.")
    try:
        claims = oidc.claims_for_code(_client(sign_on, redirect_uri), pending, answer["code"])
    except oidc.ProviderError as error:
        raise _refused(sign_on, str(error), f"The answer from {sign_on.agency.name} could not be trusted, "
                                            "so you are not signed in. Start again.") from None
    if kept.get("confirming"):
        return _confirmed(sign_on, kept, claims)
    return _sign_in(sign_on, claims)


def _confirmed(sign_on: AgencySignOn, kept: dict, claims: dict) -> User:
    """The provider asked the person again just now, and it is the person signed in here."""
    identity = db.session.scalar(sa.select(SignOnIdentity).where(
        SignOnIdentity.issuer == sign_on.issuer, SignOnIdentity.subject == str(claims["sub"])))
    if identity is None or identity.user_id != kept["confirming"]:
        raise _refused(sign_on, "confirmation by another person", "That was another account: you are not confirmed.")
    asked_at = claims.get("auth_time")
    if not isinstance(asked_at, int | float) or asked_at < kept["started"] - oidc.LEEWAY_SECONDS:
        raise _refused(sign_on, "confirmation without a new sign-in at the provider",
                       f"{sign_on.agency.name} did not ask for your password again, so you are not confirmed.")
    identity.last_sign_in_at = utcnow()
    audit.record(identity.user, "user.sso_confirm", "user", identity.user.email, sign_on.agency.slug)
    db.session.commit()
    return identity.user


def sign_on_of_user(user: User) -> AgencySignOn | None:
    """The agency provider this person has signed in with (to confirm it is them), if any."""
    sign_on = _sign_on_of(user.agency)
    if sign_on is None:
        return None
    linked = db.session.scalar(sa.select(SignOnIdentity.id).where(
        SignOnIdentity.user_id == user.id, SignOnIdentity.issuer == sign_on.issuer))
    return sign_on if linked else None


def _refused(sign_on: AgencySignOn, why: str, message: str) -> SignOnRefused:
    log.warning("SSO for %s refused: %s", sign_on.agency.slug, why)
    return SignOnRefused(message)


def _sign_in(sign_on: AgencySignOn, claims: dict) -> User:
    email = _vouched_email(sign_on, claims)
    identity = db.session.scalar(sa.select(SignOnIdentity).where(
        SignOnIdentity.issuer == sign_on.issuer, SignOnIdentity.subject == str(claims["sub"])))
    user = identity.user if identity else db.session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        user = _new_account(sign_on, email, claims)
    if user.agency_id != sign_on.agency_id or not user.active:
        raise _refused(sign_on, f"account {user.id} is inactive or of another agency",
                       "That account cannot be signed in here. Ask an administrator.")
    if identity is None:
        identity = SignOnIdentity(user=user, issuer=sign_on.issuer, subject=str(claims["sub"]))
        db.session.add(identity)
    identity.last_sign_in_at = utcnow()
    mark_verified(user)
    audit.record(user, "user.sso_sign_in", "user", user.email, f"{sign_on.agency.slug} via {sign_on.issuer}")
    db.session.commit()
    return user


def _vouched_email(sign_on: AgencySignOn, claims: dict) -> str:
    if claims.get("email_verified") is not True:
        raise _refused(sign_on, "email_verified is not true",
                       f"{sign_on.agency.name} has not verified your email address, so it cannot sign you in here.")
    try:
        email = normalise_email(claims.get("email"))
    except Invalid:
        message = f"{sign_on.agency.name} did not give a valid email address."
        raise _refused(sign_on, "no valid email claim", message) from None
    if email.rsplit("@", 1)[-1] not in sign_on.domain_names:
        raise _refused(sign_on, f"domain of {email} not vouched for",
                       f"{sign_on.agency.name}'s sign-in does not vouch for addresses like {email}.")
    return email


def _new_account(sign_on: AgencySignOn, email: str, claims: dict) -> User:
    name = " ".join(str(claims.get("name") or "").split())[:120] or email.split("@", 1)[0]
    user = User(email=email, name=name, agency=sign_on.agency, role="member", password_hash="")
    db.session.add(user)
    db.session.flush()
    audit.record(user, "user.sso_add", "user", email, sign_on.agency.slug)
    return user


def mark_verified(user: User) -> None:
    """The provider proved the address: the account counts as verified (``verified_at``, where accounts have it)."""
    if hasattr(user, "verified_at") and getattr(user, "verified_at", None) is None:
        user.verified_at = utcnow()
