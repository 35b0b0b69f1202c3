"""The Whoosh backend keeps one searcher (and its facet table) between searches until the index changes."""
import threading

import pytest

from exchange.search.whoosh.backend import open_searcher
from tests.search.conftest import search, slugs


@pytest.fixture
def backend():
    return "whoosh"


@pytest.fixture
def opened(monkeypatch):
    calls = []

    def counting(ix):
        if threading.current_thread().name != "search-warm-up":  # searches' own searchers
            calls.append(ix)
        return open_searcher(ix)

    monkeypatch.setattr("exchange.search.whoosh.backend.open_searcher", counting)
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


def test_after_a_rebuild_the_vocabulary_still_suggests_and_is_never_a_result(client, runner, publish):
    """A rebuild indexes the spelling vocabulary as documents of counted words, not as articles."""
    publish(title="Participatory budgeting", body="Residents chose neighbourhood projects.")
    publish(title="Street lights", body="Lamps for every neighbourhood.")
    assert runner.invoke(args=["search", "reindex"]).exit_code == 0
    assert search(client, q="neighbourhod", as_typed="1")["suggestion"] == "neighbourhood"
    everything = search(client)
    assert everything["total"] == 2 and len(everything["results"]) == 2
    assert sum(f["count"] for f in everything["facets"]["kind"]) == 2
    check = runner.invoke(args=["search", "check"])
    assert check.exit_code == 0, check.output


def test_an_index_built_for_another_schema_is_rebuilt(app, client, runner, publish):
    from exchange.search.backends import configured

    publish(title="Harbour ferries", body="Boats.")
    with app.app_context():
        store = configured().backend.store
        (store.root / store.current_name() / "SCHEMA").write_text("1")  # as an older release left it
    unread = client.get("/api/v1/search", query_string={"q": "harbour"})  # not read: its fields are not ours
    assert unread.status_code == 503 and "total" not in unread.json  # and search says so, as /healthz does
    result = runner.invoke(args=["search", "reindex", "--if-needed"])
    assert result.exit_code == 0, result.output
    assert search(client, q="harbour")["total"] == 1


def test_an_index_built_before_the_whoosh_package_still_opens(app, publish):
    """Whoosh pickles the schema's classes, by module path, into the index; we open with our own schema."""
    from exchange.search.backends import configured
    from exchange.search.interface import SearchRequest
    from exchange.search.query import parse
    from exchange.search.whoosh.backend import WhooshBackend

    ferries = publish(title="Harbour ferries", body="Boats.")
    with app.app_context():
        store = configured().backend.store
        # the publish's commit started a warm-up thread reading these files: rewriting them under
        # it made Whoosh fail mid-read and leak a file handle (a ResourceWarning, failing this test)
        configured().backend.wait_warm()
    tocs = list((store.root / store.current_name()).glob("*.toc"))
    assert tocs
    for toc in tocs:  # as the release before the move wrote them
        written = toc.read_bytes()
        assert b"exchange.search.whoosh.schema" in written
        toc.write_bytes(written.replace(b"exchange.search.whoosh.schema", b"exchange.search.whoosh_schema"))
    restarted = WhooshBackend(store.root)
    harbour = SearchRequest(query=parse("harbour"))
    assert [hit.slug for hit in restarted.search(harbour).hits] == ["harbour-ferries"]
    with restarted.writer(timeout=5) as writer:
        writer.remove([ferries.id])
    assert restarted.search(harbour).total == 0
