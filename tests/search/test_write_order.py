"""PostgreSQL index writes are ordered: one read before a change never replaces one read after it.

Several servers write ``search_documents`` at once, each after reading the articles in another
transaction. Every write carries the data version read before its articles, and a write older
than what the index holds for an article (indexed or removed) is refused.
"""
from dataclasses import replace

import pytest
import sqlalchemy as sa

from exchange.articles.models import Article
from exchange.db import db
from exchange.search import indexing, maintenance
from exchange.search.backends import configured
from exchange.search.documents import published_documents, read_version
from tests.conftest import POSTGRES_URL

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="the PostgreSQL backend: runs in the PostgreSQL suite")


@pytest.fixture
def backend():
    return "postgres"


def _indexed(article_id):
    return db.session.execute(sa.text("SELECT * FROM search_documents WHERE article_id = :id"),
                              {"id": article_id}).one_or_none()


def _document(article_id):
    with db.session.no_autoflush:
        return published_documents(db.session, [article_id])[0]


def test_an_older_write_never_replaces_a_newer_one(app, make):
    article = make.article(title="Ferry timetables")
    with app.app_context():
        document = _document(article.id)
        now = read_version(db.session)
        older, newer = replace(document, score=1.0, seq=now + 1), replace(document, score=2.0, seq=now + 2)
        with configured().backend.writer(5) as writer:
            writer.update([newer])
        with configured().backend.writer(5) as writer:
            writer.update([older])
        assert (_indexed(article.id).score, _indexed(article.id).seq) == (2.0, now + 2)
        with configured().backend.writer(5) as writer:
            writer.update([replace(newer, score=3.0)])  # the same version: the same state, may be written again
        assert (_indexed(article.id).score, _indexed(article.id).seq) == (3.0, now + 2)


def test_an_older_removal_never_removes_a_newer_entry(app, make):
    article = make.article(title="Ferry timetables")
    with app.app_context():
        now = read_version(db.session)
        with configured().backend.writer(5) as writer:
            writer.update([replace(_document(article.id), seq=now + 2)])
        with configured().backend.writer(5) as writer:
            writer.remove([article.id], now + 1)
        assert _indexed(article.id) is not None
        with configured().backend.writer(5) as writer:
            writer.remove([article.id], now + 3)
        assert _indexed(article.id) is None


def test_an_older_write_never_brings_back_a_removed_entry(app, make):
    article = make.article(title="Ferry timetables")
    with app.app_context():
        document, now = _document(article.id), read_version(db.session)
        with configured().backend.writer(5) as writer:
            writer.remove([article.id], now + 2)
        with configured().backend.writer(5) as writer:
            writer.update([replace(document, seq=now + 1)])
        assert _indexed(article.id) is None


def test_a_write_read_before_a_change_and_made_after_the_changes_own_is_refused(app, make, monkeypatch):
    """Server A reads the article; server B changes it and indexes the change; then A writes."""
    article = make.article(title="Ferry timetables")
    read = indexing.published_documents
    changed = []

    def read_then_another_server_changes_it(session, ids, *seq):
        documents = read(session, ids, *seq)
        if not changed:
            changed.append(True)
            with app.app_context():  # B: its own transaction; its commit applies the queue at once
                db.session.execute(sa.update(Article).where(Article.id == article.id).values(score=7.0))
                db.session.commit()
        return documents

    with app.app_context():
        indexing.queue_repairs([article.id])
        monkeypatch.setattr(indexing, "published_documents", read_then_another_server_changes_it)
        indexing.apply_pending()  # A
        assert changed and _indexed(article.id).score == 7.0
        assert indexing.pending_count() == 0
        assert maintenance.check()[1].clean
