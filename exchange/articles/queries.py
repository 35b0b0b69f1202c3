"""Reading lists of articles: published only, sorted by an index, a fixed number of queries."""
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.orm import defer

from exchange import pagecache
from exchange.accounts.models import Agency
from exchange.articles.models import Article, Tag, article_tags
from exchange.db import db
from exchange.errors import NotFound
from exchange.pagination import Page
from exchange.permissions import Actor, is_admin, is_verified, of_agency, signed_in
from exchange.text import canonical_slug

# Orders that need more than the articles' own columns are added by the domain that owns the data:
# endorsements adds "trending" (add_order), so this module need not know how endorsements count.
ORDERS: dict[str, Callable[[sa.Select], sa.Select]] = {}
SORTS = {
    "new": (Article.published_at.desc(), Article.id.desc()),
    "updated": (Article.updated_at.desc(), Article.id.desc()),
    "top": (Article.score.desc(), Article.published_at.desc(), Article.id.desc()),
}
# Lists show cards: never load the bodies (up to 100 KB each, three times over).
CARD_ONLY = (defer(Article.body), defer(Article.html), defer(Article.text), defer(Article.toc_json))
SORT_LABELS = {"new": "Newest", "updated": "Recently updated", "top": "Most endorsed", "trending": "Trending"}


def add_order(name: str, order: Callable[[sa.Select], sa.Select]) -> None:
    """Let ``list_articles(sort=name)`` order its select with ``order`` (see ORDERS)."""
    ORDERS[name] = order


def published(kind=None, tag: Tag | None = None, agency: Agency | None = None, country: str | None = None,
              level: str | None = None):
    """The select of published articles with optional filters (``country``, ``level``: "GB", or "-GB" for
    every other, as ``exchange.accounts.places`` reads them)."""
    query = sa.select(Article).where(Article.status == "published")
    if kind:
        query = query.where(Article.kind == kind)
    if agency is not None:
        query = query.where(Article.agency_id == agency.id)
    for value, column in ((country, Agency.country), (level, Agency.level)):
        if value:
            wanted = column != value[1:] if value.startswith("-") else column == value
            query = query.where(Article.agency_id.in_(sa.select(Agency.id).where(wanted)))
    if tag is not None:
        query = query.where(Article.id.in_(sa.select(article_tags.c.article_id).where(article_tags.c.tag_id == tag.id)))
    return query


def list_articles(sort="new", page=1, per_page=20, **filters) -> Page:
    """One page of published articles, with the total."""
    query = published(**filters)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
    return _page(query, total or 0, sort, page, per_page)


def list_articles_and_countries(sort="new", page=1, per_page=20, **filters) -> tuple[Page, list[str]]:
    """``list_articles``, and the countries of agencies with a published practice (what the list may be
    narrowed to), read with the total in one statement: a list page costs no more statements than before."""
    query = published(**filters)
    counted = sa.select(sa.literal(None, sa.String).label("country"), sa.func.count().label("n")).select_from(
        query.order_by(None).subquery())
    rows = db.session.execute(sa.union_all(counted, _countries_in_use())).all()
    total = next((row.n for row in rows if row.country is None), 0)
    countries = sorted(row.country for row in rows if row.country is not None)
    return _page(query, total or 0, sort, page, per_page), countries


def _page(query, total: int, sort: str, page: int, per_page: int) -> Page:
    if sort in ORDERS:
        query = ORDERS[sort](query)
    else:
        query = query.order_by(*SORTS.get(sort, SORTS["new"]))
    query = query.options(*CARD_ONLY).limit(per_page).offset((page - 1) * per_page)
    items = [_with_rank_value(row) for row in db.session.execute(query).unique().all()]
    return Page(items, total or 0, page, per_page)


def _with_rank_value(row) -> Article:
    """The row's article; an order that adds the value it sorts by (trending) leaves it on ``rank_value``."""
    article = row[0]
    if len(row) > 1:
        article.rank_value = row[1]
    return article


def seen_by(viewer: Actor) -> sa.ColumnElement[bool]:
    """The articles ``viewer`` may find through a topic: published ones, and the drafts they may see."""
    if is_admin(viewer):
        return Article.status.in_(("published", "draft"))
    if not signed_in(viewer):
        return Article.status == "published"
    return sa.or_(Article.status == "published", drafts_seen_by(viewer))


