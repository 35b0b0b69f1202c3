"""Notifications by email: at once or in digests, only what the reader may see, one-click unsubscribe."""
import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD, bearer
from tests.mail.conftest import html_of, path_of, text_of


def _endorse(client, token, slug, kind="endorse"):
    return client.put(f"/api/v1/articles/{slug}/endorsement", json={"kind": kind}, headers=bearer(token))


def _preferences(client, **choices):
    fields = {"following": "weekly", "endorsements": "instant", "comments": "instant", "replies": "instant",
              "moderation": "instant"}
    return client.post("/profile/notifications", data={**fields, **choices})


def test_an_endorsement_is_emailed_at_once_with_one_click_unsubscribe(client, app, make, smtp):
    author = make.user(name="Ada Author")
    article = make.article(author=author, title="Ferry timetables people read")
    endorser = make.user(name="Ben Endorser")
    assert _endorse(client, make.token(endorser), article.slug).status_code == 200
    [message] = smtp.wait_for(1)
    assert message.envelope_to == [author.email]
    assert message["Subject"] == "Ben Endorser endorsed your practice “Ferry timetables people read”."
    assert f"/articles/{article.slug}" in text_of(message) and f"/articles/{article.slug}" in html_of(message)
    assert "You chose to hear at once about endorsements" in text_of(message)
    unsubscribe = message["List-Unsubscribe"].strip("<>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in text_of(message)
    visitor = app.test_client()  # no session, no CSRF token: what a mail program sends (RFC 8058)
    answer = visitor.post(path_of(unsubscribe), data={"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200 and b"Endorsements and adoptions" in answer.data
    _endorse(client, make.token(make.user()), article.slug, "adopt")
    assert len(smtp.wait_for(2, seconds=0.5)) == 1


def test_opening_the_unsubscribe_link_asks_before_it_stops_anything(client, make, smtp):
    author = make.user()
    article = make.article(author=author)
    _endorse(client, make.token(make.user()), article.slug)
    unsubscribe = smtp.wait_for(1)[0]["List-Unsubscribe"].strip("<>")
    assert b"Stop these emails?" in client.get(path_of(unsubscribe)).data
    _endorse(client, make.token(make.user()), article.slug)
    assert len(smtp.wait_for(2)) == 2


def test_a_forged_unsubscribe_link_is_refused(client):
    assert client.post("/unsubscribe/not-a-signed-token").status_code == 404


def test_a_person_who_chose_none_gets_no_email(client, make, smtp):
    author = make.user()
    article = make.article(author=author)
    client.post("/login", data={"email": author.email, "password": PASSWORD})
    assert _preferences(client, endorsements="none").status_code == 302
    _endorse(client.application.test_client(), make.token(make.user()), article.slug)
    assert smtp.wait_for(1, seconds=0.5) == []


def test_an_unverified_address_gets_no_notification_email(client, make, smtp):
    author = make.user(verified=False)
    article = make.article(author=make.user())
    from exchange.articles.models import Article
    from exchange.db import db

    with client.application.app_context():
        db.session.execute(sa.update(Article).where(Article.id == article.id).values(author_id=author.id))
        db.session.commit()
    _endorse(client, make.token(make.user()), article.slug)
    assert smtp.wait_for(1, seconds=0.5) == []


def _checked(page: str, name: str) -> str:
    import re

    inputs = re.findall(r"<input[^>]*>", page)
    [value] = [re.search(r'value="([^"]+)"', tag).group(1) for tag in inputs
               if f'name="{name}"' in tag and "checked" in tag]
    return value


def test_the_preferences_page_saves_choices_and_refuses_an_unknown_one(client, make):
    person = make.user()
    client.post("/login", data={"email": person.email, "password": PASSWORD})
    assert _checked(client.get("/profile/notifications").data.decode(), "following") == "weekly"
    assert _preferences(client, following="daily").status_code == 302
    assert _preferences(client, following="none", comments="hourly").status_code == 422
    page = client.get("/profile/notifications").data.decode()
    assert _checked(page, "following") == "daily" and _checked(page, "comments") == "instant"


# Digests ------------------------------------------------------------------------------------------------

@pytest.fixture
def transport_world(app, make):
    """An author's agency publishes two practices in a topic; one goes back to draft afterwards."""
    home = make.agency("harbour", domains=["harbour.example.gov"])
    author = make.user(agency=home, name="Ada Author")
    colleague = make.user(agency=home, name="Cy Colleague")
    outsider = make.user(name="Olga Outsider")
    for person in (colleague, outsider):
        client = app.test_client()
        client.post("/login", data={"email": person.email, "password": PASSWORD})
        assert client.post("/follow/agency/harbour").status_code in (302, 303)
    shown = make.article(author=author, title="Bus lanes that stayed")
    hidden = make.article(author=author, title="Ferry pilot we withdrew")
    from exchange.articles.models import Article
    from exchange.db import db

    with app.app_context():
        db.session.execute(sa.update(Article).where(Article.id == hidden.id).values(status="draft"))
        db.session.commit()
    return {"colleague": colleague, "outsider": outsider, "shown": shown, "hidden": hidden}


def test_a_digest_lists_only_what_its_reader_may_see(app, smtp, transport_world):
    result = app.test_cli_runner().invoke(args=["mail", "digest", "weekly"])
    assert result.exit_code == 0, result.output
    assert "Queued 2 weekly digests" in result.output
    smtp.wait_for(2)
    [outsider] = smtp.to(transport_world["outsider"].email)
    [colleague] = smtp.to(transport_world["colleague"].email)
    assert "Bus lanes that stayed" in text_of(outsider) and "Ferry pilot we withdrew" not in text_of(outsider)
    assert "Ferry pilot we withdrew" not in html_of(outsider)
    assert "Bus lanes that stayed" in text_of(colleague) and "Ferry pilot we withdrew" in text_of(colleague)
    assert outsider["Subject"] == "Your weekly digest from The Exchange: 1 new"
    assert outsider["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_digest_is_newest_first_and_sent_once(app, make, smtp, transport_world):
    app.test_cli_runner().invoke(args=["mail", "digest", "weekly"])
    again = app.test_cli_runner().invoke(args=["mail", "digest", "weekly"])
    assert "Queued 0 weekly digests" in again.output
    smtp.wait_for(3, seconds=0.5)
    assert len(smtp.messages) == 2
    text = text_of(smtp.to(transport_world["colleague"].email)[0])
    assert text.index("Ferry pilot we withdrew") < text.index("Bus lanes that stayed")


def test_the_daily_digest_carries_only_the_kinds_chosen_daily(app, smtp, transport_world):
    result = app.test_cli_runner().invoke(args=["mail", "digest", "daily"])
    assert "Queued 0 daily digests" in result.output  # following is weekly by default
    client = app.test_client()
    client.post("/login", data={"email": transport_world["outsider"].email, "password": PASSWORD})
    _preferences(client, following="daily")
    result = app.test_cli_runner().invoke(args=["mail", "digest", "daily"])
    assert "Queued 1 daily digests" in result.output
    assert [m.envelope_to for m in smtp.wait_for(1)] == [[transport_world["outsider"].email]]


def test_unsubscribing_from_a_digest_stops_it(app, smtp, transport_world):
    app.test_cli_runner().invoke(args=["mail", "digest", "weekly"])
    smtp.wait_for(2)
    message = smtp.to(transport_world["outsider"].email)[0]
    app.test_client().post(path_of(message["List-Unsubscribe"].strip("<>")))
    from exchange.mail.preferences import preferences_of

    with app.app_context():
        assert preferences_of(transport_world["outsider"].id)["following"] == "none"


def test_a_moderators_decision_on_a_comment_is_emailed_to_its_author(client, app, make, smtp):
    from exchange.community.models import Comment
    from exchange.db import db

    article = make.article()
    commenter = make.user(name="Cara Commenter")
    body = {"body": "We ran the same pilot in Leeds for a year and halved the waiting time."}
    client.post(f"/api/v1/articles/{article.slug}/comments", json=body, headers=bearer(make.token(commenter)))
    smtp.wait_for(1)  # the article's author hears of the comment
    with app.app_context():
        comment_id = db.session.scalar(sa.select(Comment.id))
    admin = app.test_client()
    admin.post("/login", data={"email": make.admin().email, "password": PASSWORD})
    assert admin.post(f"/admin/moderation/comments/{comment_id}/hide").status_code == 302
    smtp.wait_for(2)
    [message] = smtp.to(commenter.email)
    assert message["Subject"].startswith("A moderator hid your comment on")
    assert ("You chose to hear at once about moderators' decisions on your comments and reports, "
            "and review requests.") in text_of(message)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
