"""Endorsing, adopting and withdrawing, with the article's totals kept exact in the same transaction."""
import json
from collections import Counter
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from exchange.articles.models import Article, article_tags
from exchange.db import db, utcnow
from exchange.endorsements import ranking
from exchange.endorsements.models import ADOPTION_STATUSES, KINDS, Endorsement
from exchange.errors import Conflict, Forbidden, Invalid, NotFound
from exchange.pagecache import versioned
from exchange.permissions import Actor, require_member, require_verified, signed_in
from exchange.text import clean_text

NOTE_MAX = 280
OUTCOME_MAX = 280
STORY_FIELDS = ("adopted_on", "status", "outcome")
STORY_LABELS = {"adopted_on": "Adopted on", "status": "Status", "outcome": "Outcome"}


def endorse(actor: Actor, article: Article, kind, note="", story: dict | None = None) -> Endorsement:
    """Endorse or adopt a published article; a second call replaces the kind, note and adoption story.

    ``story`` (adoptions only, every key optional): ``adopted_on`` (a date, not in the future),
    ``status`` (piloting, in_use or stopped) and ``outcome`` (a sentence).
    """
    require_verified(actor)
    _require_endorsable(actor, article)
    kind, note = _check_kind(kind), _check_note(note)
    adopted_on, status, outcome = check_story(kind, story or {})
    _lock(article)
    endorsement = _find(actor, article)
    if endorsement is None:
        now = utcnow()  # one moment: "updated" shows (and is exported) only after a real change
        endorsement = Endorsement(article_id=article.id, user_id=actor.id, agency_id=actor.agency_id,
                                  kind=kind, note=note, created_at=now, updated_at=now)
        db.session.add(endorsement)
    else:
        endorsement.kind, endorsement.note, endorsement.updated_at = kind, note, utcnow()
    endorsement.adopted_on, endorsement.adoption_status, endorsement.outcome = adopted_on, status, outcome
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


def check_story(kind: str, story: dict) -> tuple[date | None, str | None, str]:
    """The adoption story's date, status and outcome, checked; an endorsement has none."""
    adopted_on, status, outcome = (story.get(key) for key in STORY_FIELDS)
    if kind != "adopt":
        given = [key for key in STORY_FIELDS if story.get(key) not in (None, "")]
        if given:
            raise Invalid("Only an adoption has a date, status and outcome.",
                          {key: "only for an adoption" for key in given})
        return None, None, ""
    problems = {}
    if isinstance(adopted_on, str) and adopted_on.strip():
        try:
            adopted_on = date.fromisoformat(adopted_on.strip())
        except ValueError:
            problems["adopted_on"] = "must be a date like 2026-03-31"
    elif adopted_on in ("", None) or (isinstance(adopted_on, str) and not adopted_on.strip()):
        adopted_on = None
    elif not isinstance(adopted_on, date):
        problems["adopted_on"] = "must be a date like 2026-03-31"
    if isinstance(adopted_on, date) and adopted_on > utcnow().date():
        problems["adopted_on"] = "cannot be in the future"
    if status in ("", None):
        status = None
    elif not isinstance(status, str) or status not in ADOPTION_STATUSES:
        problems["status"] = "must be piloting, in_use or stopped"
    if outcome is not None and not isinstance(outcome, str):
        problems["outcome"] = "must be text"
    if problems:
        raise Invalid(" ".join(f"{STORY_LABELS[key]} {problem}." for key, problem in problems.items()), problems)
    return adopted_on, status, clean_text(outcome or "", "outcome", max_len=OUTCOME_MAX).strip()


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
    """Recompute weights, count, adoptions, agencies, score and who vouched from the rows, in one query
    (plus one per support source other domains registered: ``ranking.add_support``)."""
    rows = db.session.scalars(
        sa.select(Endorsement).where(Endorsement.article_id == article.id)
        .options(joinedload(Endorsement.agency))
        .order_by(Endorsement.created_at, Endorsement.id)
        .execution_options(populate_existing=True)
    ).all()
    for row, weight in zip(rows, ranking.weights(rows, article.agency_id), strict=True):
        if row.weight != weight:
            row.weight = weight
            row.trend_weight = ranking.trend_weight(weight, row.created_at)
    extra = ranking.extra_support(article)
    extra_score = sum(ranking.extra_weights(extra, article.agency_id, Counter(row.agency_id for row in rows)))
    db.session.flush()
    db.session.execute(sa.update(Article).where(Article.id == article.id).values(
        endorsement_count=len(rows),
        adoption_count=sum(1 for row in rows if row.kind == "adopt"),
        agency_count=len({row.agency_id for row in rows}),
        score=sum(row.weight for row in rows) + extra_score,
        support_json=json.dumps(ranking.support_summary(rows, article.agency_id, extra)),
    ))


def summary(article: Article, viewer=None) -> dict:
    """The article's endorsement totals (and the viewer's own endorsement), as the API returns them."""
    data = {"count": article.endorsement_count, "adoptions": article.adoption_count,
            "endorsements": article.endorsement_count - article.adoption_count,
            "agencies": article.agency_count, "score": round(article.score, 4),
            "label": ranking.support_label(article)}
    if viewer is not None:
        mine = _find(viewer, article)
        data["yours"] = None if mine is None else {"kind": mine.kind, "note": mine.note,
                                                   "weight": round(mine.weight, 4), **story_of(mine)}
    return data


def story_of(endorsement: Endorsement) -> dict:
    """An adoption's story as the API gives it."""
    return {"adopted_on": endorsement.adopted_on.isoformat() if endorsement.adopted_on else None,
            "status": endorsement.adoption_status, "outcome": endorsement.outcome or ""}


