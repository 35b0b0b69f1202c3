"""Featured practices: admins feature, reorder and unfeature; an expired feature disappears by itself."""
from datetime import date

import sqlalchemy as sa
from flask import g, has_request_context
from sqlalchemy.orm import joinedload

from exchange import audit
from exchange.articles.models import Article
from exchange.curation.models import Feature
from exchange.db import db, utcnow
from exchange.errors import Invalid, NotFound
from exchange.permissions import Actor, require_admin
from exchange.text import clean_text

NOTE_MAX = 280


def today() -> date:
    """Today in UTC: the day an end date is compared with."""
    return utcnow().date()


def active_features() -> list[Feature]:
    """Features shown now, in order, with their articles (published only), in a fixed number of queries."""
    return list(db.session.scalars(
        sa.select(Feature).join(Feature.article)
        .where(Article.status == "published", sa.or_(Feature.until.is_(None), Feature.until >= today()))
        .options(joinedload(Feature.article))
        .order_by(Feature.position, Feature.id)
    ).unique())


def all_features() -> list[Feature]:
    """Every feature, expired ones included, in order (for the admin area)."""
    return list(db.session.scalars(
        sa.select(Feature).options(joinedload(Feature.article), joinedload(Feature.featured_by))
        .order_by(Feature.position, Feature.id)
    ).unique())


def feature_for(article) -> Feature | None:
    """The active feature of this article, if any (one query per request, however many articles)."""
    if not has_request_context():
        return _active_by_article().get(article.id)
    if "active_features" not in g:
        g.active_features = _active_by_article()
    return g.active_features.get(article.id)


def is_featured(article) -> bool:
    """Whether the article is featured right now (the API's ``featured`` flag)."""
    return feature_for(article) is not None


def _active_by_article() -> dict[int, Feature]:
    rows = db.session.scalars(sa.select(Feature).where(
        sa.or_(Feature.until.is_(None), Feature.until >= today())))
    return {feature.article_id: feature for feature in rows}


def feature(actor: Actor, slug, note="", position=None, until=None) -> Feature:
    """Feature a published article (or change its feature) at ``position`` (1 is first; None: last)."""
    _require_admin(actor)
    article = _published_article(slug)
    note = clean_text(note, "note", max_len=NOTE_MAX).strip()
    until = _check_until(until)
    features = all_features()
    current = next((f for f in features if f.article_id == article.id), None)
    if current is None:
        current = Feature(article=article, featured_by_id=actor.id if actor else None)
        db.session.add(current)
    else:
        features.remove(current)
    current.note, current.until, current.updated_at = note, until, utcnow()
    index = _check_position(position, len(features))
    features.insert(index, current)
    _renumber(features)
    action = "feature.update" if current.id else "feature.add"
    audit.record(actor, action, "article", article.slug, _describe(current))
    db.session.commit()
    return current


def move(actor: Actor, slug, direction: str) -> Feature:
    """Move a feature one place up or down the list."""
    _require_admin(actor)
    features = all_features()
    current = _find(features, slug)
    index = features.index(current)
    step = {"up": -1, "down": 1}.get(direction)
    if step is None:
        raise Invalid("Move a feature up or down.", {"direction": "up or down"})
    other = index + step
    if 0 <= other < len(features):
        features[index], features[other] = features[other], features[index]
        _renumber(features)
    audit.record(actor, "feature.move", "article", slug, f"{direction} to position {current.position}")
    db.session.commit()
    return current


def unfeature(actor: Actor, slug) -> None:
    """Stop featuring an article."""
    _require_admin(actor)
    features = all_features()
    current = _find(features, slug)
    features.remove(current)
    db.session.delete(current)
    _renumber(features)
    audit.record(actor, "feature.remove", "article", slug)
    db.session.commit()


def _require_admin(actor: Actor) -> None:
    require_admin(actor, "Only admins may feature practices.")


def _published_article(slug) -> Article:
    slug = (slug or "").strip() if isinstance(slug, str) else ""
    if not slug:
        raise Invalid("Name the article to feature by its slug.", {"slug": "required"})
    article = db.session.scalar(sa.select(Article).where(Article.slug == slug))
    if article is None or article.status != "published":
        raise Invalid(f"There is no published article '{slug}'.", {"slug": "no published article with this slug"})
    return article


def _find(features, slug) -> Feature:
    for each in features:
        if each.article.slug == slug:
            return each
    raise NotFound(f"The article '{slug}' is not featured.")


def _check_until(until) -> date | None:
    if until in (None, ""):
        return None
    if not isinstance(until, date):
        try:
            until = date.fromisoformat(str(until).strip())
        except ValueError:
            raise Invalid("End date must be a date like 2026-12-31.", {"until": "a date like 2026-12-31"}) from None
    if until < today():
        raise Invalid("End date is in the past: the feature would never show.", {"until": "today or later"})
    return until


def _check_position(position, others: int) -> int:
    """The list index for a 1-based position; None or beyond the end means last."""
    if position in (None, ""):
        return others
    try:
        if isinstance(position, (bool, float)):
            raise ValueError(position)
        position = int(position)
    except (TypeError, ValueError):
        raise Invalid("Position must be a whole number, 1 for first.", {"position": "a whole number"}) from None
    if position < 1:
        raise Invalid("Position must be 1 or more (1 is first).", {"position": "1 or more"})
    return min(position, others + 1) - 1


def _renumber(features) -> None:
    for number, each in enumerate(features, start=1):
        if each.position != number:
            each.position = number


def _describe(feature: Feature) -> str:
    until = f", until {feature.until.isoformat()}" if feature.until else ""
    return f"position {feature.position}{until}: {feature.note}"[:500]

