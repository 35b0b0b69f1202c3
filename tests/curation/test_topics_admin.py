"""Admins rename, describe and merge topics: old addresses redirect, follows move, each change is audited."""
import sqlalchemy as sa


def _follow(app, user, slug):
    from exchange.accounts.services import get_user
    from exchange.articles.queries import find_tag
    from exchange.community.follows import follow
    from exchange.db import db
    with app.app_context():
        follow(get_user(user.id), "tag", find_tag(None, slug))
        db.session.commit()


def _followers(app, slug):
    from exchange.articles.queries import find_tag
    from exchange.community.follows import follower_count
    with app.app_context():
        return follower_count("tag", find_tag(None, slug))


def _audit(app):
    from exchange.audit import AuditEntry
    from exchange.db import db
    with app.app_context():
        return [(e.action, e.target) for e in db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id))]


def test_members_cannot_reach_topic_admin(client, make, auth):
    make.article(tags=["open data"])
    auth.login(make.user())
    assert client.get("/admin/topics").status_code == 403
    assert client.post("/admin/topics/open-data/rename", data={"name": "Data"}).status_code == 403


def test_rename_moves_the_address_and_the_old_one_redirects_301(client, make, auth, app):
    make.article(tags=["opendata"])
    auth.login(make.admin())
    assert "opendata" in client.get("/admin/topics").data.decode()
    response = client.post("/admin/topics/opendata/rename", data={"name": "Open data"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/topics/open-data")
    old = client.get("/tags/opendata?sort=top")
    assert old.status_code == 301 and old.headers["Location"].endswith("/tags/open-data?sort=top")
    assert "Open data" in client.get("/tags/open-data").data.decode()
    assert ("topic.rename", "opendata") in _audit(app)


def test_rename_onto_an_existing_topic_is_refused_and_changes_nothing(client, make, auth):
    make.article(tags=["open data", "transport"])
    auth.login(make.admin())
    response = client.post("/admin/topics/transport/rename", data={"name": "Open Data"}, follow_redirects=True)
    assert "merge into it instead" in response.data.decode()
    assert client.get("/tags/transport").status_code == 200


def test_description_shows_on_the_topic_page(client, make, auth, app):
    make.article(tags=["open data"])
    auth.login(make.admin())
    client.post("/admin/topics/open-data/describe", data={"description": "Data anyone may use, <b>free</b>."})
    page = client.get("/tags/open-data").data.decode()
    assert "Data anyone may use, &lt;b&gt;free&lt;/b&gt;." in page
    assert ("topic.describe", "open-data") in _audit(app)


def test_merge_moves_articles_and_follows_and_redirects_the_old_slug(client, make, auth, app):
    one = make.article(tags=["crowd funding"])
    both = make.article(tags=["crowd funding", "crowdfunding"])
    make.article(tags=["crowdfunding"])
    fan, loyal = make.user(), make.user()
    _follow(app, fan, "crowd-funding")
    _follow(app, loyal, "crowd-funding")
    _follow(app, loyal, "crowdfunding")
    auth.login(make.admin())
    response = client.post("/admin/topics/crowd-funding/merge", data={"into": "crowdfunding"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/topics/crowdfunding")
    assert client.get("/tags/crowd-funding").status_code == 301
    for article in (one, both):
        assert client.get(f"/api/v1/articles/{article.slug}").json["tags"] == ["crowdfunding"]
    assert _followers(app, "crowdfunding") == 2
    assert ("topic.merge", "crowd-funding") in _audit(app)
    assert "3" in client.get("/admin/topics").data.decode()


def test_merge_into_itself_or_nowhere_is_refused(client, make, auth):
    make.article(tags=["open data"])
    auth.login(make.admin())
    for into in ("open data", "", "no such topic"):
        response = client.post("/admin/topics/open-data/merge", data={"into": into}, follow_redirects=True)
        assert response.status_code in (200, 404)
        assert client.get("/tags/open-data").status_code == 200
