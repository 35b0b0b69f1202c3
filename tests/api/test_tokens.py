"""API tokens: they expire, admin work needs one made after signing in with a second factor, and
they end with a password change (by default) and with deactivation."""
import re
from datetime import timedelta

import pyotp
import pytest

from exchange.db import utcnow
from tests.accounts.test_mfa import _enrol
from tests.conftest import PASSWORD, Factory, bearer


@pytest.fixture
def mfa_app(new_app):
    return new_app(ADMIN_MFA=True)


def _token_from_profile(client, label="script"):
    page = client.post("/profile/tokens", data={"label": label}).data.decode()
    return re.search(r'<code class="secret">(exo_[^<]+)</code>', page).group(1)


def _feature(client, token, slug):
    return client.post("/api/v1/featured", json={"slug": slug, "note": "A model for others."},
                       headers=bearer(token))


def test_admin_token_made_without_a_second_factor_cannot_act_as_admin(mfa_app):
    make = Factory(mfa_app)
    article, admin = make.article(), make.admin()
    response = _feature(mfa_app.test_client(), make.token(admin), article.slug)
    assert response.status_code == 403 and "second factor" in response.json["error"]["message"]


def test_member_token_keeps_no_admin_power_after_promotion(mfa_app, runner):
    make = Factory(mfa_app)
    article, member = make.article(), make.user()
    token = make.token(member)
    assert mfa_app.test_cli_runner().invoke(args=["user", "set-role", member.email, "admin"]).exit_code == 0
    assert _feature(mfa_app.test_client(), token, article.slug).status_code == 403


def test_admin_token_made_after_signing_in_with_a_code_may_act_as_admin(mfa_app):
    make = Factory(mfa_app)
    article, admin = make.article(), make.admin()
    client = mfa_app.test_client()
    _enrol(client, admin)
    response = _feature(client, _token_from_profile(client), article.slug)
    assert response.status_code == 201


def test_members_tokens_work_without_a_second_factor(mfa_app):
    make = Factory(mfa_app)
    assert mfa_app.test_client().get("/api/v1/me", headers=bearer(make.token(make.user()))).status_code == 200


def test_creating_a_token_needs_a_recent_sign_in(client, make, auth):
    auth.login(make.user())
    with client.session_transaction() as session:
        session["auth_at"] -= 20 * 60
    response = client.post("/profile/tokens", data={"label": "script"})
    assert response.status_code == 302 and "/login/confirm" in response.headers["Location"]
    client.post("/login/confirm", data={"password": PASSWORD})
    assert _token_from_profile(client).startswith("exo_")


def test_tokens_expire_after_token_days(client, make, auth, monkeypatch):
    user = make.user()
    token = make.token(user)
    later = utcnow() + timedelta(days=91)
    monkeypatch.setattr("exchange.accounts.services.utcnow", lambda: later)
    response = client.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 401 and "expired" in response.json["error"]["message"]
    auth.login(user)
    assert "Expired" in client.get("/profile").data.decode()


def test_token_days_is_a_setting(new_app, monkeypatch):
    app = new_app(TOKEN_DAYS=1)
    make = Factory(app)
    token = make.token(make.user())
    later = utcnow() + timedelta(days=2)
    monkeypatch.setattr("exchange.accounts.services.utcnow", lambda: later)
    assert app.test_client().get("/api/v1/me", headers=bearer(token)).status_code == 401


def test_password_change_revokes_tokens_by_default(client, make, auth):
    user = make.user()
    token = make.token(user)
    auth.login(user)
    page = client.get("/profile").data.decode()
    assert re.search(r'<input[^>]*checked[^>]*name="revoke_tokens"|<input[^>]*name="revoke_tokens"[^>]*checked', page)
    client.post("/profile/password", data={"current_password": PASSWORD, "new_password": "another long passphrase",
                                           "revoke_tokens": "y"})
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401


def test_password_change_may_keep_tokens(client, make, auth):
    user = make.user()
    token = make.token(user)
    auth.login(user)
    client.post("/profile/password", data={"current_password": PASSWORD, "new_password": "another long passphrase"})
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200


def test_reactivation_does_not_revive_tokens(client, make, app):
    from exchange.accounts.services import get_user, set_active
    from exchange.permissions import SYSTEM

    user = make.user()
    token = make.token(user)
    with app.app_context():
        set_active(SYSTEM, get_user(user.id), False)
        set_active(SYSTEM, get_user(user.id), True)
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401


def test_code_confirmed_token_is_marked_on_the_profile(mfa_app):
    make = Factory(mfa_app)
    admin = make.admin()
    client = mfa_app.test_client()
    secret, _ = _enrol(client, admin)
    _token_from_profile(client, "admin script")
    assert "with second factor" in client.get("/profile").data.decode()
    assert pyotp.TOTP(secret)  # enrolled
