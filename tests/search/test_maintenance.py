"""``exchange search check`` and ``exchange search reindex``."""
import threading
from pathlib import Path

import pytest

from exchange.articles.models import Article
from exchange.articles.services import archive
from exchange.db import db
from exchange.search.backends import configured
from tests.conftest import Factory
from tests.search.conftest import search


@pytest.fixture
def backend():
    """These tests are about the Whoosh index's own machinery (locks, generations, processes)."""
    return "whoosh"


def _unindexed(new_app):
    """A factory whose changes the index never hears of (search switched off in that app)."""
    return Factory(new_app(SEARCH_BACKEND="null"))


def _lines(result):
    return [line for line in result.output.splitlines() if line.strip()]


def test_check_is_clean_when_the_index_matches(runner, publish):
    publish(title="Indexed practice", body="Words.")
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 0, result.output
    assert "matches the database: 1 published articles" in result.output


def test_check_reports_an_article_missing_from_the_index(runner, publish, new_app):
    publish(title="Indexed practice", body="Words.")
    _unindexed(new_app).article(title="Never indexed", body="Words.")
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1
    assert "missing  never-indexed" in result.output and "indexed-practice" not in result.output


def test_check_reports_stale_and_extra_entries(app, runner, publish, new_app):
    edited = publish(title="Edited elsewhere", body="Words.")
    archived = publish(title="Archived elsewhere", body="Words.")
    quiet = new_app(SEARCH_BACKEND="null")
    with quiet.app_context():
        db.session.get(Article, edited.id).score = 3.0
        db.session.commit()
        article = db.session.get(Article, archived.id)
        archive(article.author, article)
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1
    assert "stale    edited-elsewhere" in result.output
    assert "extra    archived-elsewhere" in result.output


def test_check_first_applies_changes_left_waiting(new_app):
    app = new_app(SEARCH_BACKEND="whoosh", SEARCH_WRITE_TIMEOUT=0.1)
    make = Factory(app)
    make.article(title="First", body="Words.")
    with app.app_context():
        with configured().backend.writer(timeout=5):
            make.article(title="Waiting", body="Words.")
    result = app.test_cli_runner().invoke(args=["search", "check"])
    assert result.exit_code == 0, result.output
    assert "Applied 1 waiting index change." in result.output


def test_reindex_repairs_drift(client, runner, publish, new_app):
    publish(title="Indexed practice", body="Words.")
    _unindexed(new_app).article(title="Never indexed", body="Hidden words.")
    assert search(client, q="hidden")["total"] == 0
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "Rebuilt the search index: 2 published articles." in result.output
    assert search(client, q="hidden")["total"] == 1
    assert runner.invoke(args=["search", "check"]).exit_code == 0


def test_reindex_if_needed_only_builds_when_needed(runner, publish, new_app, app):
    publish(title="Indexed practice", body="Words.")
    result = runner.invoke(args=["search", "reindex", "--if-needed"])
    assert result.exit_code == 0 and "up to date" in result.output
    _unindexed(new_app).article(title="Never indexed", body="Words.")
    result = runner.invoke(args=["search", "reindex", "--if-needed"])
    assert result.exit_code == 0 and "Rebuilt the search index: 2" in result.output


def test_reindex_if_needed_builds_a_missing_index(new_app, tmp_path):
    _unindexed(new_app).article(title="Loaded before search", body="Words.")
    app = new_app(SEARCH_BACKEND="whoosh", SEARCH_INDEX=str(tmp_path / "fresh"))
    result = app.test_cli_runner().invoke(args=["search", "reindex", "--if-needed"])
    assert result.exit_code == 0 and "Rebuilt the search index: 1" in result.output
    assert search(app.test_client(), q="loaded")["total"] == 1


def test_reindex_keeps_only_the_live_and_the_previous_index(app, runner, publish):
    publish(title="Indexed practice", body="Words.")
    for _ in range(3):
        assert runner.invoke(args=["search", "reindex"]).exit_code == 0
    generations = [p for p in Path(app.config["SEARCH_INDEX"]).iterdir() if p.is_dir() and p.name.startswith("gen-")]
    assert len(generations) == 2


