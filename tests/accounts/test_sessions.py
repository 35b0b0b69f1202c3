"""Idle and absolute session timeouts, and recent sign-in for sensitive actions."""
import time

from tests.conftest import PASSWORD


def _age_session(client, **seconds_ago):
    with client.session_transaction() as session:
        for key, ago in seconds_ago.items():
            session[key] = int(time.time()) - ago


def test_idle_session_times_out(client, make, auth):
    auth.login(make.user(name="Ida Idle"))
    _age_session(client, seen_at=31 * 60)
    page = client.get("/").data
    assert b"Ida Idle" not in page and b"without activity" in page


def test_active_session_stays(client, make, auth):
    auth.login(make.user(name="Ida Idle"))
    _age_session(client, seen_at=29 * 60)
    assert b"Ida Idle" in client.get("/").data


def test_absolute_timeout_even_when_active(client, make, auth):
    auth.login(make.user(name="Abe Absolute"))
    _age_session(client, auth_at=13 * 3600)
    assert b"Abe Absolute" not in client.get("/").data


def test_password_change_needs_a_recent_sign_in(client, make, auth):
    user = make.user()
    auth.login(user)
    _age_session(client, auth_at=20 * 60)
    response = client.post("/profile/password",
                           data={"current_password": PASSWORD, "new_password": "another long passphrase"})
    assert response.status_code == 302 and "/login/confirm" in response.headers["Location"]
    assert client.post("/login/confirm", data={"password": "wrong password here"}).status_code == 422
    assert client.post("/login/confirm", data={"password": PASSWORD}).status_code == 302
    response = client.post("/profile/password",
                           data={"current_password": PASSWORD, "new_password": "another long passphrase"})
    assert response.headers["Location"].endswith("/profile")


def test_admin_actions_need_a_recent_sign_in(client, make, auth, app):
    admin = make.admin()
    auth.login(admin)
    _age_session(client, auth_at=20 * 60)
    post_rules = [r for r in app.url_map.iter_rules() if r.rule.startswith("/admin") and "POST" in r.methods
                  and not r.arguments]
    assert post_rules
    for rule in post_rules:
        response = client.post(rule.rule, data={})
        assert response.status_code == 302 and "/login/confirm" in response.headers["Location"], rule.rule
