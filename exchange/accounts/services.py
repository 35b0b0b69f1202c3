"""Agencies, people, passwords and API tokens: the verbs, shared by pages, API and CLI."""
import functools
import hashlib
import re
import secrets
import unicodedata
from datetime import timedelta

import sqlalchemy as sa
from blinker import Namespace
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from werkzeug.security import generate_password_hash

from exchange import audit
from exchange.accounts import links, passwords, throttle
from exchange.accounts.models import LEVELS, ROLES, Agency, AgencyDomain, ApiToken, User
from exchange.db import db, utcnow
from exchange.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from exchange.permissions import Actor, require_admin, signed_in
from exchange.text import clean_line, clean_text

SIGN_IN_REFUSED = "That email and password do not match an active account."
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
TOKEN_PREFIX = "exo_"
# Someone tried to register an address that already has an account; sent with its holder (#15 emails them).
registration_repeated = Namespace().signal("registration-repeated")


# Agencies -----------------------------------------------------------------

def get_agency(slug: str) -> Agency:
    """The agency with this slug, or NotFound."""
    agency = db.session.scalar(sa.select(Agency).where(Agency.slug == slug))
    if agency is None:
        raise NotFound(f"There is no agency '{slug}'.")
    return agency


def list_agencies() -> list[Agency]:
    """Every agency, by name."""
    return list(db.session.scalars(sa.select(Agency).order_by(Agency.name)))


def add_agency(actor: Actor, slug, name, acronym="", level="other", country="", domains=()) -> Agency:
    """Register an agency with the email domains its staff use."""
    require_admin(actor)
    slug = clean_line(slug, "slug", min_len=1, max_len=80).lower()
    if not _SLUG.match(slug):
        raise Invalid("Slug may use only a-z, 0-9 and hyphens.", {"slug": "only a-z, 0-9 and hyphens"})
    if db.session.scalar(sa.select(Agency.id).where(Agency.slug == slug)):
        raise Conflict(f"An agency with slug '{slug}' already exists.", {"slug": "already taken"})
    agency = Agency(
        slug=slug,
        name=clean_line(name, "name", min_len=2, max_len=200),
        acronym=clean_line(acronym, "acronym", max_len=20),
        level=_check_level(level),
        country=_check_country(country),
    )
    agency.domains = [AgencyDomain(domain=d) for d in _check_domains(domains)]
    db.session.add(agency)
    audit.record(actor, "agency.add", "agency", slug, ", ".join(agency.domain_names))
    db.session.commit()
    return agency


def update_agency(actor: Actor, agency: Agency, name, acronym, level, country, domains) -> Agency:
    """Change an agency's details and its list of email domains."""
    require_admin(actor)
    agency.name = clean_line(name, "name", min_len=2, max_len=200)
    agency.acronym = clean_line(acronym, "acronym", max_len=20)
    agency.level = _check_level(level)
    agency.country = _check_country(country)
    wanted = _check_domains(domains, agency=agency)
    agency.domains = [d for d in agency.domains if d.domain in wanted]
    agency.domains += [AgencyDomain(domain=d) for d in wanted if d not in agency.domain_names]
    audit.record(actor, "agency.update", "agency", agency.slug, ", ".join(wanted))
    db.session.commit()
    return agency


def set_members_may_invite(actor: Actor, agency: Agency, allowed: bool) -> Agency:
    """Let an agency's verified staff invite colleagues into it, or leave that to admins."""
    require_admin(actor)
    agency.members_may_invite = bool(allowed)
    audit.record(actor, "agency.members_may_invite", "agency", agency.slug, "yes" if allowed else "no")
    db.session.commit()
    return agency


def set_contact_email(actor: Actor, agency: Agency, email) -> Agency:
    """The address that receives members' questions about the agency's practices (empty: none)."""
    require_admin(actor)
    address = ""
    if str(email or "").strip():
        try:
            address = normalise_email(email)
        except Invalid:
            message = "Enter a valid contact email address, like team@agency.gov, or leave it empty."
            raise Invalid(message, {"contact_email": message}) from None
    agency.contact_email = address
    audit.record(actor, "agency.contact_email", "agency", agency.slug, "set" if address else "removed")
    db.session.commit()
    return agency


