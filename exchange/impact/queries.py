"""What the impact pages count, each in a fixed number of queries whatever the data size.

The rules, everywhere:
- Only **published** practices count: a draft or a withdrawn practice is in no count, list or chart.
- **Impact is what other agencies did**: an endorsement or adoption counts when the endorser's agency
  (``Endorsement.agency_id``, their agency when they endorsed) is not the practice's own agency.
- Views come from ``article_views``, which only ever holds published articles' views
  (impact/counter.py), and are shown only to the owning agency and admins.

Adoption stories (``adopted_on``, ``adoption_status``, ``outcome`` on endorsements, and
``based_on_id`` on articles) are being added alongside: ``adoptions_of`` is where they will be read
(one more column each in its select), and ``Adoption`` where they will be carried to the pages.
"""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from exchange.accounts.models import Agency
from exchange.articles.models import Article
from exchange.db import db
from exchange.endorsements.models import Endorsement
from exchange.impact.models import ArticleView

OWN = aliased(Agency)  # the practice's agency, beside the endorser's
ACROSS = sa.and_(Endorsement.article_id == Article.id, Endorsement.agency_id != Article.agency_id,
                 Article.status == "published")


@dataclass(frozen=True)
class Adoption:
    article: Article
    agency: Agency  # the agency that adopted it
    note: str
    created_at: datetime


@dataclass(frozen=True)
class Tally:
    """An agency (or an article) with a number."""

    subject: object
    count: int


def month_start(today: date) -> date:
    return today.replace(day=1)


def views_by_article(article_ids: list[int], since: date) -> dict[int, tuple[int, int]]:
    """For each article: (views since ``since``, views in total)."""
    if not article_ids:
        return {}
    recent = sa.func.sum(sa.case((ArticleView.day >= since, ArticleView.views), else_=0))
    rows = db.session.execute(sa.select(ArticleView.article_id, recent, sa.func.sum(ArticleView.views))
                              .where(ArticleView.article_id.in_(article_ids)).group_by(ArticleView.article_id))
    return {article_id: (int(month or 0), int(total or 0)) for article_id, month, total in rows}


def support_by_article(article_ids: list[int], since: datetime) -> dict[tuple[int, str], tuple[int, int]]:
    """For each (article, kind): other agencies' (endorsements since ``since``, in total)."""
    if not article_ids:
        return {}
    recent = sa.func.sum(sa.case((Endorsement.created_at >= since, 1), else_=0))
    rows = db.session.execute(
        sa.select(Endorsement.article_id, Endorsement.kind, recent, sa.func.count())
        .join(Article, ACROSS).where(Endorsement.article_id.in_(article_ids))
        .group_by(Endorsement.article_id, Endorsement.kind))
    return {(article_id, kind): (int(month or 0), int(total)) for article_id, kind, month, total in rows}


def daily_views(since: date, article_id: int | None = None, agency_id: int | None = None) -> dict[date, int]:
    """Views per day since ``since``, of one article or of all an agency's published practices."""
    query = sa.select(ArticleView.day, sa.func.sum(ArticleView.views)).where(ArticleView.day >= since)
    if article_id is not None:
        query = query.where(ArticleView.article_id == article_id)
    if agency_id is not None:
        query = query.join(Article, Article.id == ArticleView.article_id).where(
            Article.agency_id == agency_id, Article.status == "published")
    return {day: int(n) for day, n in db.session.execute(query.group_by(ArticleView.day))}


def adoptions_of(where, limit: int | None = 20) -> list[Adoption]:
    """Other agencies' adoptions of published practices matching ``where``, newest first.

    When adoption stories land, add ``Endorsement.adopted_on, Endorsement.adoption_status,
    Endorsement.outcome`` to this select and to ``Adoption``.
    """
    query = (sa.select(Endorsement.note, Endorsement.created_at, Article, Agency)
             .join(Article, ACROSS).join(Agency, Agency.id == Endorsement.agency_id)
             .where(Endorsement.kind == "adopt", where)
             .order_by(Endorsement.created_at.desc(), Endorsement.id.desc()))
    if limit:
        query = query.limit(limit)
    return [Adoption(article, agency, note, created) for note, created, article, agency in db.session.execute(query)]


