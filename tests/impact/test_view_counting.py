"""Reach: a view is counted once per successful article page view by a reader, in batches, never on the request."""
import sqlalchemy as sa

from exchange.impact import counter
from tests.conftest import PASSWORD
from tests.impact.conftest import READER, REDIS_URL, archive, needs_redis, views_of


def test_each_successful_view_by_a_reader_counts_once(app, client, make):
    article = make.article()
    for _ in range(3):
        assert client.get(f"/articles/{article.slug}", headers=READER).status_code == 200
    assert counter.flush(app) == 3
    assert views_of(app, article.slug) == 3
    assert counter.flush(app) == 0  # written once, never again
    assert views_of(app, article.slug) == 3


def test_a_view_writes_nothing_to_the_database_on_the_request(app, client, make):
    """The page view only adds to the tally: no statement touches article_views, the data version stays."""
    from exchange.db import db
    from exchange.pagecache import current_version

    article = make.article()
    with app.app_context():
        before = current_version(db.session)
    written = []

    def note(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith("SELECT"):
            written.append(statement)

    engine = app.extensions["exchange.db"].kw["bind"]
    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        client.get(f"/articles/{article.slug}", headers=READER)
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)
    assert not [s for s in written if "article_views" in s or "data_version" in s]
    assert views_of(app, article.slug) == 0
    counter.flush(app)
    with app.app_context():
        assert current_version(db.session) == before  # writing views does not empty the visitors' page cache


def test_bots_and_programs_are_not_counted(app, client, make):
    article = make.article()
    for agent in ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "curl/8.5.0",
                  "python-requests/2.32", "Mozilla/5.0 HeadlessChrome/131.0", "", "facebookexternalhit/1.1"):
        assert client.get(f"/articles/{article.slug}", headers={"User-Agent": agent}).status_code == 200
    client.get(f"/articles/{article.slug}", headers={**READER, "Sec-Purpose": "prefetch"})
    counter.flush(app)
    assert views_of(app, article.slug) == 0


def test_the_owning_agency_and_the_author_are_not_counted_but_other_agencies_are(app, make, auth, client):
    agency = make.agency()
    author = make.user(agency=agency)
    colleague = make.user(agency=agency)
    other = make.user()
    article = make.article(author=author)
    expected = 0
    for person, counted in ((author, False), (colleague, False), (other, True)):
        reader = app.test_client()
        reader.post("/login", data={"email": person.email, "password": PASSWORD})
        assert reader.get(f"/articles/{article.slug}", headers=READER).status_code == 200
        counter.flush(app)
        expected += counted
        assert views_of(app, article.slug) == expected, person


