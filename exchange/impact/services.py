"""The impact of sharing made visible: a dashboard per person, an impact page per agency and one for the site.

Plain functions taking the ``actor``; what counts and what does not is in ``queries``.
"""
import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from exchange.accounts.models import Agency
from exchange.accounts.services import get_agency
from exchange.articles.models import Article, Tag, article_tags
from exchange.articles.queries import my_drafts
from exchange.challenges.services import helped_given
from exchange.db import db
from exchange.impact import charts, queries
from exchange.permissions import Actor, of_agency, require_admin, require_member, signed_in
from exchange.search import analytics

REACH_DAYS = 90
MONTHS = 12
SEARCH_DAYS = 30


@dataclass(frozen=True)
class Practice:
    """One of my practices with what happened to it this month and in total."""

    article: Article
    views_month: int = 0
    views_total: int = 0
    endorsements_month: int = 0
    endorsements_total: int = 0
    adoptions_month: int = 0
    adoptions_total: int = 0


@dataclass(frozen=True)
class Unmet:
    """A search nobody's practice answered, in one of my topics: how often this month."""

    query: str
    searches: int


@dataclass
class Dashboard:
    practices: list[Practice]
    drafts: list[Article]
    adoptions: list[queries.Adoption]
    unmet: list[Unmet]
    month: date
    totals: dict = field(default_factory=dict)
    helped: list = field(default_factory=list)  # my answers another agency marked "this helped us"


def dashboard(actor: Actor, today: date | None = None) -> Dashboard:
    """The signed-in person's own impact: their published practices, drafts, adoptions and unmet searches."""
    user = require_member(actor)
    today = today or datetime.now(UTC).date()
    month = queries.month_start(today)
    practices = _practices(list(db.session.scalars(
        sa.select(Article).where(Article.author_id == user.id, Article.status == "published")
        .order_by(Article.published_at.desc(), Article.id.desc()))), month)
    totals = {key: sum(getattr(p, key) for p in practices) for key in
              ("views_month", "views_total", "endorsements_month", "endorsements_total", "adoptions_month",
               "adoptions_total")}
    return Dashboard(practices, my_drafts(user), queries.adoptions_of(Article.author_id == user.id),
                     unmet_searches(user.id), month, totals, helped_given(author_id=user.id))


def home_summary(actor: Actor) -> Dashboard | None:
    """The dashboard for the signed-in home page's first panel; None for a visitor (no query)."""
    return dashboard(actor) if signed_in(actor) else None


def _practices(rows: list[Article], month: date, with_views: bool = True) -> list[Practice]:
    article_ids = [article.id for article in rows]
    views = queries.views_by_article(article_ids, month) if with_views else {}
    since = datetime(month.year, month.month, 1, tzinfo=UTC)
    support = queries.support_by_article(article_ids, since)
    return [Practice(article, *views.get(article.id, (0, 0)), *support.get((article.id, "endorse"), (0, 0)),
                     *support.get((article.id, "adopt"), (0, 0))) for article in rows]


def unmet_searches(user_id: int, limit: int = 5) -> list[Unmet]:
    """Searches of the last 30 days that found nothing and share a word with the topics of my practices.

    Read from the search log, which holds no identities, aggregated by query.
    """
    names = db.session.scalars(
        sa.select(Tag.name).join(article_tags, article_tags.c.tag_id == Tag.id)
        .join(Article, Article.id == article_tags.c.article_id)
        .where(Article.author_id == user_id, Article.status.in_(("published", "draft"))).distinct())
    words = {word for name in names for word in _words(name)}
    if not words:
        return []
    found = [Unmet(stat.query, stat.searches) for stat in analytics.zero_result_queries(limit=500, days=SEARCH_DAYS)
             if words & _words(stat.query)]
    return found[:limit]


def _words(text: str) -> set[str]:
    """The words of a topic or a query that say something (three letters or more, case folded)."""
    return {word for word in "".join(c if c.isalnum() else " " for c in text.casefold()).split() if len(word) >= 3}


# An agency's impact --------------------------------------------------------------------------------

@dataclass
class AgencyImpact:
    agency: Agency
    totals: dict
    learned_from: list[queries.Tally]
    taught: list[queries.Tally]
    practices: list[Practice]  # views filled in only for its own staff and admins
    adoptions: list[queries.Adoption]
    transfer_map: object
    reach: "Reach | None" = None  # the owning agency's and admins' view of its practices' reading
    helped: list = field(default_factory=list)  # its answers other agencies marked "this helped us"


