"""The array evaluation gives what Whoosh's own matchers give: the same matches, facets, scores and order."""
import pytest

from exchange.search.backends import configured
from exchange.search.services import read_request
from exchange.search.whoosh import searching

WORDS = ["harbour", "ferry", "budget", "open", "data", "residents", "council", "bins", "recycling", "lamps"]


@pytest.fixture
def backend():
    return "whoosh"


@pytest.fixture
def library(app, make, runner):
    """Forty articles of mixed words, tags and kinds, some endorsed, in one segment and some more."""
    import random

    import sqlalchemy as sa

    from exchange.articles.models import Article
    from exchange.db import db

    rng = random.Random(4)
    author = make.user()
    made = []
    for n in range(40):
        words = " ".join(rng.choices(WORDS, k=30))
        made.append(make.article(author, title=f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {n}",
                                 body=f"{words}. Open data for residents. {words}",
                                 tags=rng.sample(["ports", "energy", "waste", "open data"], 2),
                                 kind=rng.choice(["case_study", "playbook"])))
    with app.app_context():
        for article in made[::7]:
            db.session.execute(sa.update(Article).where(Article.id == article.id).values(score=rng.random() * 20))
        db.session.commit()
    assert runner.invoke(args=["search", "reindex"]).exit_code == 0
    for n in range(3):  # and a second segment, with a deletion in the first
        make.article(author, title=f"Harbour lamps {n}", body="Recycling bins by the ferry.", tags=["ports"])
    return made


REQUESTS = [
    {"q": "harbour"}, {"q": "open data"}, {"q": '"open data"'}, {"q": "harbour OR ferry"},
    {"q": "budget NOT council"}, {"q": "residents council"}, {"q": '"recycling bins" ferry'},
    {"q": "(harbour OR lamps) AND bins"}, {"q": "harbour", "tag": "ports"}, {"q": "data", "kind": "playbook"},
    {"q": "residents", "sort": "top"}, {"q": "residents", "sort": "new"}, {}, {"tag": "energy"},
    {"q": "nothingmatchesthis"}, {"q": "council", "page": "2", "per_page": "5"},
]


def test_arrays_and_matchers_agree(app, library):
    for args in REQUESTS:
        _agree(app, args)


def _agree(app, args):
    with app.app_context():
        backend = configured().backend
        reading = backend._reading()
        request, _ = read_request(args)
        fast = searching.run_search(reading.searcher, request, backend._time_limited, reading.facets,
                                        reading.vectors)
        slow = searching.run_search(reading.searcher, request, backend._time_limited, reading.facets, None)
    assert (fast.total, fast.facets) == (slow.total, slow.facets), args
    assert [hit.id for hit in fast.hits] == [hit.id for hit in slow.hits], args
    # Filters add nothing to relevance, in either way of searching.
    assert [round(hit.relevance, 6) for hit in fast.hits] == [round(hit.relevance, 6) for hit in slow.hits], args
    assert fast.total == 0 or fast.hits, args


def test_what_is_kept_stays_within_its_budget():
    from exchange.lru import SizedLRU

    kept = SizedLRU(budget=100)
    for n in range(10):
        kept.put(n, f"value {n}", 30)
    assert kept.size <= 100 and len(kept) == 3 and kept.get(9) == "value 9" and kept.get(0) is None
    kept.get(7)  # used: now the last to go
    kept.put("big", "x", 60)
    assert kept.get(7) == "value 7" and kept.get(8) is None and kept.size <= 100
    kept.put("big", "y", 10)  # replaced: counted once
    assert kept.size == 40 and kept.get("big") == "y"