def _check_level(level) -> str:
    level = (level or "other").strip().lower()
    if level not in LEVELS:
        raise Invalid(f"Level must be one of: {', '.join(LEVELS)}.", {"level": "unknown level"})
    return level


def _check_country(country) -> str:
    country = (country or "").strip().upper()
    if country and not re.fullmatch(r"[A-Z]{2}", country):
        raise Invalid("Country must be a two-letter code such as GB or NL.", {"country": "two letters"})
    return country


def _check_domains(domains, agency: Agency | None = None) -> list[str]:
    cleaned = []
    for raw in domains or ():
        domain = (raw or "").strip().lower().lstrip("@")
        if not domain:
            continue
        if not _DOMAIN.match(domain):
            raise Invalid(f"'{raw}' is not an email domain.", {"domains": f"'{raw}' is not a domain"})
        owner = db.session.scalar(sa.select(AgencyDomain).where(AgencyDomain.domain == domain))
        if owner is not None and owner.agency is not agency:
            raise Conflict(f"The domain {domain} already belongs to another agency.", {"domains": "taken"})
        if domain not in cleaned:
            cleaned.append(domain)
    return cleaned


def agency_for_email(email: str) -> Agency | None:
    """The agency whose registered domain this address is on."""
    domain = email.rsplit("@", 1)[-1].lower()
    return db.session.scalar(
        sa.select(Agency).join(AgencyDomain).where(AgencyDomain.domain == domain)
    )


# People -------------------------------------------------------------------

def normalise_email(email) -> str:
    """A valid address, lowercased; Invalid otherwise."""
    email = clean_line(email, "email", min_len=1, max_len=254)
    try:
        checked = validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise Invalid("Enter a valid email address, like name@agency.gov.", {"email": "not a valid address"}) from None
    _check_one_script(checked.normalized)
    return checked.normalized.lower()


def check_password_rules(password, field="password", email="", name="") -> str:
    """A password hard to guess: long, not common, not a pattern, not made of the person's address."""
    return passwords.check(password, field, email=email, name=name)


def get_user(user_id) -> User:
    """A person by id, or NotFound."""
    user = db.session.get(User, user_id) if str(user_id).isdigit() else None
    if user is None:
        raise NotFound("There is no such person.")
    return user


def get_user_by_email(email: str) -> User:
    """A person by email, or NotFound."""
    user = db.session.scalar(sa.select(User).where(User.email == (email or "").strip().lower()))
    if user is None:
        raise NotFound(f"There is no user with email {email}.")
    return user


def add_user(actor: Actor, email, name, agency_slug, role="member", password=None,
             verified: bool = True) -> tuple[User, str]:
    """Add a person to an agency; returns the user and their (possibly generated) password.

    An admin vouches for the address, so the account is verified unless ``verified`` is False. A
    generated password has been seen by someone else: it must be changed at the first sign-in.
    """
    require_admin(actor)
    agency = get_agency(agency_slug)
    if role not in ROLES:
        raise Invalid(f"Role must be one of: {', '.join(ROLES)}.", {"role": "unknown role"})
    generated = password is None
    if generated:
        password = secrets.token_urlsafe(15)
    else:
        check_password_rules(password, email=str(email or ""), name=str(name or ""))
    user = _new_user(email, name, agency, password, role)
    user.verified_at = utcnow() if verified else None
    user.must_change_password = generated
    audit.record(actor, "user.add", "user", user.email, f"{agency.slug}, {role}")
    db.session.commit()
    return user, password


