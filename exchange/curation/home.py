"""The home page's sections: featured, trending, top, newest, topics; a fixed number of queries."""
import sqlalchemy as sa

from exchange.articles.models import Article, Tag
from exchange.articles.queries import CARD_ONLY, SORTS, published, tags_with_counts
from exchange.curation import services
from exchange.db import db
from exchange.endorsements import ranking
from exchange.endorsements.models import Endorsement
from exchange.pagecache import versioned

PER_SECTION = 6
TOPICS = 30


def front_page(per_section: int = PER_SECTION, shown: set[int] | None = None) -> dict:
    """Each section of the home page; a practice appears only in the first section that has it.

    ``shown``: practices already higher on the page (a member's own and followed ones), left out here.
    """
    shown = set() if shown is None else set(shown)
    # a challenge may be featured too (no article id)
    features = [feature for feature in services.active_features()
                if feature.article_id is None or feature.article_id not in shown]
    shown.update(f.article_id for f in features if f.article_id is not None)
    trending = _first(ranking.by_trending(published(), recent_only=True), shown, per_section)
    # "What other agencies vouch for": a practice only its own agency supports is not listed here.
    top = _first(published().where(Article.score > 0, ranking.outside_support()).order_by(*SORTS["top"]),
                 shown, per_section)
    newest = _first(published().order_by(*SORTS["new"]), shown, per_section)
    return {"features": features, "trending": trending, "trend_values": ranking.trending_values(
                [article.id for article in trending]),
            "top": top, "newest": newest, "topics": popular_topics(), "stats": stats()}


def _first(query, shown: set, limit: int) -> list[Article]:
    """The first ``limit`` articles of ``query`` not already shown; adds them to ``shown``."""
    if shown:
        query = query.where(Article.id.not_in(shown))
    articles = list(db.session.scalars(query.options(*CARD_ONLY).limit(limit)).unique())
    shown.update(article.id for article in articles)
    return articles


def popular_topics(limit: int = TOPICS) -> list[tuple[Tag, int]]:
    """The topics with the most published practices, with their counts (the counts are kept per data version:
    ``tags_with_counts``)."""
    return tags_with_counts(None)[:limit]


def stats() -> dict:
    """How much there is: published practices, agencies that published, endorsements and adoptions of
    published practices (each counted once: an adoption is not also an endorsement). Counted once per
    data version in a worker."""
    return dict(versioned("home-stats", None, _count))


def _count() -> tuple:
    row = db.session.execute(sa.select(
        sa.select(sa.func.count()).select_from(Article).where(Article.status == "published")
        .scalar_subquery().label("practices"),
        sa.select(sa.func.count(sa.distinct(Article.agency_id))).where(Article.status == "published")
        .scalar_subquery().label("agencies"),
        _supports("endorse").label("endorsements"),
        _supports("adopt").label("adoptions"),
    )).one()
    return tuple(row._mapping.items())


def _supports(kind: str):
    return (sa.select(sa.func.count()).select_from(Endorsement)
            .join(Article, sa.and_(Article.id == Endorsement.article_id, Article.status == "published"))
            .where(Endorsement.kind == kind).scalar_subquery())
