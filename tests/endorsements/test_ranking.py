"""Ranking everywhere: top and trending on the site lists and the API, in a fixed number of queries."""
from datetime import timedelta

import pytest

from exchange.db import utcnow
from tests.conftest import bearer
from tests.endorsements.helpers import bulk_articles, counting_statements


def _endorse(client, make, article, kind="endorse", agency=None):
    user = make.user(agency=agency)
    response = client.put(f"/api/v1/articles/{article.slug}/endorsement", json={"kind": kind},
                          headers=bearer(make.token(user)))
    assert response.status_code == 200


def _endorse_at(monkeypatch, client, make, article, moment, kind="endorse"):
    """An endorsement made at ``moment`` (as if the clock said so)."""
    monkeypatch.setattr("exchange.endorsements.services.utcnow", lambda: moment)
    _endorse(client, make, article, kind)
    monkeypatch.undo()


def _titles(client, path):
    return [item["title"] for item in client.get(path).json["items"]]


@pytest.fixture
def three(make):
    author = make.user()
    return [make.article(author, title=title, tags=["Open Data"]) for title in ("Alpha", "Bravo", "Charlie")]


def test_top_sorts_by_score_in_the_api_and_every_list(client, make, three):
    alpha, bravo, charlie = three
    _endorse(client, make, bravo, "adopt")
    _endorse(client, make, charlie)
    assert _titles(client, "/api/v1/articles?sort=top") == ["Bravo", "Charlie", "Alpha"]
    for path in ["/case-studies?sort=top", "/tags/open-data?sort=top", f"/agencies/{alpha.agency.slug}?sort=top"]:
        page = client.get(path).data.decode()
        assert page.index("Bravo") < page.index("Charlie") < page.index("Alpha"), path


def test_trending_prefers_recent_endorsements_to_heavier_old_ones(client, make, three, monkeypatch):
    alpha, bravo, charlie = three
    now = utcnow()
    _endorse_at(monkeypatch, client, make, alpha, now - timedelta(days=100), "adopt")  # 3 x 0.5^(100/30) = 0.30
    _endorse_at(monkeypatch, client, make, bravo, now - timedelta(days=1))  # about 0.98
    _endorse_at(monkeypatch, client, make, charlie, now - timedelta(days=200), "adopt")  # outside the window
    assert _titles(client, "/api/v1/articles?sort=trending") == ["Bravo", "Alpha", "Charlie"]
    assert _titles(client, "/api/v1/articles?sort=top") == ["Charlie", "Alpha", "Bravo"]
    for path in ["/case-studies?sort=trending", "/tags/open-data?sort=trending",
                 f"/agencies/{alpha.agency.slug}?sort=trending"]:
        page = client.get(path).data.decode()
        assert page.index("Bravo") < page.index("Alpha") < page.index("Charlie"), path


def test_lists_offer_the_trending_sort(client, make, three):
    page = client.get("/case-studies").data.decode()
    assert 'sort=trending' in page and "Trending" in page and "sort=top" in page


def test_trending_of_a_filtered_list_keeps_the_filter_and_total(client, make, three):
    make.article(make.user(), title="Delta playbook", kind="playbook")
    response = client.get("/api/v1/articles?sort=trending&kind=playbook").json
    assert [item["title"] for item in response["items"]] == ["Delta playbook"] and response["total"] == 1


@pytest.mark.parametrize("path", ["/case-studies?sort=top", "/case-studies?sort=trending", "/playbooks?sort=trending",
                                  "/tags/open-data?sort=trending", "/api/v1/articles?sort=trending"])
def test_top_and_trending_pages_use_the_same_queries_for_10_and_1000_articles(app, client, make, path):
    authors = [make.user() for _ in range(3)]
    endorsers = [make.user() for _ in range(4)]
    counts = []
    for size in (10, 990):
        bulk_articles(app, size, authors, endorsers=endorsers)
        with counting_statements(app) as statements:
            assert client.get(path).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