def register(email, name, password) -> User | None:
    """Self-registration, only for addresses on a registered agency domain.

    Returns the new user, or None when the address (or the same mailbox with a +tag) already has an
    account: the caller answers both alike, so registering tells nobody who has an account. The
    first gets a link that proves the address (``links``); the second a "someone tried to register
    your address" email, from the ``registration_repeated`` signal sent here.
    """
    email = normalise_email(email)
    agency = agency_for_email(email)
    if agency is None:
        message = ("Registration is open to staff of registered agencies. Your email domain is not on "
                   "the list; ask an administrator to add your agency.")
        raise Invalid(message, {"email": "not an agency domain"})
    check_password_rules(password, email=email, name=str(name or ""))
    clean_line(name, "name", min_len=1, max_len=120)
    holder = _holder_of(email)
    if holder is not None:
        generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])  # the same time spent
        registration_repeated.send(holder)  # its holder is told by email (exchange/mail), in this transaction
        db.session.commit()
        return None
    user = _new_user(email, name, agency, password, "member")
    links.request_verification(user)
    db.session.commit()
    return user


def mailbox(email: str) -> str:
    """The mailbox an address reaches: the same address without a +tag in its local part."""
    local, _, domain = email.rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


def _holder_of(email: str) -> User | None:
    """The account on this address or on another spelling of its mailbox (``alice+x`` is ``alice``)."""
    local, _, domain = mailbox(email).rpartition("@")
    escaped = local.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return db.session.scalar(sa.select(User).where(sa.or_(
        User.email == f"{local}@{domain}",
        User.email.like(f"{escaped}+%@{domain}", escape="\\"),
    )).limit(1))


def _check_one_script(email: str) -> None:
    """Refuse an address whose letters mix alphabets, like a Cyrillic 'а' in 'аlice@agency.gov'."""
    scripts = {unicodedata.name(char, "UNKNOWN").split(" ")[0] for char in email if char.isalpha()}
    if len(scripts) > 1:
        message = "That address mixes alphabets (for example a Cyrillic letter among Latin ones); type it again."
        raise Invalid(message, {"email": "mixes alphabets"})


