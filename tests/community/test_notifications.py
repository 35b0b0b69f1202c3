"""Notifications: each event notifies each person once; the header count, the page, marking as read."""
import sqlalchemy as sa

from tests.conftest import bearer


def _publish(app, user, article):
    from exchange.accounts.services import get_user
    from exchange.articles.services import get_article, publish

    with app.app_context():
        user = get_user(user.id)
        return publish(user, get_article(user, article.slug))


def _set_status(app, user, article, status):
    from exchange.accounts.services import get_user
    from exchange.articles.models import Article
    from exchange.articles.services import get_article, update_article
    from exchange.db import db

    with app.app_context():
        user = get_user(user.id)
        current = get_article(user, db.session.get(Article, article.id).slug)  # its address changes at publication
        return update_article(user, current, {"status": status}, current.revision)


def test_comment_notifies_the_article_author_once(client, make, community):
    author, commenter = make.user(), make.user(name="Cara Commenter")
    article = make.article(author)
    token = make.token(commenter)
    comment = community.post(token, article, "We tried this in Leeds.").json
    client.patch(f"/api/v1/comments/{comment['id']}", json={"body": "We tried this in Leeds and York."},
                 headers=bearer(token))
    assert community.notifications(author) == [("commented", article.id, commenter.id)]
    assert community.notifications(commenter) == []  # nobody hears about their own comment


def test_reply_notifies_the_answered_author(client, make, community):
    author, asker, answerer = make.user(), make.user(), make.user()
    article = make.article(author)
    question = community.comment(asker, article, "How did you measure the drop?")
    community.comment(answerer, article, "We used call logs.", parent=question)
    assert community.notifications(asker) == [("replied", article.id, answerer.id)]
    assert [kind for kind, *_ in community.notifications(author)] == ["commented", "commented"]


def test_author_answering_on_their_own_article_is_notified_once(client, make, community):
    author, asker = make.user(), make.user()
    article = make.article(author)
    question = community.comment(author, article, "Has anyone measured this?")
    community.comment(asker, article, "We did, in Leeds.", parent=question)
    assert community.notifications(author) == [("replied", article.id, asker.id)]


def test_pending_comment_notifies_only_when_approved(client, make, community, app):
    from exchange.accounts.services import get_user
    from exchange.curation import moderation

    author = make.user()
    article = make.article(author)
    comment = community.comment(make.user(), article, "Our data: https://data.example/x")
    assert community.notifications(author) == []
    with app.app_context():
        moderation.approve_comment(get_user(make.admin().id), moderation.get_comment(comment.id))
    assert [kind for kind, *_ in community.notifications(author)] == ["commented"]


def test_comment_notifies_followers_of_the_article(client, make, community, auth):
    article = make.article()
    follower = make.user()
    auth.login(follower)
    client.post(f"/follow/article/{article.slug}")
    community.comment(make.user(), article, "We tried this in Leeds.")
    assert [kind for kind, *_ in community.notifications(follower)] == ["followed_comment"]


def test_new_article_in_a_followed_topic_or_agency_notifies_once(client, make, community, auth, app):
    author = make.user()
    by_topic, by_agency, by_both = make.user(), make.user(), make.user()
    make.article(author, tags=["open data"])  # makes the topic
    for member, paths in ((by_topic, ["/follow/tag/open-data"]), (by_agency, [f"/follow/agency/{author.agency.slug}"]),
                          (by_both, ["/follow/tag/open-data", f"/follow/agency/{author.agency.slug}"])):
        auth.login(member)
        for path in paths:
            client.post(path)
        auth.logout()
    article = make.article(author, title="Bins on open data", tags=["open data"], status="draft")
    for member in (by_topic, by_agency, by_both):
        assert community.notifications(member) == []  # a draft is news to nobody
    _publish(app, author, article)
    _set_status(app, author, article, "archived")
    _set_status(app, author, article, "published")
    for member in (by_topic, by_agency, by_both):
        assert community.notifications(member) == [("new_article", article.id, author.id)]
    assert community.notifications(author) == []


def test_article_published_at_creation_notifies_followers_of_its_author(client, make, community, auth):
    author, fan = make.user(), make.user()
    auth.login(fan)
    client.post(f"/follow/person/{author.id}")
    article = make.article(author)
    assert community.notifications(fan) == [("new_article", article.id, author.id)]


def test_article_in_an_unfollowed_topic_notifies_nobody(client, make, community, auth):
    make.article(tags=["procurement"])
    member = make.user()
    auth.login(member)
    client.post("/follow/tag/procurement")
    make.article(tags=["open data"])
    assert len(community.notifications(member)) == 0


def test_endorsement_and_adoption_notify_the_author_once_each(client, make, community, app):
    from exchange.accounts.services import get_user
    from exchange.articles.services import get_article
    from exchange.endorsements import services as endorsements

    author, fan = make.user(), make.user()
    article = make.article(author)
    with app.app_context():
        for step in ("endorse", "adopt", "endorse", "withdraw", "endorse", "adopt"):
            user, current = get_user(fan.id), get_article(None, article.slug)
            if step == "withdraw":
                endorsements.withdraw(user, current)
            else:
                endorsements.endorse(user, current, step, "We use it too.")
    assert community.notifications(author) == [("endorsed", article.id, fan.id), ("adopted", article.id, fan.id)]


