"""Two-step sign-in: admins must enrol, members may opt in, codes are single-use."""
import re
import time

import pyotp
import pytest

from tests.conftest import PASSWORD, bearer


@pytest.fixture
def mfa_app(new_app):
    return new_app(ADMIN_MFA=True)


@pytest.fixture
def mfa_client(mfa_app):
    return mfa_app.test_client()


def _factory(app):
    from tests.conftest import Factory

    return Factory(app)


def _enrol(client, user):
    """Sign in with the password, set up an authenticator; returns the secret and recovery codes."""
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).headers["Location"] == "/login/setup"
    page = client.get("/login/setup").data.decode()
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    assert "<svg" in page  # the QR code, inline
    client.enrolment_code = pyotp.TOTP(secret).now()
    done = client.post("/login/setup", data={"code": client.enrolment_code})
    codes = re.findall(r"<li><code>([0-9a-f]{6}-[0-9a-f]{6})</code></li>", done.data.decode())
    return secret, codes


def _next_code(secret):
    """The code of the next time step: accepted (clock drift), and not the one used to enrol."""
    return pyotp.TOTP(secret).at(int(time.time()) + 30)


def test_admin_must_enrol_before_signing_in(mfa_app, mfa_client):
    admin = _factory(mfa_app).admin(name="Ada Admin")
    response = mfa_client.post("/login", data={"email": admin.email, "password": PASSWORD})
    assert response.headers["Location"] == "/login/setup"
    assert b"Ada Admin" not in mfa_client.get("/").data  # not signed in yet
    assert mfa_client.get("/admin/").status_code in (302, 401, 403, 404)


def test_enrolment_signs_in_and_shows_ten_recovery_codes(mfa_app, mfa_client):
    admin = _factory(mfa_app).admin(name="Ada Admin")
    _, codes = _enrol(mfa_client, admin)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert b"Ada Admin" in mfa_client.get("/").data


def test_enrolled_admin_needs_a_code(mfa_app, mfa_client):
    admin = _factory(mfa_app).admin(name="Ada Admin")
    secret, _ = _enrol(mfa_client, admin)
    mfa_client.post("/logout")
    response = mfa_client.post("/login", data={"email": admin.email, "password": PASSWORD})
    assert response.headers["Location"] == "/login/code"
    assert mfa_client.post("/login/code", data={"code": "000000"}).status_code == 422
    assert mfa_client.post("/login/code", data={"code": _next_code(secret)}).status_code == 302
    assert b"Ada Admin" in mfa_client.get("/").data


def test_a_code_is_never_accepted_twice(mfa_app, mfa_client):
    admin = _factory(mfa_app).admin()
    secret, _ = _enrol(mfa_client, admin)
    mfa_client.post("/logout")
    mfa_client.post("/login", data={"email": admin.email, "password": PASSWORD})
    # replaying the code used to enrol is refused, though it may still be in its time window
    assert mfa_client.post("/login/code", data={"code": mfa_client.enrolment_code}).status_code == 422


def test_recovery_code_works_once(mfa_app, mfa_client):
    admin = _factory(mfa_app).admin(name="Ada Admin")
    _, codes = _enrol(mfa_client, admin)
    for attempt, expected in ((1, 302), (2, 422)):
        mfa_client.post("/logout")
        mfa_client.post("/login", data={"email": admin.email, "password": PASSWORD})
        assert mfa_client.post("/login/code", data={"code": codes[0]}).status_code == expected, attempt


def test_wrong_enrolment_code_is_refused(mfa_app, mfa_client):
    admin = _factory(mfa_app).admin()
    mfa_client.post("/login", data={"email": admin.email, "password": PASSWORD})
    mfa_client.get("/login/setup")
    assert mfa_client.post("/login/setup", data={"code": "123456"}).status_code == 422


def test_code_page_without_password_step_goes_back_to_login(mfa_client):
    assert mfa_client.post("/login/code", data={"code": "123456"}).headers["Location"] == "/login"
    assert mfa_client.get("/login/setup").headers["Location"] == "/login"


def test_members_sign_in_without_a_code_unless_they_opt_in(mfa_app, mfa_client):
    member = _factory(mfa_app).user(name="Mo Member")
    assert mfa_client.post("/login", data={"email": member.email, "password": PASSWORD}).headers["Location"] == "/"
    page = mfa_client.get("/login/setup").data.decode()
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    enrolment = {"code": pyotp.TOTP(secret).now(), "password": PASSWORD}  # signed in: the password too
    assert mfa_client.post("/login/setup", data=enrolment).status_code == 200
    mfa_client.post("/logout")
    response = mfa_client.post("/login", data={"email": member.email, "password": PASSWORD})
    assert response.headers["Location"] == "/login/code"


def test_admin_mfa_off_for_test_instances(client, make):
    admin = make.admin()
    assert client.post("/login", data={"email": admin.email, "password": PASSWORD}).headers["Location"] == "/"


def test_api_tokens_are_unaffected_by_mfa(mfa_app, mfa_client):
    factory = _factory(mfa_app)
    admin = factory.admin()
    assert mfa_client.get("/api/v1/me", headers=bearer(factory.token(admin))).status_code == 200
