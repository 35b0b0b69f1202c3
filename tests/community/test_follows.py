"""Following tags, agencies, articles and people: the buttons, the profile list, and the home page's lead."""
import pytest


def _targets(make):
    author = make.user(name="Priya Publisher")
    article = make.article(author, title="Open data on bins", tags=["Open Data"])
    return author, article, {
        "tag": ("open-data", "/tags/open-data", "Open Data"),
        "agency": (author.agency.slug, f"/agencies/{author.agency.slug}", author.agency.name),
        "article": (article.slug, f"/articles/{article.slug}", "Open data on bins"),
        "person": (str(author.id), f"/people/{author.id}", "Priya Publisher"),
    }


@pytest.mark.parametrize("kind", ["tag", "agency", "article", "person"])
def test_follow_and_unfollow_from_the_page(client, make, auth, kind):
    _, _, targets = _targets(make)
    key, page_path, name = targets[kind]
    auth.login(make.user())
    page = client.get(page_path).data.decode()
    assert f'action="/follow/{kind}/{key}"' in page
    response = client.post(f"/follow/{kind}/{key}", data={"next": page_path})
    assert response.status_code == 302 and response.headers["Location"] == page_path
    page = client.get(page_path).data.decode()
    assert f'action="/unfollow/{kind}/{key}"' in page and "You follow this." in page
    profile = client.get("/profile").data.decode()
    assert "What you follow" in profile and name in profile
    assert client.post(f"/unfollow/{kind}/{key}").status_code == 302
    assert f'action="/follow/{kind}/{key}"' in client.get(page_path).data.decode()
    assert name not in client.get("/profile").data.decode().split("What you follow")[1].split("</section>")[0]


def test_following_twice_changes_nothing(client, make, auth, app):
    import sqlalchemy as sa

    from exchange.community.models import Follow
    from exchange.db import db

    _targets(make)
    auth.login(make.user())
    client.post("/follow/tag/open-data")
    client.post("/follow/tag/Open%20Data")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Follow.id))) == 1


def test_following_nothing_there_is_404(client, make, auth):
    auth.login(make.user())
    for path in ("/follow/tag/nope", "/follow/agency/nope", "/follow/article/nope", "/follow/person/9999",
                 "/follow/planet/earth"):
        assert client.post(path).status_code == 404, path


def test_drafts_cannot_be_followed(client, make, auth):
    author = make.user()
    draft = make.article(author, status="draft")
    auth.login(make.user(agency=author.agency))
    assert client.post(f"/follow/article/{draft.slug}").status_code == 404


def test_you_cannot_follow_yourself(client, make, auth):
    me = make.user()
    auth.login(me)
    assert client.post(f"/follow/person/{me.id}").status_code == 422
    assert "/follow/person/" not in client.get(f"/people/{me.id}").data.decode()


def test_visitors_are_invited_to_sign_in_to_follow(client, make):
    _targets(make)
    page = client.get("/tags/open-data").data.decode()
    assert "to follow Open Data" in page and "/follow/tag/" not in page
    response = client.post("/follow/tag/open-data")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_follow_redirects_only_within_the_site(client, make, auth):
    _targets(make)
    auth.login(make.user())
    response = client.post("/follow/tag/open-data", data={"next": "https://evil.example/"})
    assert response.headers["Location"] == "/tags/open-data"


def test_following_changes_the_home_page(client, make, auth):
    author = make.user()
    make.article(author, title="Chatbots for council tax", tags=["digital services"])
    make.article(make.user(), title="A practice nobody follows", tags=["procurement"])
    member = make.user()
    auth.login(member)
    home = client.get("/").data.decode()
    assert "Follow <a href=\"/tags\">topics</a>" in home and "Chatbots for council tax" not in home.split(
        "following-title")[1].split("</section>")[0]
    client.post("/follow/tag/digital-services")
    lead = client.get("/").data.decode().split('id="following-title"')[1].split("</section>")[0]
    assert "Chatbots for council tax" in lead and "A practice nobody follows" not in lead
    client.post("/unfollow/tag/digital-services")
    client.post(f"/follow/person/{author.id}")
    lead = client.get("/").data.decode().split('id="following-title"')[1].split("</section>")[0]
    assert "Chatbots for council tax" in lead


def test_the_following_lead_shows_new_practices_from_what_you_follow(app, make, client, auth):
    """The partial the home page includes, rendered for a member (works whatever the home page holds)."""
    from flask import render_template_string
    from flask_login import login_user

    from exchange.accounts.services import get_user
    from exchange.community.partials import following_feed

    author = make.user()
    make.article(author, title="Chatbots for council tax", tags=["digital services"])
    make.article(make.user(), title="A practice nobody follows", tags=["procurement"], status="published")
    agency_article = make.article(make.user(agency=author.agency), title="Another from the same agency")
    make.article(author, title="A draft of theirs", status="draft")
    member = make.user()
    with app.test_request_context("/"):
        login_user(get_user(member.id))
        empty = render_template_string('{% include "community/_following.html" %}', lead=following_feed())
        assert "Follow <a href=\"/tags\">topics</a>" in empty
    auth.login(member)
    client.post("/follow/tag/digital-services")
    client.post(f"/follow/agency/{author.agency.slug}")
    with app.test_request_context("/"):
        login_user(get_user(member.id))
        lead = render_template_string('{% include "community/_following.html" %}', lead=following_feed())
    assert "Chatbots for council tax" in lead and agency_article.title in lead
    assert "A practice nobody follows" not in lead and "A draft of theirs" not in lead
    assert lead.count("Chatbots for council tax") == 1  # matched by topic and agency, listed once


def test_the_following_lead_is_a_fixed_number_of_queries(app, make, client, auth):
    import sqlalchemy as sa
    from flask import render_template_string
    from flask_login import login_user

    from exchange.accounts.services import get_user
    from exchange.community.partials import following_feed
    from exchange.db import db

    member = make.user()
    auth.login(member)
    for n in range(2):
        author = make.user()
        for m in range(3):
            make.article(author, title=f"Practice {n} {m}", tags=[f"topic {n}", "shared"])
        client.post(f"/follow/person/{author.id}")
    client.post("/follow/tag/shared")
    with app.test_request_context("/"):
        login_user(get_user(member.id))
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        sa.event.listen(db.engine, "before_cursor_execute", listener)
        lead = render_template_string('{% include "community/_following.html" %}', lead=following_feed())
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    assert lead.count('<li class="card') == 6
    # Beside the data version, which every request reads once whatever it shows.
    assert len([s for s in statements if "data_version" not in s]) <= 5


def test_newly_endorsed_practices_from_what_you_follow_lead_the_home_page(client, make, auth, app):
    from datetime import timedelta

    from exchange.accounts.services import get_user
    from exchange.articles.models import Article
    from exchange.articles.services import get_article
    from exchange.db import db, utcnow
    from exchange.endorsements import services as endorsements

    old = make.article(title="An old favourite", tags=["open data"])
    for n in range(6):
        make.article(title=f"Newer practice {n}", tags=["open data"])
    with app.app_context():
        db.session.get(Article, old.id).published_at = utcnow() - timedelta(days=400)
        db.session.commit()
        endorsements.endorse(get_user(make.user().id), get_article(None, old.slug), "adopt", "")
    auth.login(make.user())
    client.post("/follow/tag/open-data")
    lead = client.get("/").data.decode().split('id="following-title"')[1].split("</section>")[0]
    new, endorsed = lead.split("Newly endorsed")
    assert "An old favourite" not in new and "An old favourite" in endorsed
