"""A member's home page: one ordered page, their dashboard first, then what they follow, then the site's picks;
each practice at most once, and their own work never in their own feed."""
import re
from collections import Counter
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from tests.conftest import bearer
from tests.endorsements.helpers import bulk_articles, counting_statements


class PracticeLinks(HTMLParser):
    """Every link to a practice (``/articles/<slug>``) inside <main>, in order."""

    def __init__(self):
        super().__init__()
        self.in_main, self.slugs = False, []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.in_main = True
        href = dict(attrs).get("href") or ""
        found = re.fullmatch(r"/articles/([a-z0-9-]+)", href)
        if self.in_main and tag == "a" and found and found.group(1) != "new":
            self.slugs.append(found.group(1))

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False


def practices_linked(page: str) -> list[str]:
    parser = PracticeLinks()
    parser.feed(page)
    return parser.slugs


def section(page: str, title_id: str) -> str:
    start = page.index(f'id="{title_id}"')
    end = page.find("<section", start)
    return page[start:end if end != -1 else None]


def _support(client, make, article, kind="endorse"):
    response = client.put(f"/api/v1/articles/{article.slug}/endorsement", json={"kind": kind},
                          headers=bearer(make.token(make.user())))
    assert response.status_code == 200, response.get_data(as_text=True)


def _feature(client, make, admin, article):
    response = client.post("/api/v1/featured", json={"slug": article.slug, "note": "Worth a look."},
                           headers=bearer(make.token(admin)))
    assert response.status_code == 201, response.get_data(as_text=True)


@pytest.fixture
def busy_home(client, make, auth):
    """A member who follows a topic (and their own agency), with their own, a colleague's, followed,
    featured and trending practices about; returns (member, the home page as HTML)."""
    home_agency, other = make.agency("home-office"), make.agency("elsewhere")
    member, colleague, stranger = make.user(agency=home_agency), make.user(agency=home_agency), make.user(agency=other)
    admin = make.admin()
    mine = make.article(member, title="My own practice", tags=["Open data"])
    make.article(colleague, title="Colleague practice", tags=["Open data"])
    fresh = make.article(stranger, title="Followed fresh", tags=["Open data"])
    endorsed = make.article(stranger, title="Followed and endorsed", tags=["Open data"])
    featured_followed = make.article(stranger, title="Featured and followed", tags=["Open data"])
    featured_only = make.article(stranger, title="Featured only", tags=["Parks"])
    rising = make.article(stranger, title="Rising elsewhere", tags=["Parks"])
    make.article(stranger, title="Plain newest", tags=["Parks"])
    _support(client, make, mine, "adopt")  # the dashboard tells of it
    _support(client, make, endorsed)
    _support(client, make, rising)
    _support(client, make, rising, "adopt")
    for article in (featured_followed, featured_only, mine):
        _feature(client, make, admin, article)
    auth.login(member)
    assert client.post("/follow/tag/open-data").status_code in (200, 302, 303)
    assert client.post(f"/follow/agency/{home_agency.slug}").status_code in (200, 302, 303)
    page = client.get("/").get_data(as_text=True)
    assert fresh.title in page
    return member, page


def test_no_practice_is_shown_twice_on_a_member_s_home(busy_home):
    _, page = busy_home
    counts = Counter(practices_linked(page))
    assert counts and max(counts.values()) == 1, counts


def test_own_and_own_agency_work_is_not_in_the_followed_feed(busy_home):
    _, page = busy_home
    following = section(page, "following-title")
    assert "Followed fresh" in following and "Followed and endorsed" in following
    assert "My own practice" not in following and "Colleague practice" not in following


def test_the_member_s_home_is_in_order(busy_home):
    _, page = busy_home
    order = ['id="impact-summary-title"', 'id="home-search-q"', 'id="following-title"', 'id="featured-title"',
             'id="trending-title"', 'id="newest-title"', 'id="topics-title"']
    positions = [page.index(marker) for marker in order]
    assert positions == sorted(positions)


def test_a_practice_in_the_followed_feed_leaves_the_featured_and_trending_sections(busy_home):
    _, page = busy_home
    assert "Featured and followed" in section(page, "following-title")
    featured = section(page, "featured-title")
    assert "Featured and followed" not in featured and "Featured only" in featured
    assert "My own practice" not in featured  # the dashboard already links it (its latest adoption)
    assert "Rising elsewhere" in section(page, "trending-title")


def test_the_visitor_s_home_is_unchanged_by_what_members_follow(client, busy_home, auth):
    auth.logout()
    page = client.get("/").get_data(as_text=True)
    assert 'id="following-title"' not in page and 'id="impact-summary-title"' not in page
    assert "My own practice" in section(page, "featured-title")  # visitors see every feature
    assert max(Counter(practices_linked(page)).values()) == 1


def test_a_member_s_home_uses_the_same_number_of_queries_for_100_and_1000_articles(app, client, make, auth):
    member = make.user()
    authors = [make.user() for _ in range(3)]
    endorsers = [make.user() for _ in range(4)]
    admin = make.admin()
    make.article(member, title="Member's practice", tags=["open-data"])
    auth.login(member)
    client.post("/follow/tag/open-data")
    client.post(f"/follow/person/{authors[0].id}")
    counts = []
    for size in (100, 900):  # 100: enough for every section to be full (each loads its cards' topics once)
        ids = bulk_articles(app, size, authors, endorsers=endorsers)
        with app.app_context():
            from exchange.articles.models import Article
            from exchange.db import db

            slug = db.session.scalar(sa.select(Article.slug).where(Article.id == ids[-1]))
        client.post("/api/v1/featured", json={"slug": slug, "note": "Featured in bulk."},
                    headers=bearer(make.token(admin)))
        with counting_statements(app) as statements:
            page = client.get("/")
        assert page.status_code == 200
        assert 'id="following-title"' in page.get_data(as_text=True)
        counts.append(len(statements))
    assert counts[0] == counts[1]
