"""Own-agency support counts a quarter in the score, and never lifts a practice into Trending or the home
page's lists of what other agencies vouch for (issue #17)."""
import re

from exchange.db import utcnow
from tests.conftest import bearer


def _put(client, make, user, article, kind="endorse"):
    response = client.put(f"/api/v1/articles/{article.slug}/endorsement", json={"kind": kind},
                          headers=bearer(make.token(user)))
    assert response.status_code == 200
    return response.json


def _section(page: str, title_id: str) -> str:
    """The HTML of one home page section ('' when the page has no such section)."""
    found = re.search(rf'<section[^>]*aria-labelledby="{title_id}".*?</section>', page, re.S)
    return found.group(0) if found else ""


def test_own_agency_support_never_enters_trending(client, make):
    author = make.user()
    own_only = make.article(author, title="Only our own adopted it")
    outside = make.article(make.user(), title="Another agency endorsed it")
    _put(client, make, make.user(agency=own_only.agency), own_only, "adopt")
    _put(client, make, make.user(), outside)
    trending = _section(client.get("/").data.decode(), "trending-title")
    assert "Another agency endorsed it" in trending
    assert "Only our own adopted it" not in trending
    # In the full trending list it sorts after the practice with outside support, despite a higher score.
    titles = [item["title"] for item in client.get("/api/v1/articles?sort=trending").json["items"]]
    assert titles.index("Another agency endorsed it") < titles.index("Only our own adopted it")


def test_own_agency_support_keeps_a_practice_off_most_endorsed_on_the_home_page(client, make):
    article = make.article(title="Vouched for at home only")
    _put(client, make, make.user(agency=article.agency), article, "adopt")
    page = client.get("/").data.decode()
    assert "Vouched for at home only" not in _section(page, "top-title")
    assert "Vouched for at home only" not in _section(page, "trending-title")
    # ... but it still counts a quarter in the score, and says so.
    summary = client.get(f"/api/v1/articles/{article.slug}").json["endorsements"]
    assert summary["score"] == 0.75
    assert "counting a quarter" in client.get("/case-studies?sort=top").data.decode()


def test_trending_values_ignore_own_agency_support(app, client, make):
    from exchange.endorsements import ranking

    article = make.article()
    _put(client, make, make.user(agency=article.agency), article, "adopt")
    _put(client, make, make.user(), article, "endorse")
    with app.app_context():
        value = ranking.trending_values([article.id], utcnow())[article.id]
    assert 0.99 < value <= 1.0  # the outside endorsement only, barely decayed


def test_the_trending_caption_says_own_agency_support_does_not_count(client, make):
    article = make.article()
    _put(client, make, make.user(), article)
    trending = _section(client.get("/").data.decode(), "trending-title")
    assert "own agency does not count" in trending


def _stat(page: str, noun: str) -> int:
    return int(re.search(rf"<strong>(\d+)</strong> {noun}", page).group(1))


def test_drafts_never_count_in_the_home_pages_totals(client, make):
    author = make.user()
    article = make.article(author)
    _put(client, make, make.user(), article, "adopt")
    _put(client, make, make.user(), article, "endorse")
    page = client.get("/").data.decode()
    assert (_stat(page, "endorsement"), _stat(page, "adoption")) == (1, 1)  # each counted once
    token = make.token(author)
    revision = client.get(f"/api/v1/articles/{article.slug}", headers=bearer(token)).json["revision"]
    response = client.patch(f"/api/v1/articles/{article.slug}", json={"base_revision": revision, "status": "draft"},
                            headers=bearer(token))
    assert response.status_code == 200
    page = client.get("/").data.decode()
    assert (_stat(page, "endorsement"), _stat(page, "adoption")) == (0, 0)
