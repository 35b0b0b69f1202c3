"""The index follows every committed change, from any number of processes, and loses none."""
import json
import signal
import subprocess
import sys

import pytest
import sqlalchemy as sa

from exchange.articles.models import Article, Tag
from exchange.config import ROOT
from exchange.db import db
from exchange.search.backends import configured
from exchange.search.indexing import pending_count
from tests.conftest import Factory
from tests.search.conftest import search, slugs


@pytest.fixture
def backend():
    """These tests are about the Whoosh index's own machinery (locks, generations, processes)."""
    return "whoosh"


def _writer(config, author, prefix, count, mode=""):
    """Start a separate process that publishes ``count`` articles through its own app."""
    settings = json.dumps({**config, "SEARCH_BACKEND": "whoosh"})
    return subprocess.Popen([sys.executable, "-m", "tests.search.writer_process", settings, str(author.id),
                             prefix, str(count), mode], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def test_four_processes_writing_at_once_lose_nothing(config, client, make, runner):
    author = make.user()
    writers = [_writer(config, author, prefix, 25) for prefix in ("alpha", "bravo", "charlie", "delta")]
    for process in writers:
        output, _ = process.communicate(timeout=240)
        assert process.returncode == 0, output.decode()
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 0, result.output
    assert "100 published articles" in result.output
    answer = search(client, q="parallel", per_page=100)
    assert answer["total"] == 100
    for prefix in ("alpha", "bravo", "charlie", "delta"):
        assert search(client, q=prefix)["total"] == 25


def test_a_writer_killed_mid_update_is_finished_by_the_next_write(config, app, client, make, publish):
    author = make.user()
    killed = _writer(config, author, "interrupted", 1, mode="die")
    killed.communicate(timeout=120)
    assert killed.returncode == -signal.SIGKILL
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).where(Article.title == "interrupted practice 0")) == 1
    with app.app_context():
        assert pending_count() == 1
    assert search(client, q="interrupted")["total"] == 0  # committed, but not yet in the index

    publish(title="The next write", body="Anything at all.")
    assert slugs(search(client, q="interrupted")) == ["interrupted-practice-0"]
    with app.app_context():
        assert pending_count() == 0


def test_a_change_made_while_the_index_is_busy_is_applied_by_the_next_write(new_app):
    app = new_app(SEARCH_BACKEND="whoosh", SEARCH_WRITE_TIMEOUT=0.1)
    make, client = Factory(app), app.test_client()
    make.article(title="Before anything", body="Warm up.")
    with app.app_context():
        with configured().backend.writer(timeout=5):  # another process holds the index
            make.article(title="Written while busy", body="Queued words.")
    assert search(client, q="queued")["total"] == 0
    make.article(title="Written later", body="More words.")
    assert search(client, q="queued")["total"] == 1


def test_a_bulk_update_statement_is_indexed(app, client, publish):
    first = publish(title="Bulk one", body="Bins.")
    second = publish(title="Bulk two", body="Bins.")
    with app.app_context():
        db.session.execute(sa.update(Article).where(Article.id == first.id).values(score=7.0))
        db.session.commit()
    answer = search(client, q="bins", sort="top")
    assert slugs(answer) == [first.slug, second.slug] and answer["results"][0]["score"] == 7.0


def test_renaming_a_topic_reindexes_its_articles(app, client, publish):
    article = publish(title="Crowd ideas", body="Ideas.", tags=["Crowdsourcing"])
    with app.app_context():
        db.session.scalar(sa.select(Tag).where(Tag.slug == "crowdsourcing")).name = "Open innovation"
        db.session.commit()
    answer = search(client, q="innovation")
    assert slugs(answer) == [article.slug]
    assert answer["results"][0]["tags"] == ["Open innovation"]


def test_a_rolled_back_change_queues_nothing(app, publish):
    article = publish(title="Steady", body="Unchanged.")
    with app.app_context():
        db.session.get(Article, article.id).title = "Changed then rolled back"
        db.session.flush()
        db.session.rollback()
        assert pending_count() == 0


def test_a_search_request_sweeps_up_changes_left_waiting(new_app):
    app = new_app(SEARCH_BACKEND="whoosh", SEARCH_WRITE_TIMEOUT=0.1, SEARCH_SWEEP_SECONDS=0)
    make, client = Factory(app), app.test_client()
    with app.app_context():
        with configured().backend.writer(timeout=5):
            make.article(title="Left waiting", body="Swept words.")
    assert search(client, q="swept")["total"] == 1


def test_bulk_work_is_indexed_once_at_the_end(app, client, make):
    from exchange import search as search_package
    from exchange.articles.services import create_article

    author = make.user()
    with app.app_context():
        from exchange.accounts.services import get_user

        writer = get_user(author.id)
        with search_package.deferred(db.session):
            for n in range(3):
                create_article(writer, {"title": f"Loaded practice {n}", "kind": "playbook", "summary": "Loaded.",
                                        "body": "Bulk words.", "status": "published"})
            assert pending_count() == 3  # queued durably, not yet applied
    assert search(client, q="bulk")["total"] == 3


def test_large_bulk_work_is_indexed_by_a_rebuild(app, client, make, monkeypatch):
    from exchange import search as search_package
    from exchange.articles.services import create_article
    from exchange.search import indexing

    monkeypatch.setattr(indexing, "REBUILD_FROM", 2)
    author = make.user()
    with app.app_context():
        from exchange.accounts.services import get_user

        writer = get_user(author.id)
        with search_package.deferred(db.session):
            for n in range(3):
                create_article(writer, {"title": f"Loaded practice {n}", "kind": "playbook", "summary": "Loaded.",
                                        "body": "Bulk words.", "status": "published"})
        assert pending_count() == 0
    assert search(client, q="bulk")["total"] == 3
