"""Verified addresses: a single-use expiring link; until it is followed, reading and drafting only."""
import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD, bearer
from tests.mail.conftest import link_in, path_of, text_of


def _register(client, email, name="Sam Reyes"):
    return client.post("/register", data={"name": name, "email": email, "password": PASSWORD})


def _expire_links(app):
    from exchange.accounts.models import AccountToken
    from exchange.db import db, utcnow

    with app.app_context():
        db.session.execute(sa.update(AccountToken).values(expires_at=utcnow()))
        db.session.commit()


@pytest.fixture
def northvale(make):
    return make.agency("northvale", domains=["northvale.example.gov"])


def test_the_link_in_the_email_verifies_once(client, app, smtp, northvale):
    _register(client, "sam@northvale.example.gov")
    link = link_in(smtp.wait_for(1)[0], "/verify/")
    client.post("/login", data={"email": "sam@northvale.example.gov", "password": PASSWORD})
    assert "Not verified" in client.get("/profile").data.decode()
    assert client.get(path_of(link)).status_code == 302
    profile = client.get("/profile").data.decode()
    assert "Verified" in profile and "Not verified" not in profile and "was confirmed on" in profile
    again = client.get(path_of(link))
    assert again.status_code == 404 and b"used already" in again.data


def test_an_expired_link_does_not_verify(client, app, smtp, northvale):
    _register(client, "sam@northvale.example.gov")
    link = link_in(smtp.wait_for(1)[0], "/verify/")
    _expire_links(app)
    assert client.get(path_of(link)).status_code == 404
    client.post("/login", data={"email": "sam@northvale.example.gov", "password": PASSWORD})
    assert "Not verified" in client.get("/profile").data.decode()


def test_the_link_lasts_verify_hours(new_app, smtp):
    app = new_app(MAIL_URL=smtp.url, MAIL_SEND="inline", VERIFY_HOURS=2)
    from exchange.accounts.models import AccountToken
    from exchange.db import db
    from tests.conftest import Factory

    Factory(app).agency("northvale", domains=["northvale.example.gov"])
    _register(app.test_client(), "sam@northvale.example.gov")
    with app.app_context():
        token = db.session.scalar(sa.select(AccountToken))
        assert round((token.expires_at - token.created_at).total_seconds()) == 7200


def test_registering_an_existing_address_answers_the_same_and_tells_its_holder(client, app, make, smtp, northvale):
    make.user(email="taken@northvale.example.gov", name="First Holder", agency=northvale)
    new = _register(client, "fresh@northvale.example.gov")
    new_page = client.get("/login").data
    again_client = app.test_client()
    again = _register(again_client, "taken@northvale.example.gov")
    again_page = again_client.get("/login").data
    assert (new.status_code, new.headers["Location"]) == (again.status_code, again.headers["Location"])
    assert _without_csrf(new_page) == _without_csrf(again_page)
    smtp.wait_for(2)
    [holder_mail] = smtp.to("taken@northvale.example.gov")
    assert holder_mail["Subject"] == "Someone tried to register your address on The Exchange"
    assert "/password/forgot" in text_of(holder_mail)
    assert "/verify/" in text_of(smtp.to("fresh@northvale.example.gov")[0])


def _without_csrf(page: bytes) -> bytes:
    import re

    return re.sub(rb'name="csrf_token"[^>]*', b"", page)


