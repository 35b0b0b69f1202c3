"""Talking to an OpenID Connect provider with Authlib: discovery, the authorization request, the code
exchange and the ID token's checks (signature, issuer, audience, expiry, nonce). Nothing here knows
agencies or accounts; ``sso.py`` does.

Discovery documents and key sets are kept per worker for ``CACHE_SECONDS``; a token signed with a
key we have not seen fetches the key set again once.
"""
import secrets
import time
from dataclasses import dataclass

import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc6749.errors import OAuth2Error
from authlib.oidc.core import CodeIDToken
from flask import current_app
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

SCOPE = "openid email profile"
CACHE_SECONDS = 600
LEEWAY_SECONDS = 60  # clocks of the provider and the site may differ this much
_documents: dict[str, tuple[float, dict]] = {}


class ProviderError(Exception):
    """The provider could not be reached, or answered something a relying party must refuse."""


@dataclass(frozen=True)
class Client:
    """How this site is known to one provider."""

    issuer: str
    client_id: str
    client_secret: str
    redirect_uri: str


@dataclass(frozen=True)
class Pending:
    """What one authorization request must be matched against when the person comes back."""

    state: str
    nonce: str
    code_verifier: str


def _get_json(url: str) -> dict:
    try:
        response = requests.get(url, timeout=current_app.config["SSO_TIMEOUT"], verify=_verify())
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderError(f"could not read {url}: {type(error).__name__}") from None


def _verify():
    return current_app.config["SSO_CA_FILE"] or True


def _cached(url: str, force: bool = False) -> dict:
    fetched = _documents.get(url)
    if force or fetched is None or time.monotonic() - fetched[0] > CACHE_SECONDS:
        _documents[url] = (time.monotonic(), _get_json(url))
    return _documents[url][1]


def metadata(issuer: str) -> dict:
    """The provider's discovery document, which must name the same issuer."""
    document = _cached(issuer.rstrip("/") + "/.well-known/openid-configuration")
    if document.get("issuer") != issuer:
        raise ProviderError(f"the discovery document names issuer {document.get('issuer')!r}, not {issuer!r}")
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not document.get(key):
            raise ProviderError(f"the discovery document has no {key}")
    return document


def _session(client: Client) -> OAuth2Session:
    return OAuth2Session(client.client_id, client.client_secret, scope=SCOPE, redirect_uri=client.redirect_uri,
                         code_challenge_method="S256")


def authorization_url(client: Client, login_hint: str = "", reauthenticate: bool = False) -> tuple[str, Pending]:
    """Where to send the person, and the state, nonce and PKCE verifier to keep until they return.

    ``reauthenticate``: the provider must ask the person again now (``prompt=login``, ``max_age=0``),
    not rely on its own session.
    """
    pending = Pending(secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(48))
    extra = {"login_hint": login_hint} if login_hint else {}
    if reauthenticate:
        extra.update(prompt="login", max_age="0")
    with _session(client) as session:
        url, _ = session.create_authorization_url(
            metadata(client.issuer)["authorization_endpoint"], state=pending.state,
            code_verifier=pending.code_verifier, nonce=pending.nonce, **extra)
    return url, pending


def state_matches(pending: Pending, state: str) -> bool:
    return secrets.compare_digest(pending.state.encode(), (state or "").encode())


def claims_for_code(client: Client, pending: Pending, code: str) -> dict:
    """Exchange the code (with the PKCE verifier) and return the checked claims of its ID token."""
    document = metadata(client.issuer)
    try:
        with _session(client) as session:
            token = session.fetch_token(document["token_endpoint"], code=code, code_verifier=pending.code_verifier,
                                        grant_type="authorization_code", timeout=current_app.config["SSO_TIMEOUT"],
                                        verify=_verify())
    except (OAuth2Error, requests.RequestException, ValueError) as error:
        raise ProviderError(f"the code exchange failed: {type(error).__name__}") from None
    if not token.get("id_token"):
        raise ProviderError("the token response has no ID token")
    return _checked_id_token(client, document, token, pending.nonce)


def _checked_id_token(client: Client, document: dict, token: dict, nonce: str) -> dict:
    algorithms = document.get("id_token_signing_alg_values_supported") or ["RS256"]
    algorithms = [name for name in algorithms if name != "none"]
    try:
        try:
            decoded = jwt.decode(token["id_token"], KeySet.import_key_set(_cached(document["jwks_uri"])), algorithms)
        except InvalidKeyIdError:  # the provider rolled its keys since we last read them
            decoded = jwt.decode(token["id_token"], KeySet.import_key_set(_cached(document["jwks_uri"], force=True)),
                                 algorithms)
        claims = CodeIDToken(
            decoded.claims, decoded.header,
            {"iss": {"essential": True, "value": client.issuer}, "aud": {"essential": True, "value": client.client_id}},
            {"nonce": nonce, "client_id": client.client_id, "access_token": token.get("access_token")},
        )
        claims.validate(leeway=LEEWAY_SECONDS)
    except (JoseError, ValueError) as error:
        raise ProviderError(f"the ID token was refused: {type(error).__name__} {error}") from None
    if claims.get("nonce") != nonce:  # present and equal: the token answers our request, not a replayed one
        raise ProviderError("the ID token's nonce does not match the request")
    return dict(claims)
