"""Endorsing, adopting and withdrawing, with the article's totals kept exact in the same transaction."""
from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from exchange.articles.models import Article
from exchange.db import db, utcnow
from exchange.endorsements import ranking
from exchange.endorsements.models import KINDS, Endorsement
from exchange.errors import Conflict, Forbidden, Invalid, NotFound
from exchange.permissions import Actor, require_member, require_verified, signed_in
from exchange.text import clean_text

NOTE_MAX = 280


def endorse(actor: Actor, article: Article, kind, note="") -> Endorsement:
    """Endorse or adopt a published article; a second call replaces the kind and note."""
    require_verified(actor)
    _require_endorsable(actor, article)
    kind, note = _check_kind(kind), _check_note(note)
    _lock(article)
    endorsement = _find(actor, article)
    if endorsement is None:
        endorsement = Endorsement(article_id=article.id, user_id=actor.id, agency_id=actor.agency_id,
                                  kind=kind, note=note, created_at=utcnow())
        db.session.add(endorsement)
    else:
        endorsement.kind, endorsement.note, endorsement.updated_at = kind, note, utcnow()
    db.session.flush()
    _recount(article)
    db.session.commit()
    return endorsement


def withdraw(actor: Actor, article: Article) -> bool:
    """Withdraw your endorsement of an article; False when there was none."""
    require_member(actor)
    _lock(article)
    endorsement = _find(actor, article)
    if endorsement is None:
        db.session.commit()  # nothing to change: end the transaction and release the lock
        return False
    db.session.delete(endorsement)
    db.session.flush()
    _recount(article)
    db.session.commit()
    return True


def refusal(user: Actor, article: Article) -> str | None:
    """Why ``user`` may not endorse ``article``, or None when they may."""
    if not signed_in(user):
        return "Sign in to endorse or record an adoption."
    if article.status != "published":
        return "Only published practices can be endorsed."
    if article.author_id == user.id:
        return "You wrote this practice: endorsements come from others."
    return None


def _require_endorsable(actor: Actor, article: Article) -> None:
    if article.status == "draft":
        raise NotFound("There is no article at this address.")  # a draft does not exist to endorsers
    if article.status != "published":
        raise Conflict("This article is archived: it no longer takes endorsements.")
    if article.author_id == actor.id:
        raise Forbidden("You wrote this practice: endorsements come from others.")


def _check_kind(kind) -> str:
    if not isinstance(kind, str) or kind not in KINDS:
        raise Invalid("Choose whether you endorse it or your agency adopted it.", {"kind": "endorse or adopt"})
    return kind


def _check_note(note) -> str:
    return clean_text(note, "note", max_len=NOTE_MAX).strip()


def _find(actor: Actor, article: Article) -> Endorsement | None:
    return db.session.scalar(
        sa.select(Endorsement)
        .where(Endorsement.article_id == article.id, Endorsement.user_id == actor.id)
        .execution_options(populate_existing=True)
    )


def _lock(article: Article) -> None:
    """Serialise endorsement changes per article: FOR UPDATE on PostgreSQL.

    (SQLite write transactions already hold the database's write lock.)
    """
    db.session.execute(sa.select(Article.id).where(Article.id == article.id).with_for_update())


def recount(article: Article) -> None:
    """Recompute an article's endorsement weights and totals (after rows were written directly: a restore)."""
    _recount(article)


def _recount(article: Article) -> None:
    """Recompute weights, count, adoptions, agencies and score from the rows, in one query."""
    rows = db.session.scalars(
        sa.select(Endorsement).where(Endorsement.article_id == article.id)
        .order_by(Endorsement.created_at, Endorsement.id)
        .execution_options(populate_existing=True)
    ).all()
    for row, weight in zip(rows, ranking.weights(rows, article.agency_id), strict=True):
        if row.weight != weight:
            row.weight = weight
            row.trend_weight = ranking.trend_weight(weight, row.created_at)
    db.session.flush()
    db.session.execute(sa.update(Article).where(Article.id == article.id).values(
        endorsement_count=len(rows),
        adoption_count=sum(1 for row in rows if row.kind == "adopt"),
        agency_count=len({row.agency_id for row in rows}),
        score=sum(row.weight for row in rows) + ranking.extra_score(article.id),
    ))


def summary(article: Article, viewer=None) -> dict:
    """The article's endorsement totals (and the viewer's own endorsement), as the API returns them."""
    data = {"count": article.endorsement_count, "adoptions": article.adoption_count,
            "agencies": article.agency_count, "score": round(article.score, 4)}
    if viewer is not None:
        mine = _find(viewer, article)
        data["yours"] = None if mine is None else {"kind": mine.kind, "note": mine.note,
                                                   "weight": round(mine.weight, 4)}
    return data


def endorsements_of(article: Article) -> list[Endorsement]:
    """Every endorsement of an article, oldest first, with person and agency."""
    return list(db.session.scalars(
        sa.select(Endorsement).where(Endorsement.article_id == article.id)
        .options(joinedload(Endorsement.user), joinedload(Endorsement.agency))
        .order_by(Endorsement.created_at, Endorsement.id)
    ))


@dataclass
class Panel:
    """What the endorsement panel of an article shows."""

    endorsements: list
    agencies: list
    explanation: str
    mine: Endorsement | None
    refusal: str | None


def panel(article: Article, viewer) -> Panel:
    """Everything the article page shows about its endorsements, in one query."""
    rows = endorsements_of(article) if article.endorsement_count else []
    per_agency = Counter(row.agency_id for row in rows)
    own = per_agency[article.agency_id]
    repeats = sum(n - 1 for n in per_agency.values())
    viewer_id = viewer.id if signed_in(viewer) else None
    return Panel(
        endorsements=rows,
        agencies=list({row.agency_id: row.agency for row in rows}.values()),
        explanation=ranking.explain(article, own, repeats),
        mine=next((row for row in rows if row.user_id == viewer_id), None),
        refusal=refusal(viewer, article),
    )


@dataclass
class PersonSummary:
    """The recognition a person's published work has received."""

    articles: list  # the most endorsed hundred
    published: int
    received: int
    adoptions: int
    agencies: int


def person_summary(person) -> PersonSummary:
    """A person's published articles and the endorsements, adoptions and agencies behind them."""
    articles = list(db.session.scalars(
        sa.select(Article).where(Article.author_id == person.id, Article.status == "published")
        .order_by(Article.score.desc(), Article.published_at.desc()).limit(100)
    ))
    published = (sa.select(sa.func.count()).select_from(Article)
                 .where(Article.author_id == person.id, Article.status == "published")
                 .correlate(None).scalar_subquery())
    count, received, adoptions, agencies = db.session.execute(
        sa.select(published, sa.func.count(Endorsement.id),
                  sa.func.count(Endorsement.id).filter(Endorsement.kind == "adopt"),
                  sa.func.count(sa.distinct(Endorsement.agency_id)))
        .select_from(Endorsement).join(Article, Article.id == Endorsement.article_id)
        .where(Article.author_id == person.id, Article.status == "published")
    ).one()
    return PersonSummary(articles, count or 0, received or 0, adoptions or 0, agencies or 0)
