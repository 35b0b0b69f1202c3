"""The ranking rules of DESIGN.md section 4: the weight of each endorsement, score and trending.

Support from other domains (an extension point): a domain whose records should count in the score
(e.g. a helpful answer counting like an endorsement) registers a function with ``add_support``:
``add_support("answers", fn)``, where ``fn(article)`` returns a list of ``Support`` (agency id,
base weight, a plural noun for the label). The same rules apply to it (a quarter from the owning
agency, 1/k for the k-th from one agency); the domain calls ``services.recount(article)`` in the
transaction that changes its records, and the score, the labels and the "How ranking works" page
(which lists the registered sources) follow.
"""
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from exchange.articles.models import Article
from exchange.db import db, utcnow
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


@dataclass(frozen=True)
class Support:
    """One unit of support from another domain: which agency gave it and its base weight."""

    agency_id: int
    base_weight: float
    noun: str  # plural, for the label: "helpful answers"


SUPPORT_SOURCES: dict[str, Callable] = {}


def add_support(name: str, source: Callable) -> None:
    """Count ``source(article)`` (a list of ``Support``) in every article's score (see the module doc)."""
    SUPPORT_SOURCES[name] = source


def extra_support(article) -> list[Support]:
    """The support other domains give ``article``."""
    return [item for source in SUPPORT_SOURCES.values() for item in source(article)]


def extra_weights(items: list[Support], owner_agency_id: int, seen: Counter) -> list[float]:
    """The weights of other domains' support, continuing the per-agency count ``seen`` of endorsements."""
    result = []
    for item in items:
        seen[item.agency_id] += 1
        own = OWN_AGENCY_FACTOR if item.agency_id == owner_agency_id else 1.0
        result.append(item.base_weight * own / seen[item.agency_id])
    return result


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


def _days(moment: datetime) -> float:
    return (moment - TREND_EPOCH).total_seconds() / 86400


def trend_weight(weight: float, created_at: datetime) -> float:
    """What one endorsement adds to the trending sum: its weight anchored at its time."""
    return weight * 2.0 ** (_days(created_at) / TREND_HALF_LIFE_DAYS)


def trending_value(trend_sum: float, now: datetime | None = None) -> float:
    """Sum of weights x 0.5^(age in days / 30), from the sum of anchored trend weights."""
    return (trend_sum or 0.0) * 0.5 ** (_days(now or utcnow()) / TREND_HALF_LIFE_DAYS)


def trending_sums(now: datetime | None = None):
    """Per article, the anchored trend weights of its endorsements of the last 180 days from other agencies.

    Reads only the window through the index on ``created_at``. Support from the article's own
    agency counts in its score, never in trending: one member cannot lift their agency's work there.
    """
    since = (now or utcnow()) - timedelta(days=TREND_WINDOW_DAYS)
    owner = sa.select(Article.agency_id).where(Article.id == Endorsement.article_id).scalar_subquery()
    return (
        sa.select(Endorsement.article_id, sa.func.sum(Endorsement.trend_weight).label("trend"))
        .where(Endorsement.created_at >= since, Endorsement.agency_id != owner)
        .group_by(Endorsement.article_id)
        .subquery("trending")
    )


def trending_values(article_ids, now: datetime | None = None) -> dict[int, float]:
    """The trending value of each of these articles (0 for those without recent outside support)."""
    if not article_ids:
        return {}
    trend = trending_sums(now)
    rows = db.session.execute(sa.select(trend.c.article_id, trend.c.trend)
                              .where(trend.c.article_id.in_(list(article_ids))))
    values = {article_id: trending_value(total, now) for article_id, total in rows}
    return {article_id: values.get(article_id, 0.0) for article_id in article_ids}


def outside_support():
    """SQL condition: the article has an endorsement or adoption from an agency other than its own."""
    return sa.exists(sa.select(Endorsement.id).where(Endorsement.article_id == Article.id,
                                                     Endorsement.agency_id != Article.agency_id))


def by_trending(query, recent_only: bool = False, with_value: bool = False):
    """``query`` (a select of articles) ordered by trending, then score and date.

    With ``recent_only``, only articles endorsed in the window; otherwise the rest follow. With
    ``with_value``, each row also carries its trending value (``rank_value``), which the list's
    labels show, so a row says what it is sorted by.
    """
    now = utcnow()
    trend = trending_sums(now)
    condition = trend.c.article_id == Article.id
    query = query.join(trend, condition) if recent_only else query.outerjoin(trend, condition)
    if with_value:
        factor = trending_value(1.0, now)
        query = query.add_columns((sa.func.coalesce(trend.c.trend, 0.0) * factor).label("rank_value"))
    return query.order_by(sa.func.coalesce(trend.c.trend, 0.0).desc(), Article.score.desc(),
                          Article.published_at.desc(), Article.id.desc())


