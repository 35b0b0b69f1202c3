"""The ranking rules of DESIGN.md section 4: the weight of each endorsement, score and trending."""
from collections import Counter
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from exchange.articles.models import Article
from exchange.db import utcnow
from exchange.endorsements.models import Endorsement

BASE_WEIGHT = {"endorse": 1.0, "adopt": 3.0}
OWN_AGENCY_FACTOR = 0.25
TREND_WINDOW_DAYS = 180
TREND_HALF_LIFE_DAYS = 30
# Trending decays every weight by 0.5^(age / half-life). Since
# 0.5^((now - t) / h) = 0.5^(now / h) * 2^(t / h), each row keeps weight * 2^(t / h)
# counted from this epoch, and a plain SUM over the window, times 0.5^(now / h),
# is the trending value: no date arithmetic or power() in SQL, on any database.
# A float holds 2^(days / 30) until about 2108.
TREND_EPOCH = datetime(2025, 1, 1, tzinfo=UTC)


def weights(rows, owner_agency_id: int) -> list[float]:
    """The weight of each endorsement; ``rows`` (with ``kind`` and ``agency_id``) in time order.

    Base 1 for an endorsement, 3 for an adoption; a quarter when the endorser's agency
    owns the article; divided by k for the k-th endorsement from the same agency.
    """
    seen = Counter()
    result = []
    for row in rows:
        seen[row.agency_id] += 1
        own = OWN_AGENCY_FACTOR if row.agency_id == owner_agency_id else 1.0
        result.append(BASE_WEIGHT[row.kind] * own / seen[row.agency_id])
    return result


SCORE_SOURCES = "exchange.score_sources"  # app.extensions: what other domains add to a practice's score


def add_score_source(app, source) -> None:
    """Let a domain above add to every practice's score: ``source(article_id)`` returns the weight it adds.

    (Challenges: each answer marked "this helped us" counts as one endorsement.)
    """
    app.extensions.setdefault(SCORE_SOURCES, []).append(source)


def extra_score(article_id: int) -> float:
    """The sum of what other domains add to the practice's score."""
    return sum(source(article_id) for source in current_app.extensions.get(SCORE_SOURCES, ()))


def _days(moment: datetime) -> float:
    return (moment - TREND_EPOCH).total_seconds() / 86400


def trend_weight(weight: float, created_at: datetime) -> float:
    """What one endorsement adds to the trending sum: its weight anchored at its time."""
    return weight * 2.0 ** (_days(created_at) / TREND_HALF_LIFE_DAYS)


def trending_value(trend_sum: float, now: datetime | None = None) -> float:
    """Sum of weights x 0.5^(age in days / 30), from the sum of anchored trend weights."""
    return (trend_sum or 0.0) * 0.5 ** (_days(now or utcnow()) / TREND_HALF_LIFE_DAYS)


def trending_sums(now: datetime | None = None):
    """Per article, the anchored trend weights of its endorsements of the last 180 days.

    Reads only the window through the index on ``created_at``.
    """
    since = (now or utcnow()) - timedelta(days=TREND_WINDOW_DAYS)
    return (
        sa.select(Endorsement.article_id, sa.func.sum(Endorsement.trend_weight).label("trend"))
        .where(Endorsement.created_at >= since)
        .group_by(Endorsement.article_id)
        .subquery("trending")
    )


def by_trending(query, recent_only: bool = False):
    """``query`` (a select of articles) ordered by trending, then score and date.

    With ``recent_only``, only articles endorsed in the window; otherwise the rest follow.
    """
    trend = trending_sums()
    condition = trend.c.article_id == Article.id
    query = query.join(trend, condition) if recent_only else query.outerjoin(trend, condition)
    return query.order_by(sa.func.coalesce(trend.c.trend, 0.0).desc(), Article.score.desc(),
                          Article.published_at.desc(), Article.id.desc())


def explain(article, own_agency_count: int = 0, repeat_count: int = 0) -> str:
    """One sentence on why the article ranks where it does."""
    if not article.endorsement_count:
        return ("Not endorsed yet: with a score of 0 it ranks after endorsed practices. "
                "An endorsement counts 1, an adoption 3.")
    endorsements = article.endorsement_count - article.adoption_count
    parts = []
    if article.adoption_count:
        parts.append(_plural(article.adoption_count, "adoption"))
    if endorsements:
        parts.append(_plural(endorsements, "endorsement"))
    sentence = (f"Ranked by a score of {format_score(article.score)}: {' and '.join(parts)} from "
                f"{_plural(article.agency_count, 'agency', 'agencies')}; an adoption counts 3 and an endorsement 1")
    if own_agency_count:
        sentence += ", those from its own agency a quarter"
    if repeat_count:
        sentence += ", and each further one from the same agency counts less (a half, a third, …)"
    return sentence + "."


def format_score(score: float) -> str:
    """A score as people read it: 5.25, 4, 1.33."""
    return f"{round(score or 0.0, 2):g}"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"
