"""The Whoosh backend keeps one searcher (and its facet table) between searches until the index changes."""
import pytest

from exchange.search import whoosh_backend
from tests.search.conftest import search, slugs


@pytest.fixture
def backend():
    return "whoosh"


@pytest.fixture
def opened(monkeypatch):
    calls = []
    real = whoosh_backend.open_searcher

    def counting(ix):
        calls.append(ix)
        return real(ix)

    monkeypatch.setattr(whoosh_backend, "open_searcher", counting)
    return calls


def test_searches_share_a_searcher_until_the_index_changes(client, publish, opened):
    publish(title="Harbour ferries", body="Boats.", tags=["transport"])
    for _ in range(3):
        assert slugs(search(client, q="harbour")) == ["harbour-ferries"]
    assert len(opened) == 1
    publish(title="Harbour lights", body="Lamps.", tags=["transport", "energy"])
    answer = search(client, q="harbour")
    assert sorted(slugs(answer)) == ["harbour-ferries", "harbour-lights"]
    assert len(opened) == 2
    facets = {f["value"]: f["count"] for f in answer["facets"]["tag"]}
    assert facets == {"transport": 2, "energy": 1}


def test_a_rebuild_is_read_from_the_next_search(client, runner, publish, opened):
    publish(title="Harbour ferries", body="Boats.")
    assert search(client, q="harbour")["total"] == 1
    assert runner.invoke(args=["search", "reindex"]).exit_code == 0
    assert search(client, q="harbour")["total"] == 1
    assert len(opened) == 2  # the new generation