def test_endorsement_notification_reads_well(client, make, auth, app):
    from exchange.accounts.services import get_user
    from exchange.articles.services import get_article
    from exchange.endorsements import services as endorsements

    author = make.user()
    fan = make.user(name="Femi Fan", agency=make.agency("harbour-city", name="Harbour City Council"))
    article = make.article(author, title="Chatbots for council tax")
    with app.app_context():
        endorsements.endorse(get_user(fan.id), get_article(None, article.slug), "adopt", "")
    auth.login(author)
    page = client.get("/notifications").data.decode()
    assert "Femi Fan recorded that Harbour City Council adopted your practice “Chatbots for council tax”." in page


def test_header_shows_the_unread_count_and_links_to_the_page(client, make, community, auth):
    author = make.user()
    article = make.article(author, title="Chatbots for council tax")
    community.comment(make.user(name="Cara Commenter"), article, "We tried this in Leeds.")
    auth.login(author)
    page = client.get("/").data.decode()
    assert 'href="/notifications"' in page
    assert '<span class="badge-count">1<span class="visually-hidden"> unread' in page
    page = client.get("/notifications").data.decode()
    assert "Cara Commenter commented on your practice “Chatbots for council tax”." in page
    assert f'href="/articles/{article.slug}#comment-' in page


def test_mark_one_and_all_as_read(client, make, community, auth, app):
    from exchange.community.models import Notification
    from exchange.db import db

    author = make.user()
    article = make.article(author)
    for text in ("We tried this in Leeds.", "We tried this in York.", "We tried this in Hull."):
        community.comment(make.user(), article, text)
    auth.login(author)
    with app.app_context():
        first = db.session.scalar(sa.select(Notification.id).where(Notification.user_id == author.id).limit(1))
    assert client.post(f"/notifications/{first}/read").status_code == 302
    assert '<span class="badge-count">2<' in client.get("/notifications").data.decode()
    assert client.post("/notifications/read").status_code == 302
    page = client.get("/notifications").data.decode()
    assert "badge-count" not in page and "Mark all as read" not in page


def test_nobody_marks_another_persons_notifications(client, make, community, auth):
    author = make.user()
    community.comment(make.user(), make.article(author), "We tried this in Leeds.")
    auth.login(make.user())
    client.post("/notifications/read")
    client.post("/notifications/1/read")
    auth.logout()
    auth.login(author)
    assert '<span class="badge-count">1<' in client.get("/notifications").data.decode()


def test_notifications_about_an_article_back_in_draft_disappear_for_others(client, make, community, auth, app):
    author, fan = make.user(), make.user()
    auth.login(fan)
    client.post(f"/follow/person/{author.id}")
    article = make.article(author, title="Soon to be withdrawn")
    assert "Soon to be withdrawn" in client.get("/notifications").data.decode()
    _set_status(app, author, article, "draft")
    page = client.get("/notifications").data.decode()
    assert "Soon to be withdrawn" not in page and "badge-count" not in page


def test_notifications_page_needs_sign_in(client):
    response = client.get("/notifications")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_header_count_is_one_query(client, make, community, auth, app):
    from flask import render_template_string
    from flask_login import login_user

    from exchange.accounts.services import get_user
    from exchange.db import db

    author = make.user()
    community.comment(make.user(), make.article(author), "We tried this in Leeds.")
    with app.test_request_context("/"):
        login_user(get_user(author.id))
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        sa.event.listen(db.engine, "before_cursor_execute", listener)
        html = render_template_string('{% include "community/_header.html" %}{% include "community/_header.html" %}')
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    # Beside the data version, which every request reads once whatever it shows.
    counts = [s for s in statements if "data_version" not in s]
    assert html.count(">1<") == 2 and len(counts) == 1 and "notifications" in counts[0]


def test_header_count_is_kept_until_a_notification_changes(client, make, community, auth, app):
    """Each worker keeps a member's count while the notices version and the data version hold; any write to
    notifications moves the first (reading one, a new one), any visible change the second."""
    from tests.endorsements.helpers import counting_statements

    author = make.user()
    article = make.article(author, title="Kept counts")
    community.comment(make.user(), article, "We tried this in Leeds.")
    auth.login(author)
    assert '<span class="badge-count">1<' in client.get("/").data.decode()
    with counting_statements(app) as statements:
        assert '<span class="badge-count">1<' in client.get("/").data.decode()
    assert not [s for s in statements if "notifications" in s]
    community.comment(make.user(), article, "And in York.")
    assert '<span class="badge-count">2<' in client.get("/").data.decode()
    assert client.post("/notifications/read").status_code == 302
    assert "badge-count" not in client.get("/").data.decode()


def test_article_published_at_creation_notifies_followers_of_its_topics(client, make, community, auth):
    make.article(tags=["open data"])  # makes the topic
    fan = make.user()
    auth.login(fan)
    client.post("/follow/tag/open-data")
    article = make.article(tags=["open data"])
    assert community.notifications(fan) == [("new_article", article.id, article.author_id)]
