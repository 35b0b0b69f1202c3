"""Featured practices (and challenges): admins feature, reorder and unfeature; an expired feature disappears
by itself. A challenge is featured like a practice, named with ``kind="challenge"``."""
from datetime import date

import sqlalchemy as sa
from flask import g, has_request_context
from sqlalchemy.orm import joinedload

from exchange import audit
from exchange.articles.models import Article
from exchange.challenges.models import PUBLIC, Challenge
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
        sa.select(Feature).outerjoin(Feature.article).outerjoin(Feature.challenge)
        .where(sa.or_(Article.status == "published", Challenge.status.in_(PUBLIC)),
               sa.or_(Feature.until.is_(None), Feature.until >= today()))
        .options(joinedload(Feature.article), joinedload(Feature.challenge))
        .order_by(Feature.position, Feature.id)
    ).unique())


def all_features() -> list[Feature]:
    """Every feature, expired ones included, in order (for the admin area)."""
    return list(db.session.scalars(
        sa.select(Feature).options(joinedload(Feature.article), joinedload(Feature.challenge),
                                   joinedload(Feature.featured_by))
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
        Feature.article_id.is_not(None), sa.or_(Feature.until.is_(None), Feature.until >= today())))
    return {feature.article_id: feature for feature in rows}


def feature(actor: Actor, slug, note="", position=None, until=None, kind="practice") -> Feature:
    """Feature a published article, or (``kind="challenge"``) a public challenge, or change its feature,
    at ``position`` (1 is first; None: last)."""
    _require_admin(actor)
    kind = _check_kind(kind)
    item = _public_challenge(slug) if kind == "challenge" else _published_article(slug)
    note = clean_text(note, "note", max_len=NOTE_MAX).strip()
    until = _check_until(until)
    features = all_features()
    current = next((f for f in features if f.kind == kind and f.item.id == item.id), None)
    if current is None:
        current = Feature(featured_by_id=actor.id if actor else None, **{
            "challenge" if kind == "challenge" else "article": item})
        db.session.add(current)
    else:
        features.remove(current)
    current.note, current.until, current.updated_at = note, until, utcnow()
    index = _check_position(position, len(features))
    features.insert(index, current)
    _renumber(features)
    action = "feature.update" if current.id else "feature.add"
    audit.record(actor, action, _subject(kind), item.slug, _describe(current))
    db.session.commit()
    return current


def move(actor: Actor, slug, direction: str, kind="practice") -> Feature:
    """Move a feature one place up or down the list."""
    _require_admin(actor)
    features = all_features()
    current = _find(features, slug, kind)
    index = features.index(current)
    step = {"up": -1, "down": 1}.get(direction)
    if step is None:
        raise Invalid("Move a feature up or down.", {"direction": "up or down"})
    other = index + step
    if 0 <= other < len(features):
        features[index], features[other] = features[other], features[index]
        _renumber(features)
    audit.record(actor, "feature.move", _subject(current.kind), slug, f"{direction} to position {current.position}")
    db.session.commit()
    return current


def unfeature(actor: Actor, slug, kind="practice") -> None:
    """Stop featuring an article (or a challenge)."""
    _require_admin(actor)
    features = all_features()
    current = _find(features, slug, kind)
    features.remove(current)
    db.session.delete(current)
    _renumber(features)
    audit.record(actor, "feature.remove", _subject(current.kind), slug)
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


def _find(features, slug, kind="practice") -> Feature:
    kind = _check_kind(kind)
    for each in features:
        if each.kind == kind and each.item.slug == slug:
            return each
    raise NotFound(f"The {_subject(kind)} '{slug}' is not featured.")


KINDS = ("practice", "challenge")


def _check_kind(kind) -> str:
    if kind in (None, ""):
        return "practice"
    if kind not in KINDS:
        raise Invalid("kind must be practice or challenge.", {"kind": "practice or challenge"})
    return kind


def _subject(kind: str) -> str:
    return "challenge" if kind == "challenge" else "article"


def _public_challenge(slug) -> Challenge:
    slug = (slug or "").strip() if isinstance(slug, str) else ""
    if not slug:
        raise Invalid("Name the challenge to feature by its slug.", {"slug": "required"})
    challenge = db.session.scalar(sa.select(Challenge).where(Challenge.slug == slug[:200]))
    if challenge is None or challenge.status not in PUBLIC:
        raise Invalid(f"There is no public challenge '{slug}'.", {"slug": "no public challenge with this slug"})
    return challenge


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