def test_not_modified_redirects_errors_and_head_are_not_views(app, client, make):
    article = make.article()
    first = client.get(f"/articles/{article.slug}", headers=READER)
    again = client.get(f"/articles/{article.slug}", headers={**READER, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    client.head(f"/articles/{article.slug}", headers=READER)
    assert client.get("/articles/no-such-article", headers=READER).status_code == 404
    client.get(f"/articles/{article.slug}/history", headers=READER)  # another page of the article
    counter.flush(app)
    assert views_of(app, article.slug) == 1


def test_a_page_served_from_the_visitors_cache_still_counts(app, client, make):
    article = make.article()
    cache = app.extensions["exchange.pagecache"]
    client.get(f"/articles/{article.slug}", headers=READER)
    assert cache.size > 0  # the page is kept...
    rendered = []
    from flask import template_rendered

    template_rendered.connect(lambda *a, **k: rendered.append(1), app, weak=False)
    assert client.get(f"/articles/{article.slug}", headers=READER).status_code == 200
    assert not rendered  # ...and the second view came from the cache, not the template
    counter.flush(app)
    assert views_of(app, article.slug) == 2


def test_drafts_and_withdrawn_articles_are_never_counted(app, client, make, auth):
    admin = make.admin()
    draft = make.article(status="draft")
    article = make.article()
    # An admin of another agency may read the draft: still no count for an unpublished article.
    auth.login(admin)
    client.get(f"/articles/{draft.slug}", headers=READER)
    auth.logout()
    client.get(f"/articles/{article.slug}", headers=READER)
    archive(app, admin, article)  # withdrawn before the batch is written: its tallied view is dropped
    client.get(f"/articles/{article.slug}", headers=READER)
    counter.flush(app)
    assert views_of(app, draft.slug) == 0
    assert views_of(app, article.slug) == 0


def test_a_failed_write_keeps_the_tally_for_the_next_round(app, client, make, monkeypatch):
    article = make.article()
    client.get(f"/articles/{article.slug}", headers=READER)

    def broken(_counts):
        raise RuntimeError("database down")

    tally = counter.tally(app)
    try:
        tally.flush(broken)
    except RuntimeError:
        pass
    counter.flush(app)
    assert views_of(app, article.slug) == 1


def test_two_workers_flushing_the_same_article_and_day_add_up(new_app, make):
    """Each worker's batch is an upsert that adds: none overwrites another's."""
    first, second = new_app(), new_app()
    article = make.article()
    for app, n in ((first, 2), (second, 3)):
        reader = app.test_client()
        for _ in range(n):
            reader.get(f"/articles/{article.slug}", headers=READER)
    counter.flush(first)
    counter.flush(second)
    assert views_of(first, article.slug) == 5


@needs_redis
def test_workers_share_one_tally_in_redis_and_any_of_them_flushes_it(new_app, make, redis_prefix):
    first = new_app(IMPACT_REDIS_URL=REDIS_URL, IMPACT_REDIS_PREFIX=redis_prefix)
    second = new_app(IMPACT_REDIS_URL=REDIS_URL, IMPACT_REDIS_PREFIX=redis_prefix)
    article = make.article()
    first.test_client().get(f"/articles/{article.slug}", headers=READER)
    second.test_client().get(f"/articles/{article.slug}", headers=READER)
    second.test_client().get(f"/articles/{article.slug}", headers={"User-Agent": "Googlebot"})
    assert views_of(first, article.slug) == 0
    assert counter.flush(first) == 2  # one flush writes both workers' views
    assert counter.flush(second) == 0
    assert views_of(first, article.slug) == 2


@needs_redis
def test_a_redis_flush_that_died_before_writing_is_written_by_the_next(new_app, make, redis_prefix):
    import redis

    app = new_app(IMPACT_REDIS_URL=REDIS_URL, IMPACT_REDIS_PREFIX=redis_prefix)
    article = make.article()
    app.test_client().get(f"/articles/{article.slug}", headers=READER)

    def dies(_counts):
        raise RuntimeError("killed mid-flush")

    try:
        counter.tally(app).flush(dies)
    except RuntimeError:
        pass
    assert redis.Redis.from_url(REDIS_URL).exists(redis_prefix + "views:flushing")
    app.test_client().get(f"/articles/{article.slug}", headers=READER)  # a new view meanwhile
    counter.flush(app)  # the left-over batch first
    counter.flush(app)  # then the new one
    assert views_of(app, article.slug) == 2


@needs_redis
def test_the_command_flushes_the_shared_tally(new_app, make, redis_prefix):
    app = new_app(IMPACT_REDIS_URL=REDIS_URL, IMPACT_REDIS_PREFIX=redis_prefix)
    article = make.article()
    app.test_client().get(f"/articles/{article.slug}", headers=READER)
    result = app.test_cli_runner().invoke(args=["impact", "flush"])
    assert result.exit_code == 0, result.output
    assert "Wrote 1 view." in result.output
    assert views_of(app, article.slug) == 1


def test_a_bad_redis_url_stops_the_app_with_one_line(new_app):
    import pytest

    from exchange.config import ConfigError

    with pytest.raises(ConfigError, match="IMPACT_REDIS_URL"):
        new_app(IMPACT_REDIS_URL="http://127.0.0.1:6379")


def test_a_background_flush_writes_without_being_asked(new_app, make):
    import time

    app = new_app(IMPACT_FLUSH_SECONDS=0.2)
    article = make.article()
    app.test_client().get(f"/articles/{article.slug}", headers=READER)
    deadline = time.monotonic() + 10
    try:
        while views_of(app, article.slug) == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert views_of(app, article.slug) == 1
    finally:
        counter.stop(app)