def explain(article, rows=()) -> str:
    """One sentence on why the article ranks where it does: its score and what gives it.

    ``rows``: the article's endorsements (with ``kind``, ``agency_id`` and ``weight``).
    """
    if not article.score:
        return ("It is not endorsed yet: with a score of 0 it comes after every endorsed practice. "
                "An adoption by another agency counts 3, an endorsement 1.")
    outside_adoptions = sum(row.weight for row in rows if row.agency_id != article.agency_id and row.kind == "adopt")
    outside_endorsements = sum(row.weight for row in rows
                               if row.agency_id != article.agency_id and row.kind != "adopt")
    own = sum(row.weight for row in rows if row.agency_id == article.agency_id)
    other = article.score - outside_adoptions - outside_endorsements - own
    parts = []
    if outside_adoptions:
        parts.append(f"adoptions by other agencies give {format_score(outside_adoptions)} (3 each)")
    if outside_endorsements:
        parts.append(f"endorsements by other agencies {format_score(outside_endorsements)} (1 each)")
    if own:
        parts.append(f"its own agency's support {format_score(own)} (a quarter of the usual)")
    if round(other, 4) > 0:
        parts.append(f"other support {format_score(other)}")
    per_agency = Counter(row.agency_id for row in rows)
    repeats = any(n > 1 for n in per_agency.values())
    sentence = f"It ranks there by its score of {format_score(article.score)}: " + ", ".join(parts)
    if repeats:
        sentence += "; a second person from the same agency counts a half, a third a third"
    return sentence + "."


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def support_summary(rows, owner_agency_id: int, extra: list[Support] = ()) -> dict:
    """Who vouched, in the words the labels use; ``rows`` (with ``kind`` and ``agency``) in time order.

    Other agencies that adopted (by name, first first); other agencies that endorsed without adopting;
    how many people from other agencies; the own agency's adoptions and endorsements (counted apart,
    at a quarter); other domains' support by noun. Nothing is counted twice.
    """
    adopted_by: dict[int, str] = {}
    endorsing: set[int] = set()
    outside = own_adoptions = own_endorsements = 0
    for row in rows:
        if row.agency_id == owner_agency_id:
            own_adoptions += row.kind == "adopt"
            own_endorsements += row.kind != "adopt"
            continue
        outside += 1
        if row.kind == "adopt":
            adopted_by.setdefault(row.agency_id, row.agency.name)
        else:
            endorsing.add(row.agency_id)
    extras = Counter(item.noun for item in extra)
    return {"adopted_by": list(adopted_by.values()), "endorsing_agencies": len(endorsing - set(adopted_by)),
            "outside_people": outside, "outside_agencies": len(endorsing | set(adopted_by)),
            "own_adoptions": own_adoptions, "own_endorsements": own_endorsements, "extra": dict(extras)}


def support(article) -> dict:
    """The article's stored support summary (see ``support_summary``)."""
    try:
        return json.loads(article.support_json or "{}")
    except ValueError:
        return {}


def support_label(article) -> str:
    """Who vouched for an article, in plain words, with its score: what every card and list row shows.

    "Adopted by Beta City Council and 2 others; endorsed by 3 agencies · score 12"
    """
    if not (article.score or article.endorsement_count):
        return ""
    said = support(article)
    parts = []
    adopted_by = said.get("adopted_by", [])
    if adopted_by:
        others = len(adopted_by) - 1
        parts.append(f"adopted by {adopted_by[0]}" + (f" and {_plural(others, 'other')}" if others else ""))
    if said.get("endorsing_agencies"):
        parts.append(f"endorsed by {_plural(said['endorsing_agencies'], 'agency', 'agencies')}")
    if said.get("outside_people", 0) > said.get("outside_agencies", 0):
        parts.append(f"{said['outside_people']} people from {_plural(said['outside_agencies'], 'agency', 'agencies')}")
    own = [_plural(n, noun) for n, noun in ((said.get("own_adoptions", 0), "adoption"),
                                             (said.get("own_endorsements", 0), "endorsement")) if n]
    if own:
        parts.append(f"its own agency: {' and '.join(own)} (counting a quarter)")
    for noun, n in sorted(said.get("extra", {}).items()):
        parts.append(f"{n} {noun}")
    if not parts:  # stored before the summary existed: say what the totals say
        parts.append(f"{_plural(article.endorsement_count, 'person', 'people')} from "
                     f"{_plural(article.agency_count, 'agency', 'agencies')}")
    text = "; ".join(parts)
    return f"{text[0].upper()}{text[1:]} · score {format_score(article.score)}"


def format_score(score: float) -> str:
    """A score as people read it: 5.25, 4, 1.33."""
    return f"{round(score or 0.0, 2):g}"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


@dataclass(frozen=True)
class _ExampleRow:
    who: str
    agency: str
    kind: str
    agency_id: int
    days_ago: int


EXAMPLE_ROWS = (  # a practice of Alder County (agency 1), for the worked example on /about/ranking
    _ExampleRow("Bea, Beta City Council", "Beta City Council", "adopt", 2, 30),
    _ExampleRow("Cal, Cedar Health Board", "Cedar Health Board", "endorse", 3, 10),
    _ExampleRow("Cy, Cedar Health Board", "Cedar Health Board", "endorse", 3, 5),
    _ExampleRow("Al, Alder County", "Alder County", "adopt", 1, 1),
)


def worked_example(text_score: float = 10.0) -> dict:
    """The worked example of the "How ranking works" page, computed by the rules themselves."""
    from exchange.search.blend import blend

    rows = list(EXAMPLE_ROWS)
    row_weights = weights(rows, owner_agency_id=1)
    trend = [w * 0.5 ** (row.days_ago / TREND_HALF_LIFE_DAYS) if row.agency_id != 1 else 0.0
             for row, w in zip(rows, row_weights, strict=True)]
    score = sum(row_weights)
    return {"rows": list(zip(rows, row_weights, trend, strict=True)), "score": score, "trending": sum(trend),
            "text_score": text_score, "blended": blend(text_score, score)}
