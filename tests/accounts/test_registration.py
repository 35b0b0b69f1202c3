"""Registration tells nobody who has an account, refuses look-alike addresses and is rate-limited."""
import pytest

from tests.conftest import PASSWORD


def _register(client, email, name="Sam Reyes", password=PASSWORD):
    return client.post("/register", data={"name": name, "email": email, "password": password})


def _accounts(app, email_like) -> int:
    with app.app_context():
        import sqlalchemy as sa

        from exchange.accounts.models import User
        from exchange.db import db

        return db.session.scalar(sa.select(sa.func.count(User.id)).where(User.email.like(email_like)))


def test_an_existing_address_gets_the_same_answer_as_a_new_one(client, make, app):
    make.agency("northvale", domains=["northvale.example.gov"])
    make.user(email="taken@northvale.example.gov", name="First Holder")
    new = _register(client, "fresh@northvale.example.gov")
    again = _register(app.test_client(), "taken@northvale.example.gov")
    assert new.status_code == again.status_code == 302
    assert new.headers["Location"] == again.headers["Location"] == "/login"
    assert b"account is ready" in client.get("/login").data
    assert _accounts(app, "taken@%") == 1
    assert auth_ok(app, "taken@northvale.example.gov")  # the holder's password is untouched


def auth_ok(app, email) -> bool:
    return app.test_client().post("/login", data={"email": email, "password": PASSWORD}).status_code == 302


def test_a_plus_tag_is_the_same_mailbox(client, make, app):
    make.agency("agency", domains=["agency.gov"])
    make.user(email="alice@agency.gov")
    _register(client, "alice+x@agency.gov", password="another long pass phrase")
    assert _accounts(app, "alice%") == 1
    assert not auth_ok_with(app, "alice+x@agency.gov", "another long pass phrase")


def auth_ok_with(app, email, password) -> bool:
    return app.test_client().post("/login", data={"email": email, "password": password}).status_code == 302


@pytest.mark.parametrize("email", ["\u0430lice@northvale.example.gov", "\u0430\u0441\u0435@northvale.example.gov",
                                   "p\u0430ul@northvale.example.gov"])
def test_a_look_alike_address_is_refused(client, make, app, email):
    make.agency("northvale", domains=["northvale.example.gov"])
    response = _register(client, email)
    assert response.status_code == 422
    assert b"mixes alphabets" in response.data
    assert _accounts(app, "%") == 0


def test_registration_is_rate_limited_per_address(client, make):
    make.agency("northvale", domains=["northvale.example.gov"])
    statuses = [_register(client, "sam@northvale.example.gov").status_code for _ in range(6)]
    assert statuses[-1] == 429


def test_registration_is_rate_limited_per_ip(client, make):
    make.agency("northvale", domains=["northvale.example.gov"])
    statuses = [_register(client, f"sam{i}@northvale.example.gov").status_code for i in range(21)]
    assert statuses[:20] == [302] * 20 and statuses[20] == 429
