"""Following tags, agencies, articles and people, and what is new from them."""
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from exchange.accounts.models import Agency, User
from exchange.articles.models import Article, article_tags
from exchange.articles.queries import find_tag
from exchange.community.models import FOLLOW_KINDS, Follow, as_id
from exchange.db import db, utcnow
from exchange.endorsements.models import Endorsement
from exchange.errors import Invalid, NotFound
from exchange.permissions import Actor, require_member, signed_in

ENDORSED_WINDOW = timedelta(days=30)
LABELS = {"tag": "Topics", "agency": "Agencies", "article": "Articles", "person": "People"}


def find_target(viewer: Actor, kind: str, key: str):
    """The tag, agency, article or person named in a follow address; drafts and unknowns are 404."""
    if kind == "tag":
        target = find_tag(viewer, key)
    elif kind == "agency":
        target = db.session.scalar(sa.select(Agency).where(Agency.slug == key))
    elif kind == "article":
        target = db.session.scalar(sa.select(Article).where(Article.slug == key, Article.status != "draft"))
    elif kind == "person":
        target = db.session.get(User, as_id(key)) if as_id(key) else None
        target = target if target is not None and target.active else None
    else:
        target = None
    if target is None:
        raise NotFound("There is nothing to follow at this address.")
    return target


def _column(kind: str):
    if kind not in FOLLOW_KINDS:
        raise NotFound("There is nothing to follow at this address.")
    return getattr(Follow, f"{kind}_id")


def follow(user: Actor, kind: str, target) -> None:
    """Follow a tag, agency, article or person; following twice changes nothing."""
    require_member(user)
    _column(kind)
    if kind == "person" and target.id == user.id:
        raise Invalid("You cannot follow yourself.", {"target": "yourself"})
    if is_following(user, kind, target):
        return
    try:
        with db.session.begin_nested():  # a concurrent duplicate fails the unique constraint only here
            db.session.add(Follow(user_id=user.id, **{f"{kind}_id": target.id}))
    except IntegrityError:
        pass
    db.session.commit()


def unfollow(user: Actor, kind: str, target) -> None:
    """Stop following; unfollowing what you do not follow changes nothing."""
    require_member(user)
    db.session.execute(sa.delete(Follow).where(Follow.user_id == user.id, _column(kind) == target.id))
    db.session.commit()


def follower_count(kind: str, target) -> int:
    """How many people follow this target: one query."""
    return db.session.scalar(sa.select(sa.func.count()).where(_column(kind) == target.id)) or 0


def is_following(user: Actor, kind: str, target) -> bool:
    """Whether the user follows this target: one query."""
    if not signed_in(user) or target is None:
        return False
    return db.session.scalar(sa.select(sa.exists().where(
        Follow.user_id == user.id, _column(kind) == target.id))) or False


def follows_of(user: Actor) -> dict[str, list]:
    """What the user follows, grouped by kind (tag, agency, article, person): one query."""
    rows = db.session.scalars(sa.select(Follow).where(Follow.user_id == user.id)
                              .order_by(Follow.created_at.desc(), Follow.id.desc())).unique().all()
    grouped: dict[str, list] = {kind: [] for kind in FOLLOW_KINDS}
    for row in rows:
        if row.kind != "article" or row.target.status != "draft":
            grouped[row.kind].append(row.target)
    return grouped


@dataclass
class Following:
    """The home page's lead for a member: new and newly endorsed practices from what they follow."""

    follows: int = 0
    new: list[Article] = field(default_factory=list)
    endorsed: list[Article] = field(default_factory=list)


def following_feed(user: Actor, limit: int = 6, shown: set[int] | None = None) -> Following:
    """New and newly endorsed published practices from what the user follows: a fixed number of queries.

    Never their own work or their own agency's (the dashboard tells them about that), never a practice
    twice, never one in ``shown`` (already on the page); the practices listed are added to ``shown``.
    """
    ids = {kind: [] for kind in FOLLOW_KINDS}
    for row in db.session.execute(sa.select(Follow.tag_id, Follow.agency_id, Follow.article_id, Follow.person_id)
                                  .where(Follow.user_id == user.id)):
        for kind, value in zip(FOLLOW_KINDS, row, strict=True):
            if value is not None:
                ids[kind].append(value)
    count = sum(len(v) for v in ids.values())
    if not count:
        return Following()
    shown = set() if shown is None else shown
    matches = sa.and_(_matching(ids), Article.author_id != user.id, Article.agency_id != user.agency_id)
    new = list(db.session.scalars(sa.select(Article).where(Article.status == "published", matches, _not_in(shown))
                                  .order_by(Article.published_at.desc(), Article.id.desc()).limit(limit)).unique())
    shown.update(article.id for article in new)
    endorsed = _newly_endorsed(sa.and_(matches, _not_in(shown)), limit)
    shown.update(article.id for article in endorsed)
    return Following(count, new, endorsed)


def _not_in(ids: set[int]):
    return Article.id.not_in(sorted(ids)) if ids else sa.true()


def _matching(ids: dict[str, list]):
    conditions = []
    if ids["tag"]:
        conditions.append(Article.id.in_(sa.select(article_tags.c.article_id)
                                         .where(article_tags.c.tag_id.in_(ids["tag"]))))
    if ids["agency"]:
        conditions.append(Article.agency_id.in_(ids["agency"]))
    if ids["article"]:
        conditions.append(Article.id.in_(ids["article"]))
    if ids["person"]:
        conditions.append(Article.author_id.in_(ids["person"]))
    return sa.or_(*conditions)


def _newly_endorsed(matches, limit: int) -> list[Article]:
    """Matching articles endorsed or adopted in the last 30 days, most recent first."""
    latest = (sa.select(Endorsement.article_id, sa.func.max(Endorsement.created_at).label("latest"))
              .where(Endorsement.created_at >= utcnow() - ENDORSED_WINDOW)
              .group_by(Endorsement.article_id).subquery())
    return list(db.session.scalars(
        sa.select(Article).join(latest, latest.c.article_id == Article.id)
        .where(Article.status == "published", matches)
        .order_by(latest.c.latest.desc(), Article.id.desc()).limit(limit)).unique())


def move_topic_follows(from_tag_id: int, to_tag_id: int) -> int:
    """A merge of topics: followers of the old one follow the new one (once each). How many moved."""
    already = sa.select(Follow.user_id).where(Follow.tag_id == to_tag_id).scalar_subquery()
    moved = db.session.execute(sa.update(Follow).where(Follow.tag_id == from_tag_id, Follow.user_id.not_in(already))
                               .values(tag_id=to_tag_id).execution_options(synchronize_session=False)).rowcount
    db.session.execute(sa.delete(Follow).where(Follow.tag_id == from_tag_id)
                       .execution_options(synchronize_session=False))
    return moved