def adoptions_of(article: Article) -> list[Endorsement]:
    """An article's adoptions with their stories, newest first (by when adopted, else when recorded)."""
    rows = [row for row in endorsements_of(article) if row.is_adoption]
    return sorted(rows, key=lambda row: (row.adopted_on or row.created_at.date(), row.created_at), reverse=True)


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
    place: str = ""
    adoptions: list = ()
    adaptations: list = ()
    original: Article | None = None


def panel(article: Article, viewer) -> Panel:
    """Everything the article page shows about its endorsements: a fixed number of queries."""
    rows = endorsements_of(article) if article.endorsement_count else []
    viewer_id = viewer.id if signed_in(viewer) else None
    return Panel(
        endorsements=rows,
        agencies=list({row.agency_id: row.agency for row in rows}.values()),
        explanation=ranking.explain(article, rows),
        mine=next((row for row in rows if row.user_id == viewer_id), None),
        refusal=refusal(viewer, article),
        place=place_sentence(article),
        adoptions=sorted((row for row in rows if row.is_adoption),
                         key=lambda row: (row.adopted_on or row.created_at.date(), row.created_at), reverse=True),
        adaptations=adaptations_of(article),
        original=article.based_on if article.based_on_id and article.based_on.status != "draft" else None,
    )


def adaptations_of(article: Article) -> list[Article]:
    """The published articles based on this one (drafts never show here), newest first."""
    return list(db.session.scalars(
        sa.select(Article).where(Article.based_on_id == article.id, Article.status == "published")
        .order_by(Article.published_at.desc(), Article.id.desc())))


def _ranks_before(article: Article):
    """SQL condition: a published article that the "top" order puts before ``article``."""
    return sa.and_(Article.status == "published", Article.kind == article.kind, sa.or_(
        Article.score > article.score,
        sa.and_(Article.score == article.score, Article.published_at > article.published_at),
        sa.and_(Article.score == article.score, Article.published_at == article.published_at,
                Article.id > article.id)))


def places(article: Article) -> dict:
    """Where a published article stands in the "top" order: among its kind, and in each of its topics.

    ``{"all": (position, total), tag_slug: (position, total), ...}``; empty for an unpublished one.
    Only published articles are counted: drafts never enter a count.
    """
    if article.status != "published" or article.published_at is None:
        return {}
    same_kind = sa.and_(Article.status == "published", Article.kind == article.kind)
    before = sa.func.count(Article.id).filter(_ranks_before(article))
    total, ahead = db.session.execute(sa.select(sa.func.count(Article.id), before).where(same_kind)).one()
    result = {"all": (ahead + 1, total)}
    tag_ids = {tag.id: tag.slug for tag in article.tags}
    if tag_ids:
        rows = db.session.execute(
            sa.select(article_tags.c.tag_id, sa.func.count(Article.id), before)
            .join(Article, Article.id == article_tags.c.article_id)
            .where(article_tags.c.tag_id.in_(list(tag_ids)), same_kind)
            .group_by(article_tags.c.tag_id))
        for tag_id, count, tag_ahead in rows:
            result[tag_ids[tag_id]] = (tag_ahead + 1, count)
    return result


KIND_PLURALS = {"case_study": "case studies", "playbook": "playbooks"}


def place_sentence(article: Article) -> str:
    """"3rd of 41 case studies on open data by endorsements" (its best topic), and its place among all.

    Counting every practice ranked before this one is the article page's costliest work, and the same for
    every reader: it is worked out once per data version in each worker."""
    return versioned("place", article.id, lambda: _place_sentence(article))


def _place_sentence(article: Article) -> str:
    found = places(article)
    if not found:
        return ""
    kinds = KIND_PLURALS[article.kind]
    position, total = found["all"]
    overall = f"{ranking.ordinal(position)} of {total} {kinds} by endorsements"
    names = {tag.slug: tag.name for tag in article.tags}
    topics = sorted((place, -count, slug) for slug, (place, count) in found.items() if slug != "all")
    if not topics or total == -topics[0][1]:
        return overall[0].upper() + overall[1:] + "."
    best_place, count, slug = topics[0]
    return (f"{ranking.ordinal(best_place)} of {-count} {kinds} on {names[slug].lower()} by endorsements; "
            f"{overall} overall.")


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


def ranking_rules() -> dict:
    """What the "How ranking works" page states: the weights, windows, search blend and an example."""
    from exchange.search import blend

    return {"base_weight": ranking.BASE_WEIGHT, "own_factor": ranking.OWN_AGENCY_FACTOR,
            "half_life": ranking.TREND_HALF_LIFE_DAYS, "window": ranking.TREND_WINDOW_DAYS,
            "max_lift": blend.MAX_LIFT, "half_lift_score": blend.HALF_LIFT_SCORE,
            "sources": sorted(ranking.SUPPORT_SOURCES), "example": ranking.worked_example()}


def adopted_by(agency, limit: int = 50) -> list[Endorsement]:
    """The published practices of other agencies that ``agency`` adopted, newest first, with their stories."""
    return list(db.session.scalars(
        sa.select(Endorsement).join(Article, Article.id == Endorsement.article_id)
        .where(Endorsement.agency_id == agency.id, Endorsement.kind == "adopt", Article.status == "published",
               Article.agency_id != agency.id)
        .options(joinedload(Endorsement.article))
        .order_by(Endorsement.created_at.desc(), Endorsement.id.desc()).limit(limit)))
