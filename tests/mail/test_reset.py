"""Password reset: a one-hour single-use link that ends every session; nothing tells who has an account."""
import re

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD, bearer
from tests.mail.conftest import link_in, path_of, text_of

NEW = "a brand new pass phrase for me"


def _forgot(client, email):
    return client.post("/password/forgot", data={"email": email})


def _reset(client, link, password=NEW, confirm=None, **extra):
    return client.post(path_of(link), data={"password": password, "password_confirm": confirm or password, **extra})


def _signs_in(app, email, password) -> bool:
    return app.test_client().post("/login", data={"email": email, "password": password}).status_code == 302


@pytest.fixture
def person(make):
    agency = make.agency("northvale", domains=["northvale.example.gov"])
    return make.user(email="sam@northvale.example.gov", agency=agency)


def test_the_link_sets_a_new_password_once(client, app, smtp, person):
    assert _forgot(client, person.email).status_code == 302
    [message] = smtp.wait_for(1)
    assert message["Subject"] == "Reset your password for The Exchange"
    link = link_in(message, "/password/reset/")
    assert client.get(path_of(link)).status_code == 200
    assert _reset(client, link).status_code == 302
    assert _signs_in(app, person.email, NEW) and not _signs_in(app, person.email, PASSWORD)
    assert client.get(path_of(link)).status_code == 404
    assert _reset(client, link, "yet another pass phrase").status_code == 404
    assert _signs_in(app, person.email, NEW)


def test_an_expired_link_sets_nothing(client, app, smtp, person):
    from exchange.accounts.models import AccountToken
    from exchange.db import db, utcnow

    _forgot(client, person.email)
    link = link_in(smtp.wait_for(1)[0], "/password/reset/")
    with app.app_context():
        db.session.execute(sa.update(AccountToken).values(expires_at=utcnow()))
        db.session.commit()
    assert _reset(client, link).status_code == 404
    assert _signs_in(app, person.email, PASSWORD)


def test_the_link_lasts_reset_minutes(new_app, smtp):
    from exchange.accounts.models import AccountToken
    from exchange.db import db
    from tests.conftest import Factory

    app = new_app(MAIL_URL=smtp.url, MAIL_SEND="inline", RESET_MINUTES=60)
    user = Factory(app).user()
    _forgot(app.test_client(), user.email)
    with app.app_context():
        token = db.session.scalar(sa.select(AccountToken).where(AccountToken.purpose == "reset"))
        assert round((token.expires_at - token.created_at).total_seconds()) == 3600


def test_a_reset_ends_every_session_and_revokes_tokens_by_default(client, app, make, smtp, person):
    other_device = app.test_client()
    other_device.post("/login", data={"email": person.email, "password": PASSWORD})
    token = make.token(person)
    _forgot(client, person.email)
    _reset(client, link_in(smtp.wait_for(1)[0], "/password/reset/"))
    assert other_device.get("/profile").status_code == 302  # signed out
    assert _token_works(client, token) == 401


def _token_works(client, token) -> int:
    draft = {"title": "Made with the token", "kind": "case_study", "summary": "A draft.", "body": "Text."}
    return client.post("/api/v1/articles", json=draft, headers=bearer(token)).status_code


def test_a_reset_may_keep_api_tokens(client, app, make, smtp, person):
    token = make.token(person)
    _forgot(client, person.email)
    link = link_in(smtp.wait_for(1)[0], "/password/reset/")
    client.post(path_of(link), data={"password": NEW, "password_confirm": NEW, "keep_tokens": "y"})
    assert _token_works(client, token) == 201


def test_two_different_passwords_are_refused_and_the_link_still_works(client, app, smtp, person):
    _forgot(client, person.email)
    link = link_in(smtp.wait_for(1)[0], "/password/reset/")
    refused = _reset(client, link, NEW, "something else entirely")
    assert refused.status_code == 422 and b"not the same" in refused.data
    assert _reset(client, link).status_code == 302


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, app, smtp, person):
    known = _forgot(client, person.email)
    known_page = client.get("/login").data
    other = app.test_client()
    unknown = _forgot(other, "nobody@northvale.example.gov")
    unknown_page = other.get("/login").data
    assert (known.status_code, known.headers["Location"]) == (unknown.status_code, unknown.headers["Location"])
    strip = re.compile(rb'name="csrf_token"[^>]*')
    assert strip.sub(b"", known_page) == strip.sub(b"", unknown_page)
    assert b"If an account uses that address" in known_page
    smtp.wait_for(1)
    assert [m.envelope_to for m in smtp.messages] == [[person.email]]


def test_resets_are_rate_limited_per_address_known_or_not(client, person):
    for email in (person.email, "nobody@northvale.example.gov"):
        statuses = [_forgot(client, email).status_code for _ in range(6)]
        assert statuses == [302] * 5 + [429]


def test_resets_are_rate_limited_per_account_whatever_the_spelling(client, person):
    spellings = ["sam@northvale.example.gov", "SAM@northvale.example.gov"] + [
        f"sam+{tag}@northvale.example.gov" for tag in "abcd"]
    assert [_forgot(client, email).status_code for email in spellings] == [302] * 5 + [429]


def test_the_sign_in_page_offers_a_reset(client):
    assert b'href="/password/forgot"' in client.get("/login").data


def test_the_command_line_prints_a_working_link(app, smtp, person):
    result = app.test_cli_runner().invoke(args=["user", "reset-password", person.email])
    assert result.exit_code == 0, result.output
    link = result.output.strip()
    assert link.startswith("http://localhost/password/reset/")
    client = app.test_client()
    assert _reset(client, link).status_code == 302 and _signs_in(app, person.email, NEW)
    assert smtp.messages == []


def test_the_command_line_reads_a_new_password_on_stdin(app, person):
    result = app.test_cli_runner().invoke(args=["user", "reset-password", person.email, "--password-stdin"],
                                          input=NEW + "\n")
    assert result.exit_code == 0, result.output
    assert _signs_in(app, person.email, NEW)
    weak = app.test_cli_runner().invoke(args=["user", "reset-password", person.email, "--password-stdin"],
                                        input="short\n")
    assert weak.exit_code != 0 and _signs_in(app, person.email, NEW)


def test_a_printed_password_must_be_changed_at_first_sign_in(app, make):
    make.agency("northvale", domains=["northvale.example.gov"])
    result = app.test_cli_runner().invoke(args=["user", "add", "kim@northvale.example.gov", "--name", "Kim",
                                                "--agency", "northvale"])
    printed = result.output.split("Password: ")[1].strip()
    client = app.test_client()
    client.post("/login", data={"email": "kim@northvale.example.gov", "password": printed})
    sent_back = client.get("/articles/new")
    assert sent_back.status_code == 302 and "/profile" in sent_back.headers["Location"]
    changed = client.post("/profile/password", data={"current_password": printed, "new_password": NEW})
    assert changed.status_code == 302
    client.post("/login", data={"email": "kim@northvale.example.gov", "password": NEW})
    assert client.get("/articles/new").status_code == 200


def test_a_reset_email_says_why_it_came(client, smtp, person):
    _forgot(client, person.email)
    assert "Someone asked to reset the password of the account on this address." in text_of(smtp.wait_for(1)[0])
