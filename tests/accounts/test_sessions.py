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


def test_the_last_seen_time_is_renewed_once_a_minute_not_with_every_page(client, make, auth):
    """Each renewal signs and sends the session cookie again; to the minute is all the idle timeout needs."""
    auth.login(make.user(name="Mo Minute"))
    client.get("/")
    _age_session(client, seen_at=20)
    response = client.get("/")
    assert b"Mo Minute" in response.data and "Set-Cookie" not in response.headers
    _age_session(client, seen_at=25 * 60)
    response = client.get("/")
    assert "Set-Cookie" in response.headers
    with client.session_transaction() as session:
        assert int(time.time()) - session["seen_at"] < 5


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


def _remember_cookie(client):
    return client.get_cookie("remember_token").value


def _restore(app, cookie, days_later, monkeypatch):
    """A browser that kept only its "keep me signed in" cookie comes back ``days_later``."""
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + days_later * 86400)
    fresh = app.test_client()
    fresh.set_cookie("remember_token", cookie)
    return fresh.get("/").data


def test_remembered_sign_in_comes_back_within_its_limits(client, make, auth, app, monkeypatch):
    auth.login(make.user(name="Rita Remembered"), remember="y")
    assert b"Rita Remembered" in _restore(app, _remember_cookie(client), 3, monkeypatch)


def test_remember_cookie_is_refused_after_14_days_however_it_is_kept(client, make, auth, app, monkeypatch):
    auth.login(make.user(name="Rita Remembered"), remember="y")
    assert b"Rita Remembered" not in _restore(app, _remember_cookie(client), 400, monkeypatch)


def test_remember_cookie_is_refused_after_idle_days(client, make, auth, app, monkeypatch):
    auth.login(make.user(name="Rita Remembered"), remember="y")
    assert b"Rita Remembered" not in _restore(app, _remember_cookie(client), 8, monkeypatch)


def test_remembered_session_in_use_stays_idle_free(client, make, auth, app, monkeypatch):
    auth.login(make.user(name="Rita Remembered"), remember="y")
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 5 * 86400)
    assert b"Rita Remembered" in client.get("/").data  # used on day 5: the cookie is renewed
    cookie = _remember_cookie(client)
    monkeypatch.setattr(time, "time", real)
    assert b"Rita Remembered" in _restore(app, cookie, 11, monkeypatch)  # 6 days idle, 11 days old


def test_remembered_session_ends_after_14_days_even_in_use(client, make, auth, monkeypatch):
    auth.login(make.user(name="Rita Remembered"), remember="y")
    real = time.time
    for day in range(0, 16, 3):
        monkeypatch.setattr(time, "time", lambda day=day: real() + day * 86400)
        page = client.get("/").data
    assert b"Rita Remembered" not in page


def test_promotion_to_admin_ends_the_persons_sessions(new_app):
    from tests.conftest import Factory

    app = new_app(ADMIN_MFA=True)
    member = Factory(app).user(name="Pat Promoted")
    client = app.test_client()
    client.post("/login", data={"email": member.email, "password": PASSWORD})
    assert b"Pat Promoted" in client.get("/").data
    assert app.test_cli_runner().invoke(args=["user", "set-role", member.email, "admin"]).exit_code == 0
    assert client.get("/admin/").status_code != 200
    assert b"Pat Promoted" not in client.get("/").data
