"""Profiles, password changes and personal API tokens in the site."""
from tests.conftest import PASSWORD, bearer


def test_profile_needs_sign_in(client):
    response = client.get("/profile")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_edit_profile(client, make, auth):
    user = make.user()
    auth.login(user)
    response = client.post("/profile",
                           data={"name": "Kim Lee", "job_title": "Head of Digital", "bio": "Runs the team."})
    assert response.status_code == 302
    page = client.get(f"/people/{user.id}").data
    assert b"Kim Lee" in page and b"Head of Digital" in page and b"Runs the team." in page


def test_profile_fields_are_escaped(client, make, auth):
    user = make.user()
    auth.login(user)
    client.post("/profile", data={"name": "<script>alert(1)</script>", "job_title": "\"><img src=x onerror=alert(1)>",
                                  "bio": "<b>x</b>"})
    page = client.get(f"/people/{user.id}").data
    assert b"<script>alert(1)" not in page and b"<img src=x" not in page and b"<b>x</b>" not in page


def test_change_password_needs_the_current_one(client, make, auth):
    user = make.user()
    auth.login(user)
    response = client.post("/profile/password",
                           data={"current_password": "wrong wrong wrong", "new_password": "a brand new passphrase"})
    assert response.status_code == 422
    response = client.post("/profile/password",
                           data={"current_password": PASSWORD, "new_password": "a brand new passphrase"})
    assert response.status_code == 302
    auth.logout()
    assert auth.login(user, "a brand new passphrase").status_code == 302


def test_token_created_in_profile_is_shown_once_and_works(client, make, auth):
    import re

    user = make.user()
    auth.login(user)
    page = client.post("/profile/tokens", data={"label": "reporting script"}).data.decode()
    secret = re.search(r'<code class="secret">([^<]+)</code>', page).group(1)
    assert client.get("/api/v1/me", headers=bearer(secret)).json["email"] == user.email
    assert secret not in client.get("/profile").data.decode()
    assert "reporting script" in client.get("/profile").data.decode()


def test_revoked_token_is_refused(client, make, auth, app):
    user = make.user()
    secret = make.token(user)
    auth.login(user)
    with app.app_context():
        from exchange.accounts.services import get_user, list_tokens

        token_id = list_tokens(get_user(user.id))[0].id
    assert client.post(f"/profile/tokens/{token_id}/revoke").status_code == 302
    response = client.get("/api/v1/me", headers=bearer(secret))
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"


def test_cannot_revoke_someone_elses_token(client, make, auth, app):
    owner = make.user()
    make.token(owner)
    with app.app_context():
        from exchange.accounts.services import get_user, list_tokens

        token_id = list_tokens(get_user(owner.id))[0].id
    auth.login(make.user())
    assert client.post(f"/profile/tokens/{token_id}/revoke").status_code == 404
