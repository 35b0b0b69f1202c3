"""Helpers for the impact tests: reading like a person's browser, counting, endorsing."""
import os
import uuid

import pytest
import sqlalchemy as sa

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
READER = {"User-Agent": BROWSER}
REDIS_URL = os.environ.get("EXCHANGE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except Exception:  # noqa: BLE001 - any failure means there is no Redis to test with
        return False


needs_redis = pytest.mark.skipif(not redis_up() and not os.environ.get("CI"),
                                 reason="no Redis on 127.0.0.1:6379 (CI always has one)")


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own in the real Redis, removed afterwards."""
    import redis

    prefix = f"exchange-test:{uuid.uuid4().hex}:"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(prefix + "*"):
        client.delete(key)


def views_of(app, slug: str) -> int:
    """The views written to the database for the article at ``slug``."""
    from exchange.articles.models import Article
    from exchange.db import db
    from exchange.impact.models import ArticleView

    with app.app_context():
        return db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(ArticleView.views), 0))
                                 .join(Article, Article.id == ArticleView.article_id).where(Article.slug == slug))


def endorse(app, user, article, kind="adopt", note=""):
    from exchange.accounts.services import get_user
    from exchange.articles.services import get_article
    from exchange.endorsements.services import endorse as endorse_

    with app.app_context():
        endorse_(get_user(user.id), get_article(get_user(user.id), article.slug), kind, note)


def archive(app, admin, article):
    from exchange.accounts.services import get_user
    from exchange.articles.services import archive as archive_
    from exchange.articles.services import get_article

    with app.app_context():
        archive_(get_user(admin.id), get_article(get_user(admin.id), article.slug), "Out of date.")
