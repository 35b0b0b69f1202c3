"""Registration, signing in and out, and the rules around them."""
import pytest

from tests.conftest import PASSWORD


def test_register_with_agency_domain_joins_that_agency(client, make, app):
    agency = make.agency("northvale", domains=["northvale.example.gov"])
    response = client.post("/register",
                           data={"name": "Sam Reyes", "email": "Sam@Northvale.example.gov", "password": PASSWORD})
    assert response.status_code == 302
    with app.app_context():
        from exchange.accounts.services import get_user_by_email

        user = get_user_by_email("sam@northvale.example.gov")
        assert user.agency.slug == agency.slug
        assert user.role == "member"
    client.post("/login", data={"email": "sam@northvale.example.gov", "password": PASSWORD})
    assert b"Sam Reyes" in client.get("/").data


def test_register_refuses_address_outside_agency_domains(client, make):
    make.agency("northvale", domains=["northvale.example.gov"])
    response = client.post("/register", data={"name": "Eve", "email": "eve@gmail.example.com", "password": PASSWORD})
    assert response.status_code == 422
    assert b"registered agencies" in response.data
    assert b'value="eve@gmail.example.com"' in response.data  # what was typed is kept


def test_register_refuses_short_password_and_keeps_input(client, make):
    make.agency("northvale", domains=["northvale.example.gov"])
    response = client.post("/register", data={"name": "Sam", "email": "sam@northvale.example.gov", "password": "short"})
    assert response.status_code == 422
    assert b"at least 12 characters" in response.data
    assert b'href="#password"' in response.data  # the error summary links to the field


def test_register_with_a_taken_address_changes_nothing_and_says_nothing(client, make, app):
    """Registering a taken address is answered like a new one (tests/accounts/test_registration.py)."""
    user = make.user(name="First Holder")
    response = client.post("/register", data={"name": "Twin", "email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert b"already exists" not in client.get(response.headers["Location"]).data
    with app.app_context():
        from exchange.accounts.services import get_user_by_email

        assert get_user_by_email(user.email).name == "First Holder"


def test_sign_in_and_out(client, make, auth):
    user = make.user(name="Robin Hale")
    assert auth.login(user).status_code == 302
    assert b"Robin Hale" in client.get("/").data
    assert auth.logout().status_code == 302
    assert b"Robin Hale" not in client.get("/").data


def test_logout_by_get_is_not_allowed(client, make, auth):
    auth.login(make.user())
    assert client.get("/logout").status_code == 405


def test_unknown_email_and_wrong_password_get_the_same_answer(client, make, auth):
    user = make.user()
    wrong_password = client.post("/login", data={"email": user.email, "password": "not the password at all"})
    unknown = client.post("/login", data={"email": "nobody@nowhere.example.gov", "password": "not the password at all"})
    assert wrong_password.status_code == unknown.status_code == 422
    assert b"do not match an active account" in wrong_password.data
    assert wrong_password.data.replace(user.email.encode(), b"").count(b"do not match") == unknown.data.replace(
        b"nobody@nowhere.example.gov", b"").count(b"do not match")


def test_deactivated_person_cannot_sign_in(client, make, auth, app):
    user = make.user()
    with app.app_context():
        from exchange.accounts.services import get_user, set_active
        from exchange.permissions import SYSTEM

        set_active(SYSTEM, get_user(user.id), False)
    response = auth.login(user)
    assert response.status_code == 422


def test_repeated_failed_sign_ins_get_429(client, make):
    """From one IP address, whatever accounts are tried (the per-account throttle: test_throttle.py)."""
    users = [make.user() for _ in range(3)]
    statuses = [client.post("/login", data={"email": users[i % 3].email, "password": "wrong password!!"}).status_code
                for i in range(11)]
    assert statuses[:10] == [422] * 10
    assert statuses[10] == 429


def test_sign_out_invalidates_a_replayed_cookie(client, make, auth, app):
    user = make.user(name="Robin Hale")
    auth.login(user)
    cookie = client.get_cookie("session").value
    auth.logout()
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    assert b"Robin Hale" not in replay.get("/").data


def test_sign_in_clears_the_previous_session(client, make, auth):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    auth.login(make.user())
    with client.session_transaction() as session:
        assert "planted" not in session


@pytest.mark.parametrize("target", [
    "//evil.example", "///evil.example", "////evil.example", "/\\evil.example", "\\\\evil.example",
    "https://evil.example", "http://evil.example/", "javascript:alert(1)", "JavaScript:alert(1)",
    "data:text/html,hi", "/%0d%0aSet-Cookie:x", "/\x00", "/\tevil", " //evil.example", "evil.example",
    "/ok\r\nLocation: http://evil.example", "https:evil.example", "//evil.example/%2f..", "\x01/x",
    "/\\/evil.example", "http:/evil.example", "mailto:a@b.example",
])
def test_hostile_next_is_refused(client, make, target):
    user = make.user()
    response = client.post("/login", query_string={"next": target}, data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_on_this_site_is_honoured(client, make):
    user = make.user()
    response = client.post("/login", query_string={"next": "/profile?tab=tokens"},
                           data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/profile?tab=tokens"


def test_session_cookie_is_httponly_and_samesite_lax(client, make, auth):
    response = auth.login(make.user())
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_secure_when_configured(new_app):
    app = new_app(SESSION_COOKIE_SECURE=True)
    from tests.conftest import Factory

    user = Factory(app).user()
    response = app.test_client().post("/login", data={"email": user.email, "password": PASSWORD})
    assert "Secure" in response.headers["Set-Cookie"]


def test_password_is_stored_hashed(make, app):
    user = make.user()
    with app.app_context():
        from exchange.accounts.services import get_user

        stored = get_user(user.id).password_hash
    assert PASSWORD not in stored
    assert stored.startswith(("scrypt:", "pbkdf2:"))
