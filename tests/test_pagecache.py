"""Visitors' pages from the per-worker cache: served while the data version holds, never after a change."""
import pytest
import sqlalchemy as sa

from exchange.pagecache import Page, PageCache, changes_visible_data
from tests.conftest import PASSWORD
from tests.endorsements.helpers import counting_statements


def version(app) -> int:
    from exchange.db import db
    from exchange.pagecache import current_version

    with app.app_context():
        return current_version(db.session)


@pytest.mark.parametrize("statement, changes", [
    ("SELECT * FROM articles", False),
    ("  select 1", False),
    ("SELECT articles.id FROM articles FOR UPDATE", False),
    ("PRAGMA foreign_keys=ON", False),
    ("SAVEPOINT sa_savepoint_1", False),
    ("INSERT INTO articles (slug) VALUES (?)", True),
    ("UPDATE articles SET title=? WHERE id=?", True),
    ('DELETE FROM "comments" WHERE id = 1', True),
    ("INSERT OR REPLACE INTO tags (slug) VALUES (?)", True),
    ("WITH x AS (SELECT 1) UPDATE articles SET score = 0", True),
    ("CREATE TABLE t (id int)", True),
    ("INSERT INTO search_log (query) VALUES (?)", False),
    ("INSERT INTO search_pending (article_id) VALUES (?)", False),
    ("UPDATE api_tokens SET last_used_at=?", False),
    ("UPDATE notifications SET read_at=?", False),
    ("INSERT INTO audit_log (action) VALUES (?)", False),
])
def test_which_statements_change_what_visitors_see(statement, changes):
    assert changes_visible_data(statement) is changes


def test_a_visitor_page_is_served_from_the_cache_with_one_query(app, client, make):
    article = make.article(title="Cached practice")
    first = client.get(f"/articles/{article.slug}")
    assert first.status_code == 200
    with counting_statements(app) as statements:
        second = client.get(f"/articles/{article.slug}")
    assert second.status_code == 200
    assert second.data == first.data
    queries = [s for s in statements if s not in ("BEGIN", "COMMIT", "ROLLBACK")]
    assert len(queries) == 1 and "data_version" in queries[0]
    # The usual headers come fresh with every response.
    assert second.headers["X-Request-Id"] != first.headers["X-Request-Id"]
    assert second.headers["ETag"] == first.headers["ETag"]
    assert "Content-Security-Policy" in second.headers
    assert client.get(f"/articles/{article.slug}", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_an_edit_is_seen_at_once(app, client, make):
    from exchange.accounts.services import get_user
    from exchange.articles.services import get_article, update_article

    author = make.user()
    article = make.article(author=author, title="Before the edit")
    assert b"Before the edit" in client.get(f"/articles/{article.slug}").data
    assert b"Before the edit" in client.get("/case-studies").data
    before = version(app)
    with app.app_context():
        user = get_user(author.id)
        current = get_article(user, article.slug)
        update_article(user, current, {"title": "After the edit"}, current.revision, "")
    assert version(app) > before
    assert b"After the edit" in client.get(f"/articles/{article.slug}").data
    assert b"After the edit" in client.get("/case-studies").data


def test_a_change_by_any_connection_is_seen(app, client, make):
    """Even SQL that bypasses the services (a raw connection on the engine) moves the version."""
    article = make.article(title="Raw before")
    assert b"Raw before" in client.get(f"/articles/{article.slug}").data
    engine = app.extensions["exchange.db"].kw["bind"]
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE articles SET title = 'Raw after', html = '<p>raw</p>' WHERE id = :id"),
                           {"id": article.id})
    assert b"Raw after" in client.get(f"/articles/{article.slug}").data


def test_a_change_made_by_another_server_is_seen(new_app, make):
    """Two apps (two servers) on one database: each one's cache follows the other's writes."""
    from exchange.accounts.services import get_user
    from exchange.articles.services import get_article, update_article

    reader, writer = new_app(), new_app()
    author = make.user()
    article = make.article(author=author, title="Seen by the reader")
    client = reader.test_client()
    assert b"Seen by the reader" in client.get(f"/articles/{article.slug}").data
    with writer.app_context():
        user = get_user(author.id)
        current = get_article(user, article.slug)
        update_article(user, current, {"title": "Changed by the writer"}, current.revision, "")
    assert b"Changed by the writer" in client.get(f"/articles/{article.slug}").data


def test_reads_and_unseen_writes_keep_the_version(app, client, make):
    article = make.article()
    before = version(app)
    client.get(f"/articles/{article.slug}")
    client.get("/search?q=practice")  # logs the search: a table no visitor page shows
    assert version(app) == before


def test_a_rolled_back_change_keeps_the_version(app, make):
    from exchange.db import db

    article = make.article()
    before = version(app)
    with app.app_context():
        db.session.execute(sa.text("UPDATE articles SET title = 'never' WHERE id = :id"), {"id": article.id})
        db.session.rollback()
        db.session.execute(sa.select(sa.literal(1)))
        db.session.commit()
    assert version(app) == before


def test_signed_in_people_and_flash_messages_are_never_served_from_the_cache(app, client, make, auth):
    article = make.article(title="Personal view")
    client.get(f"/articles/{article.slug}")
    user = make.user(name="Robin Reader")
    auth.login(user)
    page = client.get(f"/articles/{article.slug}")
    assert b"Robin Reader" in page.data and page.headers["Cache-Control"] == "private, no-cache"
    auth.logout()  # leaves a "signed out" message in the session
    after = client.get(f"/articles/{article.slug}")
    assert b"Robin Reader" not in after.data
    assert b"signed out" in after.data.lower()
    assert b"signed out" not in client.get(f"/articles/{article.slug}").data.lower()