def agency_totals(agency_id: int) -> dict:
    """Practices shared, endorsements and adoptions received from and given to other agencies."""
    def across(kind, column):
        return (sa.select(sa.func.count()).select_from(Endorsement).join(Article, ACROSS)
                .where(Endorsement.kind == kind, column == agency_id).scalar_subquery())
    row = db.session.execute(sa.select(
        sa.select(sa.func.count()).select_from(Article)
        .where(Article.agency_id == agency_id, Article.status == "published").scalar_subquery().label("practices"),
        across("endorse", Article.agency_id).label("endorsements_received"),
        across("adopt", Article.agency_id).label("adoptions_received"),
        across("endorse", Endorsement.agency_id).label("endorsements_given"),
        across("adopt", Endorsement.agency_id).label("adoptions_given"),
    )).one()
    return {key: int(value or 0) for key, value in row._mapping.items()}


def partners(agency_id: int, taught: bool) -> list[Tally]:
    """The agencies that adopted this agency's practices (``taught``), or whose practices it adopted."""
    other, here = (Endorsement.agency_id, Article.agency_id) if taught else (Article.agency_id, Endorsement.agency_id)
    count = sa.func.count()
    rows = db.session.execute(
        sa.select(Agency, count).select_from(Endorsement).join(Article, ACROSS).join(Agency, Agency.id == other)
        .where(Endorsement.kind == "adopt", here == agency_id)
        .group_by(Agency.id).order_by(count.desc(), Agency.name))
    return [Tally(agency, int(n)) for agency, n in rows]


def agency_practices(agency_id: int, limit: int = 50) -> list[Article]:
    """The agency's published practices, most adopted first."""
    return list(db.session.scalars(
        sa.select(Article).where(Article.agency_id == agency_id, Article.status == "published")
        .order_by(Article.adoption_count.desc(), Article.endorsement_count.desc(), Article.published_at.desc())
        .limit(limit)))


def most_adopted(limit: int = 10) -> list[Tally]:
    """Published practices by how many other agencies adopted them."""
    agencies = sa.func.count(sa.distinct(Endorsement.agency_id))
    rows = db.session.execute(
        sa.select(Article, agencies).select_from(Endorsement).join(Article, ACROSS)
        .where(Endorsement.kind == "adopt").group_by(Article.id)
        .order_by(agencies.desc(), Article.published_at.desc()).limit(limit))
    return [Tally(article, int(n)) for article, n in rows]


def agencies_by_adoptions(gave: bool, limit: int = 10) -> list[Tally]:
    """Agencies whose practices others adopted most (``gave``), or that adopted others' most."""
    column = Article.agency_id if gave else Endorsement.agency_id
    count = sa.func.count()
    rows = db.session.execute(
        sa.select(Agency, count).select_from(Endorsement).join(Article, ACROSS).join(Agency, Agency.id == column)
        .where(Endorsement.kind == "adopt").group_by(Agency.id).order_by(count.desc(), Agency.name).limit(limit))
    return [Tally(agency, int(n)) for agency, n in rows]


def adoption_times(since: datetime) -> list[datetime]:
    """When each adoption between agencies since ``since`` was recorded (for counting by month)."""
    return list(db.session.scalars(
        sa.select(Endorsement.created_at).join(Article, ACROSS)
        .where(Endorsement.kind == "adopt", Endorsement.created_at >= since)))


def all_adoptions() -> list[tuple]:
    """Every adoption between agencies, oldest first: (when, practice, its agency, the adopting agency)."""
    return list(db.session.execute(
        sa.select(Endorsement.created_at, Article.slug, Article.title, OWN.name, Agency.name)
        .join(Article, ACROSS).join(OWN, OWN.id == Article.agency_id).join(Agency, Agency.id == Endorsement.agency_id)
        .where(Endorsement.kind == "adopt").order_by(Endorsement.created_at, Endorsement.id)))


def days_back(today: date, days: int) -> list[date]:
    return [today - timedelta(days=days - 1 - i) for i in range(days)]
