"""The home page: featured practices with their notes, then trending, top, newest and topics."""
from datetime import timedelta

import sqlalchemy as sa

from exchange.db import utcnow
from tests.conftest import bearer
from tests.endorsements.helpers import bulk_articles, counting_statements


def _endorse(client, make, article, kind="endorse"):
    response = client.put(f"/api/v1/articles/{article.slug}/endorsement", json={"kind": kind},
                          headers=bearer(make.token(make.user())))
    assert response.status_code == 200


def _feature(client, make, admin, article, **fields):
    response = client.post("/api/v1/featured", json={"slug": article.slug, **fields}, headers=bearer(make.token(admin)))
    assert response.status_code == 201, response.json
    return response.json


def _section(page: str, title_id: str) -> str:
    start = page.index(f'id="{title_id}"')
    end = page.find("<section", start)
    return page[start:end if end != -1 else None]


def test_home_leads_with_featured_practices_and_their_notes(client, make):
    author = make.user()
    featured = make.article(author, title="Chart of the week")
    make.article(author, title="Plain practice")
    _feature(client, make, make.admin(), featured, note="A cheap way to show what the data says.")
    page = client.get("/").data.decode()
    section = _section(page, "featured-title")
    assert "Chart of the week" in section and "A cheap way to show what the data says." in section
    assert page.index("featured-title") < page.index("newest-title")
    assert "Plain practice" in _section(page, "newest-title")


def test_home_shows_trending_top_newest_and_topics_without_repeating_a_practice(client, make, monkeypatch):
    author = make.user()
    old_favourite = make.article(author, title="Old favourite", tags=["Open Data"])
    rising = make.article(author, title="Rising practice", tags=["Open Data", "Social Media"])
    make.article(author, title="Brand new practice", tags=["Social Media"])
    monkeypatch.setattr("exchange.endorsements.services.utcnow", lambda: utcnow() - timedelta(days=365))
    for _ in range(3):
        _endorse(client, make, old_favourite, "adopt")
    monkeypatch.undo()
    _endorse(client, make, rising)
    page = client.get("/").data.decode()
    assert "Rising practice" in _section(page, "trending-title")
    assert "Old favourite" in _section(page, "top-title") and "Old favourite" not in _section(page, "trending-title")
    newest = _section(page, "newest-title")
    assert "Brand new practice" in newest and "Rising practice" not in newest
    topics = _section(page, "topics-title")
    assert 'href="/tags/open-data"' in topics and 'href="/tags/social-media"' in topics
    assert (page.index("trending-title") < page.index("top-title")
            < page.index("newest-title") < page.index("topics-title"))


def test_home_has_a_search_box_and_the_numbers(client, make):
    make.article(make.user())
    page = client.get("/").data.decode()
    assert 'action="/search"' in page and 'id="home-search-q"' in page
    assert "<strong>1</strong> practice" in page


def test_an_expired_feature_is_not_shown(client, make, app):
    from exchange.curation.models import Feature
    from exchange.db import db

    author = make.user()
    lapsed = make.article(author, title="Last season pick")
    current = make.article(author, title="This season pick")
    admin = make.admin()
    _feature(client, make, admin, lapsed, note="Lapsed note", until=(utcnow().date() + timedelta(days=1)).isoformat())
    _feature(client, make, admin, current, note="Current note")
    with app.app_context():
        db.session.execute(sa.update(Feature).values(until=utcnow().date() - timedelta(days=1))
                           .where(Feature.note == "Lapsed note"))
        db.session.commit()
    page = client.get("/").data.decode()
    assert "This season pick" in _section(page, "featured-title") and "Lapsed note" not in page
    assert [item["slug"] for item in client.get("/api/v1/featured").json["items"]] == [current.slug]
    assert client.get(f"/api/v1/articles/{lapsed.slug}").json["featured"] is False
    assert "badge-featured" not in client.get(f"/articles/{lapsed.slug}").data.decode()


def test_home_keeps_the_following_include_point_for_members(client, make, auth):
    from pathlib import Path

    source = (Path(__file__).resolve().parent.parent / "templates" / "site" / "home.html").read_text()
    assert '{% include "community/_following.html" %}' in source
    auth.login(make.user())
    assert client.get("/").status_code == 200


def test_home_uses_the_same_number_of_queries_for_10_and_1000_articles(app, client, make):
    authors = [make.user() for _ in range(3)]
    endorsers = [make.user() for _ in range(4)]
    admin = make.admin()
    counts = []
    for size in (10, 990):
        ids = bulk_articles(app, size, authors, endorsers=endorsers)
        with app.app_context():
            from exchange.articles.models import Article
            from exchange.db import db

            slug = db.session.scalar(sa.select(Article.slug).where(Article.id == ids[-1]))
        client.post("/api/v1/featured", json={"slug": slug, "note": "Featured in bulk."},
                    headers=bearer(make.token(admin)))
        with counting_statements(app) as statements:
            assert client.get("/").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