def test_pages_not_meant_for_everyone_are_not_cached(app, client, make):
    article = make.article()
    client.get("/login")
    with counting_statements(app) as statements:
        client.get("/login")
    assert not any("data_version" in s for s in statements)
    # A search's results are kept per data version (the same for everyone), its page is not: it is logged.
    for _ in range(2):
        assert client.get(f"/search?q={article.title.split()[0]}").status_code == 200
    assert app.extensions["exchange.pagecache"].size == 0


def test_the_cache_can_be_turned_off(new_app, make):
    app = new_app(PAGE_CACHE_MB=0)
    article = make.article()
    client = app.test_client()
    client.get(f"/articles/{article.slug}")
    with counting_statements(app) as statements:
        client.get(f"/articles/{article.slug}")
    assert len(statements) > 1 and not any("data_version" in s for s in statements)


def test_the_cache_keeps_to_its_size_and_age(monkeypatch):
    import exchange.pagecache as module

    clock = [100.0]
    monkeypatch.setattr(module.time, "monotonic", lambda: clock[0])
    cache = PageCache(max_bytes=1000, seconds=60)
    for n in range(12):
        cache.put(f"/p{n}", Page(1, clock[0], b"x" * 100, "text/html"))
    assert cache.size <= 1000 and cache.get("/p0", 1) is None and cache.get("/p11", 1) is not None
    assert cache.get("/p11", 2) is None  # another version: dropped
    cache.put("/big", Page(1, clock[0], b"x" * 200, "text/html"))  # over an eighth of the budget
    assert cache.get("/big", 1) is None
    cache.put("/old", Page(1, clock[0], b"x", "text/html"))
    clock[0] += 61
    assert cache.get("/old", 1) is None


def test_visitors_get_no_cookie_from_any_page_the_cache_keeps(new_app, make):
    """A session cookie would keep a visitor out of the cache (and tell them nothing)."""
    app = new_app(WTF_CSRF_ENABLED=True)
    author = make.user()
    article = make.article(author, tags=["open data"])
    client = app.test_client()
    for path in ("/", f"/articles/{article.slug}", f"/articles/{article.slug}/history", "/case-studies",
                 "/playbooks", "/tags", "/tags/open-data", "/agencies", f"/agencies/{author.agency.slug}",
                 f"/people/{author.id}"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Set-Cookie" not in response.headers, path


def test_a_failed_migration_leaves_no_connection_untracked(app, monkeypatch):
    """The migrations' connection goes back to the pool: its "writes move no version" flag must not."""
    from alembic.runtime.environment import EnvironmentContext

    from exchange import pagecache
    from exchange.migrate import upgrade

    def broken(self, **kwargs):
        raise RuntimeError("a migration failed")

    monkeypatch.setattr(EnvironmentContext, "run_migrations", broken)
    engine = app.extensions["exchange.db"].kw["bind"]
    with app.app_context():
        with pytest.raises(RuntimeError):
            upgrade()
    with engine.connect() as connection:
        assert pagecache.UNTRACKED not in connection.info


# What a section rendered once for every reader must never read: the reader, their session, their forms.
PERSONAL = {"current_user", "csrf", "csrf_token", "session", "g", "request", "get_flashed_messages"}


def test_shared_sections_read_nothing_of_the_reader(app, client, make):
    """A member's article page reuses sections another reader's request rendered: none may show a person."""
    from jinja2 import meta, nodes

    from exchange.pagecache import SHARED_SECTIONS

    article = make.article(title="A practice with every section")
    member = make.user(name="Reader who signs in", agency=article.agency)  # who sees its reach too
    client.post("/login", data={"email": member.email, "password": PASSWORD})
    assert client.get(f"/articles/{article.slug}").status_code == 200
    assert {"search/_related.html", "challenges/_helped.html", "files/_attachments.html",
            "curation/_featured_badge.html", "curation/_review_request.html", "impact/_reach.html"} <= SHARED_SECTIONS
    environment = app.jinja_env
    pending, read = list(SHARED_SECTIONS), set()
    while pending:  # each shared template and every template it includes or imports
        name = pending.pop()
        read.add(name)
        tree = environment.parse(environment.loader.get_source(environment, name)[0])
        names = {node.name for node in tree.find_all(nodes.Name)}
        assert not names & PERSONAL, f"{name} reads {names & PERSONAL}"
        for other in meta.find_referenced_templates(tree):
            assert other is not None, f"{name} includes a template named at run time"
            pending += [] if other in read else [other]



def test_writing_notifications_moves_the_notices_version_alone(app, make):
    """A member's header count is kept until notifications change; no visitor's page is emptied for it."""
    from exchange.pagecache import VERSIONS, changes_notices

    assert changes_notices("UPDATE notifications SET read_at=? WHERE id=?")
    assert not changes_notices("UPDATE articles SET title=?") and not changes_notices("SELECT * FROM notifications")
    user = make.user()
    engine = app.extensions["exchange.db"].kw["bind"]
    with engine.connect() as connection:
        before = tuple(connection.exec_driver_sql(VERSIONS).one())
    with engine.begin() as connection:
        connection.exec_driver_sql(f"UPDATE notifications SET read_at = NULL WHERE user_id = {user.id}")
    with engine.connect() as connection:
        after = tuple(connection.exec_driver_sql(VERSIONS).one())
    assert after == (before[0], before[1] + 1)