def test_searches_never_fail_while_reindexing(app, runner, publish):
    for n in range(12):
        publish(title=f"Reading room {n}", body="Quiet study spaces.")
    failures, answers, done = [], [], threading.Event()

    def keep_searching():
        client = app.test_client()
        while not done.is_set():
            response = client.get("/api/v1/search?q=study&per_page=50")
            if response.status_code != 200 or response.get_json()["total"] != 12:
                failures.append((response.status_code, response.get_data(as_text=True)[:200]))
            answers.append(response.status_code)

    searchers = [threading.Thread(target=keep_searching) for _ in range(3)]
    for thread in searchers:
        thread.start()
    try:
        for _ in range(4):
            result = runner.invoke(args=["search", "reindex"])
            assert result.exit_code == 0, result.output
    finally:
        done.set()
        for thread in searchers:
            thread.join()
    assert failures == []
    assert len(answers) > 4


def test_writes_during_a_reindex_are_not_lost(app, client, runner, publish, monkeypatch):
    publish(title="Before the rebuild", body="Words.")
    from exchange.search import maintenance

    original = maintenance.all_published

    def published_then_a_write(engine):
        documents = list(original(engine))
        publish(title="During the rebuild", body="Late words.")  # committed after the build read its batch
        return documents

    monkeypatch.setattr(maintenance, "all_published", published_then_a_write)
    monkeypatch.setattr(maintenance, "published_count", lambda app=None: 1)
    assert runner.invoke(args=["search", "reindex"]).exit_code == 0
    assert search(client, q="late")["total"] == 1
    assert runner.invoke(args=["search", "check"]).exit_code == 0


def test_search_commands_refuse_with_one_line_when_search_is_off(new_app):
    runner = new_app(SEARCH_BACKEND="null").test_cli_runner()
    for args in (["search", "check"], ["search", "reindex"]):
        result = runner.invoke(args=args)
        assert result.exit_code != 0 and "Traceback" not in result.output
        assert _lines(result) == ["Error: Search is switched off (SEARCH_BACKEND=null): there is no index."]


def test_search_commands_refuse_with_one_line_when_the_index_is_busy(new_app):
    app = new_app(SEARCH_BACKEND="whoosh", SEARCH_WRITE_TIMEOUT=0.1)
    Factory(new_app(SEARCH_BACKEND="null")).article(title="Waiting", body="Words.")
    with app.app_context():
        configured().backend.store.ensure(1)
        from exchange.search.models import SearchPending

        db.session.add(SearchPending(article_id=1))
        db.session.commit()
        with configured().backend.writer(timeout=5):
            result = app.test_cli_runner().invoke(args=["search", "check"])
    assert result.exit_code != 0 and len(_lines(result)) == 1
    assert "busy" in result.output


def test_search_commands_refuse_with_one_line_when_the_index_cannot_be_written(new_app, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the index should be")
    runner = new_app(SEARCH_BACKEND="whoosh", SEARCH_INDEX=str(blocker / "index")).test_cli_runner()
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert len(_lines(result)) == 1 and "search index" in result.output


def test_unknown_options_get_one_line(runner):
    result = runner.invoke(args=["search", "reindex", "--everything"])
    assert result.exit_code != 0 and "no such option" in result.output.lower()


def test_index_ready_says_whether_search_can_answer(app, publish, new_app, tmp_path):
    from exchange.search import index_ready

    with new_app(SEARCH_BACKEND="whoosh", SEARCH_INDEX=str(tmp_path / "nothing-yet")).app_context():
        assert not index_ready()
    publish(title="Indexed practice", body="Words.")
    with app.app_context():
        assert index_ready()


def test_a_reindex_takes_what_it_covers_off_the_queue(new_app, monkeypatch):
    """Changes queued before a rebuild are in the new index: they are not applied a second time."""
    from exchange.search import indexing, maintenance

    app = new_app(SEARCH_BACKEND="whoosh", SEARCH_WRITE_TIMEOUT=0.1)
    make = Factory(app)
    make.article(title="First", body="Words.")
    with app.app_context():
        with configured().backend.writer(timeout=5):  # the index is busy: these stay queued
            for n in range(3):
                make.article(title=f"Queued {n}", body="Words.")
        assert indexing.pending_count() == 3
        left = []
        applying = indexing.apply_pending
        monkeypatch.setattr(indexing, "apply_pending", lambda app=None: left.append(indexing.pending_count())
                            or applying(app))
        assert maintenance.reindex() == 4
        assert left == [0] and indexing.pending_count() == 0