def agency_impact(actor: Actor, slug: str, today: date | None = None) -> AgencyImpact:
    """An agency's impact: public (within PUBLIC_READ); its views only for its own staff and admins."""
    agency = get_agency(slug)
    learned_from, taught = queries.partners(agency.id, taught=False), queries.partners(agency.id, taught=True)
    shown = 8  # the map keeps to eight a side; the table beside it has them all
    flows = ([charts.Flow(t.subject.name, t.count, _label(t.subject)) for t in learned_from[:shown]],
             [charts.Flow(t.subject.name, t.count, _label(t.subject)) for t in taught[:shown]])
    own = signed_in(actor) and of_agency(actor, agency.id)
    month = queries.month_start(today or datetime.now(UTC).date())
    practices = _practices(queries.agency_practices(agency.id), month, with_views=own)
    impact = AgencyImpact(agency, queries.agency_totals(agency.id), learned_from, taught, practices,
                          queries.adoptions_of(Article.agency_id == agency.id, limit=10),
                          charts.transfer_map("transfer-map", agency.name, *flows, label=_label(agency)),
                          helped=helped_given(agency_id=agency.id))
    if own:
        impact.reach = reach_of(f"Views of {agency.name}'s practices", today, agency_id=agency.id)
    return impact


def _label(agency: Agency) -> str:
    """An agency's name on the map: its acronym when the name is too long for a box."""
    return agency.name if len(agency.name) <= 24 or not agency.acronym else agency.acronym


# Reach -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reach:
    days: list[tuple[date, int]]
    total: int
    chart: object


def reach_of(title: str, today: date | None = None, **which) -> Reach:
    """Views per day over the last 90 days, of one article (``article_id``) or an agency's (``agency_id``)."""
    today = today or datetime.now(UTC).date()
    days = queries.days_back(today, REACH_DAYS)
    counted = queries.daily_views(days[0], **which)
    series = [(day, counted.get(day, 0)) for day in days]
    total = sum(n for _, n in series)
    description = (f"{total} views in the last {REACH_DAYS} days, from {days[0]:%-d %B %Y} to {today:%-d %B %Y}; "
                   f"the most in one day: {max((n for _, n in series), default=0)}. The table gives every day.")
    bars = [charts.Bar(f"{day:%-d %b}", n) for day, n in series]
    return Reach(series, total, charts.bar_chart("reach-chart", title, description, bars, every=15))


def sees_reach(actor: Actor, article: Article) -> bool:
    """A published practice's reach is shown to its own agency's staff and admins only."""
    return article.status == "published" and signed_in(actor) and of_agency(actor, article.agency_id)


def article_reach(actor: Actor, article: Article, today: date | None = None) -> Reach | None:
    """An article's views over 90 days, for its own agency's staff and admins; None for anyone else."""
    if not sees_reach(actor, article):
        return None
    return reach_of(f"Views of {article.title}", today, article_id=article.id)


# The site's impact ---------------------------------------------------------------------------------

@dataclass
class SiteImpact:
    most_adopted: list[queries.Tally]
    gave: list[queries.Tally]
    took: list[queries.Tally]
    months: list[tuple[date, int]]
    chart: object

    @property
    def month_rows(self) -> list[tuple[str, int]]:
        return [(f"{month:%B %Y}", n) for month, n in self.months]


def site_impact(today: date | None = None) -> SiteImpact:
    """The practices adopted most widely, the agencies that gave and took most, adoptions per month."""
    today = today or datetime.now(UTC).date()
    months = _months(today, MONTHS)
    start = datetime(months[0].year, months[0].month, 1, tzinfo=UTC)
    per_month = dict.fromkeys(months, 0)
    for when in queries.adoption_times(start):
        key = date(when.year, when.month, 1)
        if key in per_month:
            per_month[key] += 1
    series = list(per_month.items())
    description = (f"{sum(per_month.values())} adoptions between agencies in the last {MONTHS} months, from "
                   f"{months[0]:%B %Y} to {months[-1]:%B %Y}. The table gives every month.")
    chart = charts.bar_chart("adoptions-chart", "Adoptions per month", description,
                             [charts.Bar(f"{month:%b %y}", n) for month, n in series], every=1)
    return SiteImpact(queries.most_adopted(), queries.agencies_by_adoptions(gave=True),
                      queries.agencies_by_adoptions(gave=False), series, chart)


def _months(today: date, count: int) -> list[date]:
    months, month = [], today.replace(day=1)
    for _ in range(count):
        months.append(month)
        month = (month - timedelta(days=1)).replace(day=1)
    return months[::-1]


CSV_HEADER = ("adopted_at", "practice_slug", "practice_title", "practice_agency", "adopting_agency")


def adoptions_csv(actor: Actor) -> str:
    """Every adoption between agencies as CSV (admins): no person named, only agencies."""
    require_admin(actor, "Only admins may export the site's impact.")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for when, slug, title, owner, adopter in queries.all_adoptions():
        when = when.astimezone(UTC).isoformat(timespec="seconds")
        writer.writerow([when, slug, *map(_cell, (title, owner, adopter))])
    return out.getvalue()


def _cell(text: str) -> str:
    """A value a spreadsheet will show as text, never run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text

