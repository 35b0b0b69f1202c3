"""Every page type costs a fixed number of database statements, for a visitor and for a signed-in member.

Each page is fetched twice: in a small library where every section of the page has something to
show, and again after the library grew around it (more practices in the same topic and agency, more
endorsements, adoptions, comments, follows, challenges and answers). The count must not grow with the
library (no N+1), and stays within the page's budget. The page cache is off, so every request renders.
"""
import re
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD, POSTGRES_URL

TAG = "open-data"


@dataclass
class Library:
    agency: str
    article: str
    playbook: str
    challenge: str
    author_id: int
    member: object


# page, address (from the library), the most statements a visitor's / a member's request may take: what
# each takes today, so a new statement on a page is a decision made here. A member's page reads the person
# (with their agency) and their unread count on top of a visitor's.
PAGES = [
    ("home", lambda lib: "/", 12, 25),
    ("case study", lambda lib: f"/articles/{lib.article}", 15, 18),
    ("playbook", lambda lib: f"/articles/{lib.playbook}", 14, 17),
    ("case studies list", lambda lib: "/case-studies", 4, 6),
    ("playbooks list", lambda lib: "/playbooks", 4, 6),
    ("tags index", lambda lib: "/tags", 3, 5),  # the counts, kept per data version when pages are cached
    ("tag", lambda lib: f"/tags/{TAG}", 13, 16),
    ("agencies index", lambda lib: "/agencies", 2, 4),
    ("agency", lambda lib: f"/agencies/{lib.agency}", 10, 13),
    ("agency impact", lambda lib: f"/agencies/{lib.agency}/impact", 11, 13),
    ("site impact", lambda lib: "/impact", 6, 8),
    ("person", lambda lib: f"/people/{lib.author_id}", 5, 8),
    ("history", lambda lib: f"/articles/{lib.article}/history", 4, 6),
    ("challenges", lambda lib: "/challenges", 4, 7),
    ("challenge", lambda lib: f"/challenges/{lib.challenge}", 8, 13),  # + its comments, one statement
    ("search", lambda lib: "/search?q=residents", 7, 9),
]
# The second library adds GROWTH of everything: a statement per row would add at least GROWTH statements.
# A page may add up to BATCHES statements when a kind of row first appears on it (one batch load for all
# the answers in a member's notifications, say), never one per row.
GROWTH = 6
BATCHES = 2
MEMBER_ONLY = [
    ("my dashboard", lambda lib: "/me", None, 8),
    ("notifications", lambda lib: "/notifications", None, 11),
]


def grow(make, app, lib: Library, times: int) -> None:
    """``times`` more of everything around the library's practice, challenge, topic and agency."""
    from exchange.accounts.services import get_user
    from exchange.articles.services import get_article
    from exchange.challenges import services as challenges
    from exchange.community import services as community
    from exchange.endorsements import services as endorsements

    for n in range(times):
        other = make.user(name=f"Reader {n}")
        author = make.user(agency=make.agency(), name=f"Writer {n}")
        practice = make.article(author, title=f"Residents and open data, take {n}", tags=["open data"])
        make.article(author, title=f"Another practice {n}", tags=["open data", "budget"])
        with app.app_context():
            article = get_article(None, lib.article)
            endorsements.endorse(get_user(other.id), article, "endorse" if n % 2 else "adopt",
                                 f"Reader {n} vouches for it.")
            endorsements.endorse(get_user(other.id), get_article(None, practice.slug), "endorse", "Good.")
            community.add_comment(get_user(other.id), article, f"Comment number {n} from a reader.")
            challenge = challenges.get_challenge(None, lib.challenge)
            challenges.answer(get_user(author.id), challenge, practice.slug, f"Answer {n} applies here.")
            challenges.comment(get_user(other.id), challenge, f"Comment number {n} from a reader of the challenge.")
            challenges.post_challenge(get_user(author.id), {
                "title": f"A problem residents have, number {n}", "status": "open", "tags": ["open data"],
                "problem": "## Who is affected\n\nResidents."})


@pytest.fixture
def library(app, make):
    from exchange.accounts.services import get_user
    from exchange.challenges import services as challenges

    agency = make.agency(slug="northfield")
    author = make.user(agency=agency, name="Ana Author")
    article = make.article(author, title="Answering residents in public", tags=["open data", "social media"])
    playbook = make.article(author, title="A playbook for residents", kind="playbook", tags=["open data"],
                            body="## Purpose\n\nResidents.\n")
    member = make.user(name="Mo Member")
    with app.app_context():
        challenge = challenges.post_challenge(get_user(author.id), {
            "title": "Answering residents at weekends", "status": "open", "tags": ["open data"],
            "problem": "## Who is affected\n\nResidents who write on Saturdays."})
    client = app.test_client()  # a member who follows the topic and the agency, as most do
    client.post("/login", data={"email": member.email, "password": PASSWORD})
    assert client.post(f"/follow/tag/{TAG}").status_code == 302
    assert client.post(f"/follow/agency/{agency.slug}").status_code == 302
    return Library(agency.slug, article.slug, playbook.slug, challenge.slug, author.id, member)