def drafts_seen_by(viewer: Actor) -> sa.ColumnElement[bool]:
    """The drafts among ``seen_by(viewer)``, as a condition an index on status can answer."""
    if is_admin(viewer):
        return Article.status == "draft"
    if not signed_in(viewer):
        return sa.false()
    colleague = Article.agency_id == viewer.agency_id if is_verified(viewer) else sa.false()
    return sa.and_(Article.status == "draft", sa.or_(colleague, Article.author_id == viewer.id))


def _in_use(viewer: Actor) -> sa.ColumnElement[bool]:
    """Topics with an article ``viewer`` may see; any other topic does not exist for them."""
    return sa.exists(sa.select(article_tags.c.article_id)
                     .join(Article, Article.id == article_tags.c.article_id)
                     .where(article_tags.c.tag_id == Tag.id, seen_by(viewer)))


def find_tag(viewer: Actor, slug: str) -> Tag | None:
    """The topic with this slug, if it has an article ``viewer`` may see (a draft-only topic is a secret)."""
    return db.session.scalar(sa.select(Tag).where(Tag.slug == canonical_slug(slug, max_len=40), _in_use(viewer)))


def get_tag(viewer: Actor, slug: str) -> Tag:
    """``find_tag``, or NotFound."""
    tag = find_tag(viewer, slug)
    if tag is None:
        raise NotFound(f"There is no topic '{slug}'.")
    return tag


def tags_with_counts(viewer: Actor) -> list[tuple[Tag, int]]:
    """Every topic ``viewer`` may see with its number of published articles, most used first.

    The counts are the same for everyone and cost a pass over the library, so they are kept per data
    version; a signed-in reader adds the topics only their drafts (or, for an admin, anyone's) carry."""
    counts = dict(pagecache.versioned("published topic counts", None, _published_tag_counts))
    shown = Tag.id.in_(counts)
    if signed_in(viewer):
        shown = sa.or_(shown, Tag.id.in_(
            sa.select(article_tags.c.tag_id).join(Article, Article.id == article_tags.c.article_id)
            .where(drafts_seen_by(viewer))))
    tags = db.session.scalars(sa.select(Tag).where(shown))
    return sorted(((tag, counts.get(tag.id, 0)) for tag in tags), key=lambda pair: (-pair[1], pair[0].slug))


def _published_tag_counts() -> tuple[tuple[int, int], ...]:
    """(topic id, published articles) for every topic with one."""
    rows = db.session.execute(sa.select(article_tags.c.tag_id, sa.func.count())
                              .join(Article, Article.id == article_tags.c.article_id)
                              .where(Article.status == "published").group_by(article_tags.c.tag_id))
    return tuple((tag_id, count) for tag_id, count in rows)


def agencies_with_counts() -> list[tuple[Agency, int]]:
    """Every agency with its number of published articles, by name."""
    count = sa.func.count(Article.id)
    rows = db.session.execute(
        sa.select(Agency, count).select_from(Agency)
        .outerjoin(Article, sa.and_(Article.agency_id == Agency.id, Article.status == "published"))
        .group_by(Agency.id).order_by(Agency.name))
    return [(agency, n) for agency, n in rows.unique()]


def _countries_in_use() -> sa.Select:
    """The countries of agencies with a published practice (a second column of NULLs, to sit under a count)."""
    return sa.select(Agency.country, sa.literal(None, sa.Integer).label("n")).where(
        Agency.country != "", sa.exists(sa.select(Article.id).where(
            Article.agency_id == Agency.id, Article.status == "published"))).distinct()


def due_for_review(agency: Agency, today) -> list[Article]:
    """An agency's published articles past their review-by date."""
    return list(db.session.scalars(published(agency=agency).where(Article.review_by < today)
                                   .order_by(Article.review_by)))


def drafts_for(user: Actor, agency: Agency) -> list[Article]:
    """Drafts of an agency, for its own staff and admins."""
    if not of_agency(user, agency.id):
        return []
    return list(db.session.scalars(sa.select(Article).where(
        Article.agency_id == agency.id, Article.status == "draft").order_by(Article.updated_at.desc())))


def my_drafts(user: Actor, limit: int = 20) -> list[Article]:
    """The drafts this person wrote, newest change first: for their own profile and home page."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(db.session.scalars(sa.select(Article).where(
        Article.author_id == user.id, Article.status == "draft").order_by(Article.updated_at.desc()).limit(limit)))


def top_in(tag: Tag, count: int = 3) -> list[Article]:
    """A topic's most endorsed published practices (those endorsed at all), for the head of its page."""
    return [article for article in list_articles(sort="top", per_page=count, tag=tag).items if article.score > 0]
