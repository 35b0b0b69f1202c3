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

import sqlalchemy as sa

from exchange.articles.models import Article
from exchange.articles.queries import CARD_ONLY
from exchange.db import db
from exchange.pagecache import versioned
from exchange.search.backends import configured
from exchange.search.documents import document_for
from exchange.search.interface import SearchDocument

RELATED = 5  # practices shown
CANDIDATES = 20  # asked of the backend: room for the unpublished and for putting the same topic first
log = logging.getLogger(__name__)


def related_practices(article: Article, limit: int = RELATED) -> list[Article]:
    """Up to ``limit`` published practices like ``article`` (never itself), those sharing a topic first."""
    found_now: list[Article] = []

    def find() -> tuple[int, ...]:
        found_now.extend(_find(article, limit))
        return tuple(practice.id for practice in found_now)
    ids = versioned("related", (article.id, limit), find)
    if found_now:  # worked out by this request: the rows are loaded already
        return found_now
    found = _published(list(ids))
    return [found[i] for i in ids if i in found]


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
        sa.select(Article).where(Article.id.in_(ids), Article.status == "published").options(*CARD_ONLY))}

