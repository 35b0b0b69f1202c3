"""The word-cached analyzers give exactly the tokens of the Whoosh pipelines they stand for."""
from pathlib import Path

import pytest
from whoosh.analysis import CompositeAnalyzer

from exchange.search.whoosh.schema import ANALYZER, SPELLING_ANALYZER

ROOT = Path(__file__).resolve().parents[3]
TRICKY = [
    "", "   ", "a", "The the THE", "Régie Autonome des Transports Parisiens", "U.K. e.g. 3.5 v2.0 co-op",
    "naïve café Æsir straße ÉTAT", "budgeting budgets budgeted", "sky skies skiing", "x y z is at by",
    "日本語 テキスト", "don't won't it's", "a" * 300, "über-fast_snake_case 42 0.5%",
]


def pipeline(analyzer):
    """The plain Whoosh pipeline, one generator per filter."""
    return CompositeAnalyzer(*analyzer.items)


def texts():
    yield from TRICKY
    for path in sorted((ROOT / "content").rglob("*.md"))[:6]:
        yield path.read_text(encoding="utf-8")


@pytest.mark.parametrize("analyzer", [ANALYZER, SPELLING_ANALYZER], ids=["stemmed", "spelling"])
@pytest.mark.parametrize("options", [
    {}, {"positions": True}, {"positions": True, "mode": "index"}, {"removestops": False, "positions": True},
    {"mode": "query"}, {"no_morph": True}, {"start_pos": 7, "positions": True},
])
def test_the_same_tokens_as_the_pipeline(analyzer, options):
    for text in texts():
        for _ in range(2):  # the second time from the word cache
            fast = [(t.text, getattr(t, "pos", None), t.stopped, t.boost) for t in analyzer(text, **options)]
            slow = [(t.text, getattr(t, "pos", None), t.stopped, t.boost) for t in pipeline(analyzer)(text, **options)]
            assert fast == slow, text[:60]


def test_character_offsets_come_from_the_pipeline():
    tokens = [(t.text, t.startchar, t.endchar) for t in ANALYZER("Open budgeting data", chars=True)]
    assert tokens == [("open", 0, 4), ("budget", 5, 14), ("data", 15, 19)]


def test_the_cache_is_not_pickled_with_the_schema():
    import pickle

    list(ANALYZER("some words to cache"))
    copy = pickle.loads(pickle.dumps(ANALYZER))
    assert copy._forms == ({}, {}) and [t.text for t in copy("budgeting")] == ["budget"]
