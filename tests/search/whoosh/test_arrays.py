"""Arrays kept by segment: the same values as Whoosh's own readers, read once per segment, warmed after a commit."""
import pytest

from exchange import search as search_package
from exchange.search.backends import configured
from exchange.search.whoosh import arrays
from tests.search.conftest import search, slugs

READERS = ("_segment_postings", "_segment_numbers", "_segment_lengths", "values_of_segment", "_segment_topics",
           "_segment_coded")


@pytest.fixture
def backend():
    return "whoosh"


@pytest.fixture
def library(app, make, runner):
    """Articles in a rebuilt segment, then more in new segments, one of them replacing an old entry."""
    author = make.user()
    first = make.article(author, title="Harbour ferries", body="Boats for residents.", tags=["ports"],
                         evidence_level=3)
    make.article(author, title="Street lamps", body="Lamps in every street.", tags=["energy"])
    assert runner.invoke(args=["search", "reindex"]).exit_code == 0
    make.article(author, title="Harbour lamps", body="Lamps by the ferry.", tags=["ports", "energy"], stage="pilot")
    return first


def _reader(app):
    with app.app_context():
        return configured().backend._reading().searcher.reader()


def test_columns_and_lengths_read_whole_are_whoosh_s_own_values(app, library):
    reader = _reader(app)
    assert len(reader.leaf_readers()) > 1
    documents = range(reader.doc_count_all())
    for field in ("score", "published", "evidence"):
        own = reader.column_reader(field)
        assert arrays.numbers(reader, field).tolist() == [own[d] for d in documents], field
    for field in ("text", "title"):
        assert arrays.lengths(reader, field).tolist() == [reader.doc_field_length(d, field) or 0 for d in documents]
    each_segment = [_value(segment.column_reader("stage"), d)
                    for segment, _ in reader.leaf_readers() for d in range(segment.doc_count_all())]
    codes, labels = arrays.coded(reader, "stage")
    assert [labels[code] for code in codes] == each_segment
    assert "pilot" in each_segment
    topics = arrays.topics(reader, "tag")
    for tag in ("ports", "energy"):
        assert sorted(topics[tag].tolist()) == sorted(reader.postings("tag", tag).all_ids())
    assert sorted(arrays.live(reader).nonzero()[0].tolist()) == sorted(reader.all_doc_ids())


def _value(column, docnum):
    try:
        return column[docnum]
    except IndexError:  # a segment's column ends at the last document that gave it a value
        return None


def _forbid_reading(monkeypatch, keep=()):
    def refuse(*args, **kwargs):
        raise AssertionError("read on the search's path")

    for name in set(READERS) - set(keep):
        monkeypatch.setattr(arrays, name, refuse)


def test_after_a_commit_the_warm_up_reads_the_new_segment_before_the_next_search(app, client, make, monkeypatch):
    make.article(title="Harbour ferries", body="Boats.", tags=["ports"])
    assert slugs(search(client, q="harbour")) == ["harbour-ferries"]
    make.article(title="Harbour lights", body="Lamps.", tags=["ports", "energy"])  # a commit: a new segment
    with app.app_context():
        configured().backend.wait_warm()
    _forbid_reading(monkeypatch)
    answer = search(client, q="harbour")
    assert sorted(slugs(answer)) == ["harbour-ferries", "harbour-lights"]
    assert {f["value"]: f["count"] for f in answer["facets"]["tag"]} == {"ports": 2, "energy": 1}


def test_a_new_searcher_reads_only_the_segments_it_has_not_seen(app, client, make, monkeypatch):
    make.article(title="Harbour ferries", body="Boats.")
    search(client, q="harbour")
    with app.app_context():
        configured().backend.wait_warm()
    monkeypatch.setattr(configured(app).backend, "warm_up", lambda: None)  # this test reads on the search's path
    read = []
    real = arrays._segment_postings
    monkeypatch.setattr(arrays, "_segment_postings",
                        lambda segment, field, text: read.append(segment.doc_count_all()) or real(segment, field, text))
    make.article(title="Harbour lights", body="Lamps.")
    assert len(slugs(search(client, q="harbour"))) == 2
    assert read and set(read) == {1}  # the one new article's segment, nothing read again


def test_a_worker_starting_warms_its_columns(config, library, monkeypatch, new_app):
    monkeypatch.setattr(arrays, "KEPT", arrays.SegmentArrays())  # a new process: nothing read yet
    worker = new_app(SEARCH_BACKEND="whoosh")
    search_package.warm_up(worker)
    configured(worker).backend.wait_warm()
    assert configured(worker).backend._warmer is None
    _forbid_reading(monkeypatch, keep=("_segment_postings",))  # which words come first, no one knows yet
    answer = search(worker.test_client(), q="lamps")
    assert sorted(slugs(answer)) == ["harbour-lamps", "street-lamps"]
    assert {f["value"]: f["count"] for f in answer["facets"]["tag"]} == {"ports": 1, "energy": 2}
