"""The per-account throttle: after five failures, sign-in waits, twice as long after each further one."""
import time

import pytest

from tests.conftest import PASSWORD


def _fail(client, email, times=1):
    return [client.post("/login", data={"email": email, "password": "not the right one"}) for _ in range(times)]


@pytest.fixture
def clock(monkeypatch):
    """Moves the throttle's clock forward without waiting."""
    now = [time.time()]
    monkeypatch.setattr("time.time", lambda: now[0])
    return now


def test_after_five_failures_even_the_right_password_waits(client, make, auth):
    user = make.user()
    assert [r.status_code for r in _fail(client, user.email, 5)] == [422] * 5
    response = auth.login(user)
    assert response.status_code == 429
    assert b"Try again in 30 seconds" in response.data


def test_the_wait_doubles_with_each_further_failure_and_a_success_resets_it(new_app, make, clock):
    from tests.conftest import Factory

    app = new_app(LOGIN_RATE_LIMIT="1000 per minute")
    user, client = Factory(app).user(), app.test_client()
    _fail(client, user.email, 5)
    clock[0] += 31
    assert b"Try again in 60 seconds" in _fail(client, user.email)[0].data
    clock[0] += 61
    assert b"Try again in 120 seconds" in _fail(client, user.email)[0].data
    clock[0] += 121
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    assert [r.status_code for r in _fail(app.test_client(), user.email, 5)] == [422] * 5  # counting starts again


def test_an_unknown_address_is_throttled_the_same_way(client):
    """Otherwise the throttle would tell who has an account."""
    _fail(client, "nobody@nowhere.example.gov", 5)
    response = _fail(client, "nobody@nowhere.example.gov")[0]
    assert response.status_code == 429 and b"Try again in 30 seconds" in response.data


def test_other_addresses_are_not_slowed_by_one_under_attack(client, make, auth):
    target, bystander = make.user(), make.user()
    _fail(client, target.email, 5)
    assert auth.login(bystander).status_code == 302


def test_the_account_holder_is_told_when_sign_in_is_paused(client, make, auth):
    user = make.user()
    _fail(client, user.email, 5)
    other = make.user()  # nothing is said to anyone else
    page = _notifications_of(client.application, user)
    assert "failed attempts to sign in to your account" in page
    assert "failed attempts" not in _notifications_of(client.application, other)


def _notifications_of(app, user) -> str:
    with app.test_request_context():
        from exchange.accounts.services import get_user
        from exchange.community.notifications import list_notifications

        shown, _ = list_notifications(get_user(user.id))
        return " ".join(item.text for item in shown)


def test_password_confirmation_is_throttled(client, make, auth):
    user = make.user()
    auth.login(user)
    statuses = [client.post("/login/confirm", data={"password": "not the right one"}).status_code for _ in range(5)]
    response = client.post("/login/confirm", data={"password": PASSWORD})
    assert statuses == [422] * 5
    assert response.status_code == 429 and b"Try again in 30 seconds" in response.data


def test_password_change_is_throttled(client, make, auth):
    user = make.user()
    auth.login(user)
    wrong = {"current_password": "not the right one", "new_password": "a brand new passphrase"}
    statuses = [client.post("/profile/password", data=wrong).status_code for _ in range(5)]
    response = client.post("/profile/password", data={**wrong, "current_password": PASSWORD})
    assert statuses == [422] * 5
    assert response.status_code == 429 and b"Try again in 30 seconds" in response.data