def test_resending_the_link_is_rate_limited_and_only_the_newest_works(client, app, smtp, make, northvale):
    person = make.user(email="sam@northvale.example.gov", agency=northvale, verified=False)
    client.post("/login", data={"email": person.email, "password": PASSWORD})
    statuses = [client.post("/verify/resend").status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    first, *_, newest = smtp.wait_for(3)
    assert client.get(path_of(link_in(first, "/verify/"))).status_code == 404
    assert client.get(path_of(link_in(newest, "/verify/"))).status_code == 302


# What an unverified account may do ---------------------------------------------------------------------

@pytest.fixture
def unverified(make, northvale):
    return make.user(email="new@northvale.example.gov", agency=northvale, verified=False)


def test_an_unverified_account_writes_and_edits_its_own_draft(client, unverified):
    client.post("/login", data={"email": unverified.email, "password": PASSWORD})
    made = client.post("/articles/new", data={"title": "A first draft", "kind": "case_study",
                                              "summary": "Still thinking.", "body": "Text.", "edit_policy": "agency"})
    assert made.status_code == 302
    assert client.get(made.headers["Location"]).status_code == 200


def test_an_unverified_account_cannot_publish(client, make, unverified):
    token = make.token(unverified)
    response = client.post("/api/v1/articles", headers=bearer(token), json={
        "title": "Straight to the public", "kind": "case_study", "summary": "Now.", "body": "Text.",
        "status": "published"})
    assert response.status_code == 403 and response.json["error"]["code"] == "unverified"
    draft = client.post("/api/v1/articles", headers=bearer(token), json={
        "title": "A draft first", "kind": "case_study", "summary": "Later.", "body": "Text."})
    assert draft.status_code == 201
    client.post("/login", data={"email": unverified.email, "password": PASSWORD})
    assert client.post(f"/articles/{draft.json['slug']}/publish").status_code == 403


@pytest.mark.parametrize("kind", ["endorse", "adopt"])
def test_an_unverified_account_cannot_endorse_or_adopt(client, make, unverified, kind):
    article = make.article()
    response = client.put(f"/api/v1/articles/{article.slug}/endorsement", json={"kind": kind},
                          headers=bearer(make.token(unverified)))
    assert response.status_code == 403 and response.json["error"]["code"] == "unverified"
    client.post("/login", data={"email": unverified.email, "password": PASSWORD})
    assert client.post(f"/articles/{article.slug}/endorsement", data={"kind": kind}).status_code == 403


def test_an_unverified_account_cannot_comment(client, make, unverified):
    article = make.article()
    body = {"body": "We ran the same pilot in Leeds for a year and halved the waiting time."}
    response = client.post(f"/api/v1/articles/{article.slug}/comments", json=body,
                           headers=bearer(make.token(unverified)))
    assert response.status_code == 403 and response.json["error"]["code"] == "unverified"
    client.post("/login", data={"email": unverified.email, "password": PASSWORD})
    assert client.post(f"/articles/{article.slug}/comments", data=body).status_code == 403


def test_an_unverified_account_does_not_see_its_agencys_drafts(client, make, northvale, unverified):
    colleague = make.user(agency=northvale)
    draft = make.article(author=colleague, status="draft")
    assert client.get(f"/api/v1/articles/{draft.slug}", headers=bearer(make.token(unverified))).status_code == 404
    assert client.get(f"/api/v1/articles/{draft.slug}", headers=bearer(make.token(colleague))).status_code == 200
    client.post("/login", data={"email": unverified.email, "password": PASSWORD})
    assert client.get(f"/articles/{draft.slug}").status_code == 404
    assert draft.title not in client.get(f"/agencies/{northvale.slug}").data.decode()


def test_once_verified_the_account_may_endorse(client, app, make, smtp, northvale):
    article = make.article()
    _register(client, "sam@northvale.example.gov")
    client.get(path_of(link_in(smtp.wait_for(1)[0], "/verify/")))
    client.post("/login", data={"email": "sam@northvale.example.gov", "password": PASSWORD})
    assert client.post(f"/articles/{article.slug}/endorsement", data={"kind": "endorse"}).status_code == 302


def test_accounts_made_before_verification_existed_are_verified(app, make, northvale):
    """Migration 0017 marks the accounts that exist when it runs as verified, so no one is locked out."""
    from alembic import command

    from exchange.accounts.models import User
    from exchange.db import db
    from exchange.migrate import alembic_config, upgrade

    person = make.user(agency=northvale, verified=False)
    with app.app_context():
        db.session.close()  # the migrations take the database for themselves
        command.downgrade(alembic_config(), "0016")
        upgrade()
        user = db.session.get(User, person.id)
        assert user.verified_at is not None and user.verified_at == user.created_at