def _new_user(email, name, agency, password, role) -> User:
    email = normalise_email(email)
    name = clean_line(name, "name", min_len=1, max_len=120)
    if _holder_of(email) is not None:
        raise Conflict(f"An account for {mailbox(email)} already exists.", {"email": "already registered"})
    user = User(email=email, name=name, agency=agency, role=role)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email, password) -> User:
    """The active user with this email and password; one message for every refusal.

    After a few failures for one address, each next attempt waits (``throttle``), known or not.
    """
    try:
        email = normalise_email(email)
    except Invalid:
        raise Unauthorized(SIGN_IN_REFUSED) from None
    throttle.check("sign-in", email)
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        # Spend the same time as a real check so timing does not reveal who has an account.
        User(password_hash=_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"])).check_password(password or "")
    if user is None or not user.check_password(password or "") or not user.active:
        wait = throttle.failed("sign-in", email, user)
        raise Unauthorized(SIGN_IN_REFUSED + (f" Try again in {wait} seconds." if wait else ""))
    throttle.succeeded("sign-in", email)
    return user


def confirm_password(user: User, password) -> None:
    """Check a signed-in person's password again before a sensitive action; throttled like sign-in."""
    _check_own_password(user, password, "confirm", "password", "That password is not right.")


def _check_own_password(user: User, password, scope: str, field: str, message: str) -> None:
    throttle.check(scope, user.id)
    if not user.check_password(password or ""):
        wait = throttle.failed(scope, user.id, user)
        message += f" Try again in {wait} seconds." if wait else ""
        raise Invalid(message, {field: message})
    throttle.succeeded(scope, user.id)


@functools.cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash(secrets.token_hex(8), method=method)


def sign_out(user: User) -> None:
    """End every session of this user: cookies made before are refused from now on."""
    user.rotate_session()
    db.session.commit()


def set_role(actor: Actor, email, role) -> User:
    """Make a person a member or an admin."""
    require_admin(actor)
    if role not in ROLES:
        raise Invalid(f"Role must be one of: {', '.join(ROLES)}.", {"role": "unknown role"})
    user = get_user_by_email(email)
    if signed_in(actor) and actor.id == user.id and role != "admin":
        raise Forbidden("You cannot remove your own admin role; ask another admin.")
    if role == "admin" and user.role != "admin":
        user.rotate_session()  # a session opened as a member never becomes an admin's: sign in again
    user.role = role
    audit.record(actor, "user.set_role", "user", user.email, role)
    db.session.commit()
    return user


def set_active(actor: Actor, user: User, active: bool) -> User:
    """Deactivate or reactivate a person; a deactivated person can neither sign in nor use a token."""
    require_admin(actor)
    if signed_in(actor) and actor.id == user.id:
        raise Forbidden("You cannot deactivate yourself.")
    user.active = bool(active)
    user.rotate_session()
    if not active:
        _revoke_all_tokens(user)  # for good: reactivating brings none back
    audit.record(actor, "user.activate" if active else "user.deactivate", "user", user.email)
    db.session.commit()
    return user


def update_profile(user: User, name, job_title, bio) -> User:
    """Change the public parts of a profile."""
    user.name = clean_line(name, "name", min_len=1, max_len=120)
    user.job_title = clean_line(job_title, "job_title", max_len=120)
    user.bio = clean_text(bio, "bio", max_len=2000)
    db.session.commit()
    return user


def change_password(user: User, current, new, revoke_tokens: bool = True) -> User:
    """Change a password after checking the current one; other sessions end, and API tokens unless kept."""
    _check_own_password(user, current, "password-change", "current_password", "The current password is not right.")
    user.set_password(check_password_rules(new, "new_password", email=user.email, name=user.name))
    user.must_change_password = False
    user.rotate_session()
    if revoke_tokens:
        _revoke_all_tokens(user)
    db.session.commit()
    return user


def set_password(actor: Actor, user: User, password, revoke_tokens: bool = True) -> User:
    """An admin (or the command line) sets a person's password: their sessions end, tokens are revoked."""
    require_admin(actor)
    links.set_new_password(user, password, revoke_tokens)
    audit.record(actor, "user.set_password", "user", user.email)
    db.session.commit()
    return user


# API tokens -----------------------------------------------------------------

def _hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


def create_token(user: User, label="", second_factor: bool = False) -> tuple[ApiToken, str]:
    """A new API token lasting TOKEN_DAYS; the secret is returned once and only its hash is kept.

    ``second_factor``: made in a session signed in (or confirmed) with a second factor, recently;
    only such tokens may do admin work while EXCHANGE_ADMIN_MFA is on.
    """
    label = clean_line(label, "label", max_len=80) or "API token"
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, label=label, prefix=secret[:10], token_hash=_hash_token(secret),
                     second_factor=bool(second_factor),
                     expires_at=utcnow() + timedelta(days=current_app.config["TOKEN_DAYS"]))
    db.session.add(token)
    db.session.commit()
    return token, secret


def list_tokens(user: User) -> list[ApiToken]:
    """A person's tokens, newest first, revoked ones included."""
    return list(db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    ))


def revoke_token(user: User, token_id) -> ApiToken:
    """Revoke one of your own tokens."""
    token = db.session.get(ApiToken, token_id) if str(token_id).isdigit() else None
    if token is None or token.user_id != user.id:
        raise NotFound("There is no such token.")
    token.revoked_at = token.revoked_at or utcnow()
    db.session.commit()
    return token


def _revoke_all_tokens(user: User) -> None:
    db.session.execute(sa.update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                       .values(revoked_at=utcnow()))


def user_for_token(secret: str) -> User | None:
    """The active user owning this unrevoked token, or None; an expired token is Unauthorized."""
    if not secret or len(secret) > 200:
        return None
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == _hash_token(secret)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    if token.expired(utcnow()):
        raise Unauthorized("That API token has expired; create a new one on your profile page.")
    token.user.api_token = token
    return token.user
