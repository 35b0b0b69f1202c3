"""Second-factor codes are used once even under concurrent sign-ins; wrong codes are limited."""
import re
import threading

import pyotp
import pytest

from tests.accounts.test_mfa import _enrol, _next_code
from tests.conftest import PASSWORD, Factory


@pytest.fixture
def mfa_app(new_app):
    return new_app(ADMIN_MFA=True)


@pytest.fixture
def enrolled(mfa_app):
    """An enrolled admin: (user, secret, recovery codes)."""
    admin = Factory(mfa_app).admin(name="Ada Admin")
    client = mfa_app.test_client()
    secret, codes = _enrol(client, admin)
    return admin, secret, codes


def _pending(app, user):
    """A client that has entered the password and is asked for the code."""
    client = app.test_client()
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).headers["Location"] == "/login/code"
    return client


def _all_at_once(clients, code):
    barrier, results = threading.Barrier(len(clients)), []

    def sign_in(client):
        barrier.wait()
        results.append(client.post("/login/code", data={"code": code}).status_code)

    threads = [threading.Thread(target=sign_in, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_one_code_signs_in_once_among_five_concurrent_sign_ins(mfa_app, enrolled):
    admin, secret, _ = enrolled
    clients = [_pending(mfa_app, admin) for _ in range(5)]
    assert sorted(_all_at_once(clients, _next_code(secret))) == [302, 422, 422, 422, 422]


def test_one_recovery_code_signs_in_once_among_three_concurrent_sign_ins(mfa_app, enrolled):
    admin, _, codes = enrolled
    clients = [_pending(mfa_app, admin) for _ in range(3)]
    assert sorted(_all_at_once(clients, codes[0])) == [302, 422, 422]


def test_two_recovery_codes_at_once_both_work(mfa_app, enrolled):
    admin, _, codes = enrolled
    first, second = _pending(mfa_app, admin), _pending(mfa_app, admin)
    results = []
    threads = [threading.Thread(target=lambda c, k: results.append(c.post("/login/code", data={"code": k}).status_code),
                                args=pair) for pair in ((first, codes[1]), (second, codes[2]))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [302, 302]


def test_five_wrong_codes_end_the_pending_sign_in(mfa_app, enrolled):
    admin, secret, _ = enrolled
    client = _pending(mfa_app, admin)
    for _ in range(5):
        assert client.post("/login/code", data={"code": "000000"}).status_code == 422
    response = client.post("/login/code", data={"code": _next_code(secret)}, follow_redirects=True)
    assert "Too many wrong codes" in response.data.decode()
    assert b"Ada Admin" not in mfa_app.test_client().get("/").data


def test_ten_wrong_codes_lock_the_account_for_a_while(new_app):
    mfa_app = new_app(ADMIN_MFA=True, RATELIMIT_ENABLED=False)  # the account's limit, not the address's
    admin = Factory(mfa_app).admin()
    secret, _ = _enrol(mfa_app.test_client(), admin)
    for _ in range(2):
        client = _pending(mfa_app, admin)
        for _ in range(5):
            client.post("/login/code", data={"code": "000000"})
    client = _pending(mfa_app, admin)
    response = client.post("/login/code", data={"code": _next_code(secret)})
    assert response.status_code == 429 and "locked" in response.data.decode()


def test_enrolling_from_the_profile_asks_for_the_password(mfa_app):
    member = Factory(mfa_app).user()
    client = mfa_app.test_client()
    client.post("/login", data={"email": member.email, "password": PASSWORD})
    page = client.get("/login/setup")
    assert "no-store" in page.headers["Cache-Control"]
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page.data.decode()).group(1)
    code = pyotp.TOTP(secret).now()
    assert client.post("/login/setup", data={"code": code}).status_code == 422
    assert client.post("/login/setup", data={"code": code, "password": "not my password!"}).status_code == 422
    assert client.post("/login/setup", data={"code": code, "password": PASSWORD}).status_code == 200


def test_enrolment_page_is_never_cached(mfa_app):
    admin = Factory(mfa_app).admin()
    client = mfa_app.test_client()
    client.post("/login", data={"email": admin.email, "password": PASSWORD})
    assert "no-store" in client.get("/login/setup").headers["Cache-Control"]