def statements(app, client, path: str) -> int:
    from exchange.db import db

    with app.app_context():
        engine = db.engine
    seen = []

    def record(*args):
        seen.append(args[2])
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(path)
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    return len(seen)


def counts(app, library, signed_in: bool, pages) -> dict:
    client = app.test_client()
    if signed_in:
        assert client.post("/login", data={"email": library.member.email, "password": PASSWORD}).status_code == 302
    return {name: statements(app, client, address(library)) for name, address, *_ in pages}


@pytest.fixture
def app(new_app):
    return new_app(PAGE_CACHE_MB=0, SEARCH_BACKEND="whoosh")


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "member"])
def test_no_page_costs_more_statements_as_the_library_grows(app, make, library, signed_in):
    pages = PAGES + (MEMBER_ONLY if signed_in else [])
    grow(make, app, library, 2)  # every section of every page has something to show
    small = counts(app, library, signed_in, pages)
    grow(make, app, library, GROWTH)
    large = counts(app, library, signed_in, pages)
    grew = {name: (small[name], large[name]) for name in small if large[name] > small[name] + BATCHES}
    assert not grew, f"statements grew with the library (small, large): {grew}"
    budgets = {name: member if signed_in else visitor for name, _, visitor, member in pages}
    over = {name: (large[name], budgets[name]) for name in large if large[name] > budgets[name]}
    assert not over, f"over budget (statements, budget): {over}"


# A statement that picks articles by key: given ids, an author, or the practice they were based on.
BY_KEY = re.compile(r"(?:WHERE|AND) articles\.(?:id IN \(\?|author_id = \?|based_on_id = \?)")
# A plan step that walks the articles table, or its status index through every article of a status
# (which matters when that status is "published": drafts are few).
SCAN = re.compile(r"SCAN articles\b(?! USING (?:COVERING )?INDEX ix_articles_(?:author|based_on))")
BY_STATUS = re.compile(r"SEARCH articles USING (?:COVERING )?INDEX ix_articles_status_\w+ \(status=\?\)")


def _bulk_publish(app, author_id: int, agency_id: int, count: int) -> None:
    """``count`` published practices in one statement, so the planner's statistics see a real library."""
    from exchange.articles.models import Article
    from exchange.db import db, utcnow

    now = utcnow()
    with app.app_context():
        db.session.execute(sa.insert(Article), [
            {"slug": f"bulk-{n}", "title": f"Bulk practice {n}", "kind": "case_study", "summary": "A summary.",
             "body": "Body.", "html": "<p>Body.</p>", "text": "Body.", "toc_json": "[]", "agency_id": agency_id,
             "author_id": author_id, "status": "published", "edit_policy": "agency", "stage": "idea",
             "revision": 1, "created_at": now, "updated_at": now, "published_at": now, "score": 0.0,
             "endorsement_count": 0, "adoption_count": 0, "agency_count": 0} for n in range(count)])
        db.session.commit()


@pytest.mark.skipif(bool(POSTGRES_URL), reason="EXPLAIN QUERY PLAN is SQLite's; PostgreSQL keeps statistics")
def test_pages_pick_articles_by_key_not_by_walking_the_library(app, make, library):
    """With only single-column indexes and no statistics, SQLite answered "these 20 articles, if
    published" and "this person's practices" by walking every published article (20 ms at 10,000)."""
    from exchange.accounts.services import get_user
    from exchange.db import db
    from exchange.migrate import refresh_statistics

    grow(make, app, library, 2)
    with app.app_context():
        agency_id = get_user(library.author_id).agency_id
    _bulk_publish(app, library.author_id, agency_id, 400)
    with app.app_context():
        refresh_statistics()
        engine = db.engine
    engine.dispose()  # SQLite reads the statistics when a connection opens, as a server's workers do on start
    walked, seen = {}, []

    def record(*args):
        seen.append(args[2:4])
    for signed_in in (False, True):
        client = app.test_client()
        if signed_in:
            client.post("/login", data={"email": library.member.email, "password": PASSWORD})
        for name, address, *_ in PAGES + (MEMBER_ONLY if signed_in else []):
            seen.clear()
            sa.event.listen(engine, "before_cursor_execute", record)
            try:
                assert client.get(address(library)).status_code == 200
            finally:
                sa.event.remove(engine, "before_cursor_execute", record)
            with engine.connect() as connection:
                for statement, parameters in seen:
                    if BY_KEY.search(statement):
                        plan = [row[3] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                                                             parameters)]
                        walked.update({(name, step): statement[-160:] for step in plan if SCAN.search(step)
                                       or (BY_STATUS.search(step) and "published" in parameters)})
    assert not walked, f"pages walked the library to find articles by key: {walked}"
