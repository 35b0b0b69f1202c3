"""Related practices: what the article page and ``GET /api/v1/articles/{slug}/related`` list.

The backend finds the indexed articles most like an article on its key terms, blended with
endorsements as a search is (``SearchBackend.related``). Here they are read back from the
database, so only practices published now are shown whatever the index still holds, never the
article itself; those sharing one of its topics come first, each group in the backend's order.
An article any reader may see (a draft, by its own agency) gets the same list: published
practices only. Each worker keeps the lists it worked out until the data version moves
(for at most PAGE_CACHE_SECONDS, and not at all when the page cache is off).
"""
import logging
import threading
import time

import sqlalchemy as sa
from flask import current_app

from exchange.articles.models import Article
from exchange.db import db
from exchange.lru import SizedLRU
from exchange.pagecache import current_version
from exchange.search.backends import configured
from exchange.search.documents import document_for
from exchange.search.interface import SearchDocument

RELATED = 5  # practices shown
CANDIDATES = 20  # asked of the backend: room for the unpublished and for putting the same topic first
CACHE_ENTRIES = 2000
KEY = "exchange.search.related"
log = logging.getLogger(__name__)


def related_practices(article: Article, limit: int = RELATED) -> list[Article]:
    """Up to ``limit`` published practices like ``article`` (never itself), those sharing a topic first."""
    if not _caching():  # kept only where pages are (no data version read otherwise)
        return _find(article, limit)
    version = current_version(db.session)
    key = (article.id, limit, version)
    ids = _cache().get(key) if version is not None else None
    if ids is not None:
        found = _published(ids)
        return [found[i] for i in ids if i in found]
    practices = _find(article, limit)
    if version is not None:
        _cache().put(key, [practice.id for practice in practices])
    return practices


def related_to_text(title: str, text: str, tags=(), limit: int = RELATED) -> list[Article]:
    """Published practices like a question's words (a challenge's title and problem), those on its topics first."""
    question = SearchDocument(id=0, slug="", title=title, kind="question", summary="", body=text,
                              tags=tuple((tag.slug, tag.name) for tag in tags), agency_slug="", agency_name="",
                              evidence_level=None, stage=None, published_at=None, score=0.0, version="")
    return _ordered(question, {tag.id for tag in tags}, limit)


def _find(article: Article, limit: int) -> list[Article]:
    return _ordered(document_for(article), {tag.id for tag in article.tags}, limit)


def _ordered(document: SearchDocument, topics: set[int], limit: int) -> list[Article]:
    try:
        candidates = configured().backend.related(document, CANDIDATES)
    except (OSError, sa.exc.DBAPIError) as error:  # an article page never fails for its related list
        log.warning("related practices unavailable: %s", error)
        return []
    ids = [article_id for article_id, _ in candidates if article_id != document.id]
    found = _published(ids)
    ordered = [found[i] for i in ids if i in found]
    ordered.sort(key=lambda other: not topics.intersection(tag.id for tag in other.tags))  # stable
    return ordered[:limit]


def _published(ids: list[int]) -> dict[int, Article]:
    """Those of ``ids`` that are published articles now, by id."""
    if not ids:
        return {}
    return {a.id: a for a in db.session.scalars(
        sa.select(Article).where(Article.id.in_(ids), Article.status == "published"))}


class _RelatedCache:
    """Lists by (article id, data version), dropped after PAGE_CACHE_SECONDS; shared by a worker's threads."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.lists = SizedLRU(CACHE_ENTRIES)
        self.lock = threading.Lock()

    def get(self, key) -> list[int] | None:
        with self.lock:
            kept = self.lists.get(key)
        if kept is None or time.monotonic() - kept[0] > self.seconds:
            return None
        return kept[1]

    def put(self, key, ids: list[int]) -> None:
        with self.lock:
            self.lists.put(key, (time.monotonic(), ids), 1)


def _caching() -> bool:
    config = current_app.config
    return float(config["PAGE_CACHE_MB"]) > 0 and float(config["PAGE_CACHE_SECONDS"]) > 0


def _cache() -> _RelatedCache:
    app = current_app
    cache = app.extensions.get(KEY)
    if cache is None:
        cache = app.extensions.setdefault(KEY, _RelatedCache(float(app.config["PAGE_CACHE_SECONDS"])))
    return cache
