"""Challenges: post, edit, publish and close; answer with practices; "this helped us"; "same problem"."""
from datetime import date

import sqlalchemy as sa

from exchange.accounts.models import Agency
from exchange.articles import rules as article_rules
from exchange.articles import services as articles
from exchange.articles.models import Article, Tag
from exchange.articles.starters import STARTERS
from exchange.challenges.models import PUBLIC, STATUSES, Answer, Challenge, SameProblem
from exchange.db import db, utcnow
from exchange.endorsements import services as endorsements
from exchange.endorsements.ranking import BASE_WEIGHT, Support
from exchange.errors import Conflict, Forbidden, Invalid, NotFound
from exchange.markdown import render
from exchange.permissions import Actor, is_admin, of_agency, require_member, require_verified, signed_in
from exchange.text import canonical_slug, clean_line, clean_text

NO_CHALLENGE = "There is no challenge at this address."
NO_ANSWER = "There is no such answer to this challenge."
MAX_PROBLEM_BYTES = 50_000
MAX_NOTE = 2000
WHY_MISSING = "Say in a sentence why it helped you."
MAX_WHY = endorsements.NOTE_MAX  # the sentence of why is also the adoption's note
WRITABLE = ("title", "problem", "tags", "deadline", "status")


# Reading -----------------------------------------------------------------------------------------

def can_view(viewer: Actor, challenge: Challenge) -> bool:
    """Open, answered and closed challenges are public; a draft only to its agency's staff, its author, admins."""
    return challenge.status in PUBLIC or of_agency(viewer, challenge.agency_id) or (
        signed_in(viewer) and viewer.id == challenge.author_id)


def is_asker(actor: Actor, challenge: Challenge) -> bool:
    """The asking agency's verified staff (or an admin): who marks answers, edits and closes."""
    return of_agency(actor, challenge.agency_id)


def get_challenge(viewer: Actor, slug: str) -> Challenge:
    """The challenge at ``slug``, if ``viewer`` may see it; a hidden draft does not exist."""
    challenge = db.session.scalar(sa.select(Challenge).where(Challenge.slug == str(slug)[:200]))
    if challenge is None or not can_view(viewer, challenge):
        raise NotFound(NO_CHALLENGE)
    return challenge


def public_challenges(tag: Tag | None = None, agency: Agency | None = None, status: str | None = None):
    """A select of the public challenges: open first (most "same problem" agencies first), answered, closed."""
    order = sa.case({"open": 0, "answered": 1, "closed": 2}, value=Challenge.status, else_=3)
    query = sa.select(Challenge).where(Challenge.status.in_(PUBLIC))
    if status in PUBLIC:
        query = query.where(Challenge.status == status)
    if tag is not None:
        query = query.where(Challenge.tags.any(Tag.id == tag.id))
    if agency is not None:
        query = query.where(Challenge.agency_id == agency.id)
    return query.order_by(order, Challenge.same_problem_count.desc(), Challenge.published_at.desc(),
                          Challenge.id.desc())


def list_challenges(page: int = 1, per_page: int = 20, **filters) -> tuple[list[Challenge], int]:
    """One page of public challenges and how many there are."""
    query = public_challenges(**filters)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery())) or 0
    items = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return items, total


def feed(tag: Tag | None = None) -> list[Challenge]:
    """The newest public challenges (at most 50), for the whole site or a topic."""
    query = sa.select(Challenge).where(Challenge.status.in_(PUBLIC))
    if tag is not None:
        query = query.where(Challenge.tags.any(Tag.id == tag.id))
    return list(db.session.scalars(query.order_by(Challenge.published_at.desc(), Challenge.id.desc()).limit(50)))


def topic(viewer: Actor, slug: str) -> Tag:
    """A topic some public challenge (or published practice) uses; otherwise it does not exist here."""
    from exchange.articles.queries import find_tag

    tag = db.session.scalar(sa.select(Tag).where(Tag.slug == str(slug)[:40]))
    used = tag is not None and db.session.scalar(sa.select(Challenge.id).where(
        Challenge.status.in_(PUBLIC), Challenge.tags.any(Tag.id == tag.id)).limit(1)) is not None
    if tag is None or not (used or find_tag(viewer, slug) is not None):
        raise NotFound("There is no such topic.")
    return tag


def drafts_of(viewer: Actor) -> list[Challenge]:
    """The viewer's agency's draft challenges (shown to them above the list)."""
    if not signed_in(viewer):
        return []
    return list(db.session.scalars(sa.select(Challenge).where(
        Challenge.status == "draft", sa.or_(Challenge.agency_id == viewer.agency_id,
                                            Challenge.author_id == viewer.id))
        .order_by(Challenge.updated_at.desc()).limit(20)))


def answers_of(viewer: Actor, challenge: Challenge) -> list[Answer]:
    """The answers the viewer may see: those with published practices, and drafts their agency writes."""
    answers = db.session.scalars(sa.select(Answer).where(Answer.challenge_id == challenge.id)
                                 .order_by(Answer.helped_at.is_(None), Answer.created_at, Answer.id)).all()
    return [a for a in answers if a.article.status == "published" or articles.can_view(viewer, a.article)
            and a.article.status == "draft"]


def helped_with(article: Article) -> list[Answer]:
    """The public challenges this published practice helped with ("Helped Beta City Council with ...")."""
    if article.status != "published":
        return []
    return list(db.session.scalars(
        sa.select(Answer).join(Challenge, Challenge.id == Answer.challenge_id)
        .where(Answer.article_id == article.id, Answer.helped_at.is_not(None), Challenge.status.in_(PUBLIC))
        .order_by(Answer.helped_at.desc())))


def helped_given(author_id: int | None = None, agency_id: int | None = None, limit: int = 20) -> list[Answer]:
    """Answers by this person (or this agency) that the asking agency marked "this helped us", newest first:
    "Helped Beta City Council with: <challenge>" on the /me dashboard and the agency's impact page.
    Public challenges and published practices only."""
    query = (sa.select(Answer).join(Challenge, Challenge.id == Answer.challenge_id)
             .join(Article, Article.id == Answer.article_id)
             .where(Answer.helped_at.is_not(None), Challenge.status.in_(PUBLIC), Article.status == "published"))
    if author_id is not None:
        query = query.where(Answer.author_id == author_id)
    if agency_id is not None:
        query = query.where(Answer.agency_id == agency_id)
    return list(db.session.scalars(query.order_by(Answer.helped_at.desc(), Answer.id.desc()).limit(limit)))


def same_problem_agencies(challenge: Challenge) -> list[SameProblem]:
    """Who said "we have this problem too", oldest first: whom the asking agency could work with."""
    return list(db.session.scalars(sa.select(SameProblem).where(SameProblem.challenge_id == challenge.id)
                                   .order_by(SameProblem.created_at, SameProblem.id)))


def overdue(today: date | None = None) -> list[Challenge]:
    """Open challenges past their deadline with no public answer (for the admin dashboard)."""
    today = today or date.today()
    answered = (sa.select(Answer.id).join(Article, Article.id == Answer.article_id)
                .where(Answer.challenge_id == Challenge.id, Article.status == "published").exists())
    return list(db.session.scalars(sa.select(Challenge).where(
        Challenge.status == "open", Challenge.deadline < today, ~answered).order_by(Challenge.deadline)))


# Writing -----------------------------------------------------------------------------------------

def clean_fields(fields: dict, required=(), today: date | None = None) -> dict:
    """The writable fields, each checked; raises Invalid naming the field."""
    cleaned = {}
    for name in required:
        if fields.get(name) in (None, ""):
            label = {"problem": "The problem"}.get(name, name.capitalize())
            raise Invalid(f"{label} is required.", {name: "required"})
    if "title" in fields:
        cleaned["title"] = article_rules.clean_title(fields["title"])
    if "problem" in fields:
        problem = clean_text(fields["problem"], "problem", max_len=MAX_PROBLEM_BYTES, unit="bytes")
        if not problem.strip():
            raise Invalid("Describe the problem: who is affected, what you tried, what a good answer looks like.",
                          {"problem": "required"})
        cleaned["problem"] = problem
    if "tags" in fields:
        cleaned["tags"] = article_rules.clean_tags(fields["tags"])
    if "deadline" in fields:
        cleaned["deadline"] = _clean_deadline(fields["deadline"], today or date.today())
    if "status" in fields and fields["status"] not in (None, ""):
        if not isinstance(fields["status"], str) or fields["status"] not in STATUSES:
            raise Invalid(f"Status must be one of {', '.join(STATUSES)}.", {"status": "unknown status"})
        cleaned["status"] = fields["status"]
    return cleaned


def _clean_deadline(value, today: date) -> date | None:
    if value in (None, ""):
        return None
    try:
        deadline = value if isinstance(value, date) else date.fromisoformat(str(value).strip())
    except ValueError:
        raise Invalid("Deadline must be a date like 2027-03-31.", {"deadline": "a date like 2027-03-31"}) from None
    if deadline < today:
        raise Invalid("The deadline is in the past: choose a later date, or none.", {"deadline": "in the past"})
    return deadline


def post_challenge(actor: Actor, fields: dict, agency: Agency | None = None, slug: str | None = None) -> Challenge:
    """Ask a new challenge for the actor's agency: a draft, or ``status: open`` (verified members only)."""
    require_member(actor)
    cleaned = clean_fields(fields, required=("title", "problem"))
    status = cleaned.pop("status", "draft")
    if status not in ("draft", "open"):
        raise Invalid("A new challenge is a draft or open.", {"status": "draft or open"})
    agency = agency or actor.agency
    if not (is_admin(actor) or actor.agency_id == agency.id):
        raise Forbidden("You may only ask challenges for your own agency.")
    if status == "open":
        require_verified(actor)
    challenge = Challenge(agency=agency, author=actor, status="draft",
                          slug=_claim_slug(article_rules.clean_slug(slug) if slug else _base_slug(cleaned["title"]),
                                           public=False))
    _apply(challenge, cleaned)
    db.session.add(challenge)
    if status == "open":
        _open(challenge, slug)
        _notify_followers(challenge)
    db.session.commit()
    return challenge


def update_challenge(actor: Actor, challenge: Challenge, fields: dict) -> Challenge:
    """The asking agency edits, publishes (``status: open``) or closes (see ``close``) its challenge."""
    _require_asker(actor, challenge)
    cleaned = clean_fields(fields)
    status = cleaned.pop("status", None)
    if status == "closed" and challenge.status != "closed":
        raise Invalid("Close a challenge with a summary of what you did in the end (close).",
                      {"status": "close with an outcome"})
    if status not in (None, challenge.status, "open") or (status == "open" and challenge.status != "draft"):
        raise Invalid("Only a draft can be opened; answered and closed follow from answers and closing.",
                      {"status": "not a change you can make here"})
    _apply(challenge, cleaned)
    if status == "open" and challenge.status == "draft":
        require_verified(actor)
        _open(challenge)
        _notify_followers(challenge)
    db.session.commit()
    return challenge


def close(actor: Actor, challenge: Challenge, outcome) -> Challenge:
    """The asker closes a public challenge with a summary: what we did in the end."""
    _require_asker(actor, challenge)
    if challenge.status == "draft":
        raise Conflict("A draft is not open yet: publish it or delete it.")
    if challenge.status == "closed":
        raise Conflict("This challenge is already closed.")
    outcome = clean_text(outcome, "outcome", min_len=1, max_len=MAX_NOTE)
    challenge.status, challenge.outcome, challenge.closed_at = "closed", outcome, utcnow()
    challenge.updated_at = utcnow()
    db.session.commit()
    return challenge


def _require_asker(actor: Actor, challenge: Challenge) -> None:
    require_member(actor)
    if not can_view(actor, challenge):
        raise NotFound(NO_CHALLENGE)
    if not is_asker(actor, challenge):
        raise Forbidden(f"Only staff of {challenge.agency.name} and admins may change this challenge.")


def _apply(challenge: Challenge, cleaned: dict) -> None:
    for name in ("title", "problem", "deadline"):
        if name in cleaned:
            setattr(challenge, name, cleaned[name])
    if "problem" in cleaned:
        rendered = render(challenge.problem)
        challenge.html, challenge.text = rendered.html, rendered.text
    if "tags" in cleaned:
        challenge.tags = _tags(cleaned["tags"])
    challenge.updated_at = utcnow()


def _tags(pairs) -> list[Tag]:
    known = {t.slug: t for t in db.session.scalars(sa.select(Tag).where(Tag.slug.in_([s for s, _ in pairs])))}
    for slug, name in pairs:
        if slug not in known:
            known[slug] = Tag(slug=slug, name=name)
            db.session.add(known[slug])
    return [known[slug] for slug, _ in pairs]


def _open(challenge: Challenge, slug: str | None = None) -> None:
    challenge.status, challenge.published_at = "open", utcnow()
    challenge.slug = _claim_slug(article_rules.clean_part(challenge.slug), public=True, explicit=bool(slug),
                                 own=challenge.id)


def _base_slug(title: str) -> str:
    return canonical_slug(title, max_len=80) or "challenge"


def _claim_slug(clean: str, public: bool, explicit: bool = False, own: int | None = None) -> str:
    """A free public address (``clean``, ``clean-2``...), or a draft's private one that tells nothing."""
    if not public:
        while True:
            slug = article_rules.private_slug(clean)
            if db.session.scalar(sa.select(Challenge.id).where(Challenge.slug == slug)) is None:
                return slug
    taken = set(db.session.scalars(sa.select(Challenge.slug).where(
        sa.or_(Challenge.slug == clean, sa.and_(Challenge.slug > f"{clean}-", Challenge.slug < f"{clean}-\uffff")),
        Challenge.status.in_(PUBLIC), Challenge.id != (own or 0))))
    if clean in taken:
        if explicit:
            raise Conflict(f"The slug “{clean}” is taken by another challenge.", {"slug": "taken"})
        n = 2
        while f"{clean}-{n}" in taken:
            n += 1
        clean = f"{clean}-{n}"
    return clean


# Answers -----------------------------------------------------------------------------------------

def answer(actor: Actor, challenge: Challenge, practice_slug=None, note="", draft_title=None) -> Answer:
    """Answer with a published practice (and how it applies), or start a new case-study draft linked to it."""
    require_verified(actor)
    _require_answerable(actor, challenge)
    note = clean_text(note, "note", max_len=MAX_NOTE).strip()
    if practice_slug not in (None, "") and draft_title not in (None, ""):
        raise Invalid("Answer with an existing practice or a new draft, not both.", {"practice": "one or the other"})
    if draft_title not in (None, ""):
        article = articles.create_article(actor, {
            "title": draft_title, "kind": "case_study", "status": "draft",
            "summary": f"How we answered: {challenge.title}"[:400],
            "body": STARTERS["case_study"]})
    else:
        article = _answering_practice(actor, practice_slug)
    if db.session.scalar(sa.select(Answer.id).where(Answer.challenge_id == challenge.id,
                                                    Answer.article_id == article.id)) is not None:
        raise Conflict("This practice already answers this challenge.", {"practice": "already an answer"})
    row = Answer(challenge=challenge, article=article, author=actor, agency_id=actor.agency_id, note=note)
    db.session.add(row)
    db.session.flush()
    if article.status == "published":
        _notify_answer(row)
    db.session.commit()
    return row


def _require_answerable(actor: Actor, challenge: Challenge) -> None:
    if not can_view(actor, challenge) or challenge.status == "draft":
        raise NotFound(NO_CHALLENGE)
    if challenge.status == "closed":
        raise Conflict("This challenge is closed: it takes no more answers.")
    if signed_in(actor) and actor.agency_id == challenge.agency_id:
        raise Forbidden("Your agency asked this challenge: answers come from other agencies.")


def _answering_practice(actor: Actor, slug) -> Article:
    if not isinstance(slug, str) or not slug.strip():
        raise Invalid("Choose the practice that answers the challenge.", {"practice": "required"})
    article = db.session.scalar(sa.select(Article).where(Article.slug == slug.strip()[:200]))
    if article is None or not articles.can_view(actor, article) or article.status == "draft":
        raise Invalid("Answer with a published practice: drafts are not answers until they are published.",
                      {"practice": "not a published practice"})
    if article.status != "published":
        raise Invalid("This practice is withdrawn (archived): answer with a published one.",
                      {"practice": "archived"})
    return article


def get_answer(viewer: Actor, challenge: Challenge, answer_id) -> Answer:
    """One answer to ``challenge`` that the viewer may see."""
    found = next((a for a in answers_of(viewer, challenge) if str(a.id) == str(answer_id)), None)
    if found is None:
        raise NotFound(NO_ANSWER)
    return found


def mark_helped(actor: Actor, answer_: Answer, why, adopt: bool = False, story: dict | None = None) -> Answer:
    """The asking agency says "this helped us" (and why); with ``adopt``, records its adoption of the practice,
    with its story (``adopted_on``, ``status``, ``outcome``: ``endorsements.endorse``'s, checked the same way)."""
    challenge = answer_.challenge
    require_verified(actor)
    if not is_asker(actor, challenge):
        raise Forbidden(f"Only staff of {challenge.agency.name} mark what helped them.")
    if answer_.article.status != "published":
        raise Conflict("Only an answer with a published practice can be marked as helpful.")
    if why is None or (isinstance(why, str) and not why.strip()):
        raise Invalid(WHY_MISSING, {"why": WHY_MISSING})
    why = clean_line(why, "why", min_len=1, max_len=MAX_WHY)
    if not isinstance(adopt, bool):
        raise Invalid("adopt must be true or false.", {"adopt": "true or false"})
    if story is not None and not isinstance(story, dict):
        raise Invalid("The adoption story must be an object.", {"story": "an object"})
    story = {key: value for key, value in (story or {}).items() if key in endorsements.STORY_FIELDS}
    endorsements.check_story("adopt" if adopt else "endorse", story)  # before anything changes
    if adopt:
        refusal = endorsements.refusal(actor, answer_.article)
        if refusal:
            raise Forbidden(refusal)
    answer_.helped_at = answer_.helped_at or utcnow()
    answer_.helped_by_id, answer_.helped_why = actor.id, why
    if challenge.status == "open":
        challenge.status = "answered"
    db.session.flush()
    endorsements.recount(answer_.article)
    _notify_helped(answer_, actor)
    if adopt:
        endorsements.endorse(actor, answer_.article, "adopt", why, story)  # commits the whole step
    else:
        db.session.commit()
    return answer_


def unmark_helped(actor: Actor, answer_: Answer) -> Answer:
    """Take back "this helped us" (the adoption, if any, stays: it is withdrawn on the practice)."""
    challenge = answer_.challenge
    require_member(actor)
    if not is_asker(actor, challenge):
        raise Forbidden(f"Only staff of {challenge.agency.name} mark what helped them.")
    answer_.helped_at, answer_.helped_by_id, answer_.helped_why = None, None, ""
    db.session.flush()
    if challenge.status == "answered" and not any(a.helped for a in answers_of(actor, challenge)):
        challenge.status = "open"
    endorsements.recount(answer_.article)
    db.session.commit()
    return answer_


def helped_support(article) -> list:
    """Ranking's extension: each answer the asking agency marked "this helped us" counts as one
    endorsement from that agency (with the endorsement rules: a quarter from the practice's own agency)."""
    if article.id is None:
        return []
    agencies = db.session.scalars(
        sa.select(Challenge.agency_id).join(Answer, Answer.challenge_id == Challenge.id)
        .where(Answer.article_id == article.id, Answer.helped_at.is_not(None))
        .order_by(Answer.helped_at, Answer.id)).all()
    return [Support(agency_id, BASE_WEIGHT["endorse"], "helpful answers") for agency_id in agencies]


# Same problem ------------------------------------------------------------------------------------

def same_problem(actor: Actor, challenge: Challenge) -> SameProblem:
    """Say "we have this problem too", once per agency."""
    require_verified(actor)
    if not can_view(actor, challenge) or challenge.status == "draft":
        raise NotFound(NO_CHALLENGE)
    if actor.agency_id == challenge.agency_id:
        raise Forbidden("This is your agency's own challenge.")
    if challenge.status == "closed":
        raise Conflict("This challenge is closed.")
    _lock(challenge)
    existing = db.session.scalar(sa.select(SameProblem).where(
        SameProblem.challenge_id == challenge.id, SameProblem.agency_id == actor.agency_id))
    if existing is not None:
        db.session.rollback()
        raise Conflict(f"Your agency already said it has this problem ({existing.user.name}).",
                       {"agency": "already counted"})
    vote = SameProblem(challenge_id=challenge.id, agency_id=actor.agency_id, user_id=actor.id)
    db.session.add(vote)
    db.session.flush()
    _recount(challenge)
    db.session.commit()
    return vote


def withdraw_same_problem(actor: Actor, challenge: Challenge) -> bool:
    """Take back your agency's "same problem" (any of its staff may); False when there was none."""
    require_member(actor)
    if not can_view(actor, challenge) or challenge.status == "draft":
        raise NotFound(NO_CHALLENGE)
    _lock(challenge)
    deleted = db.session.execute(sa.delete(SameProblem).where(
        SameProblem.challenge_id == challenge.id, SameProblem.agency_id == actor.agency_id)).rowcount
    _recount(challenge)
    db.session.commit()
    return bool(deleted)


def _lock(challenge: Challenge) -> None:
    db.session.execute(sa.select(Challenge.id).where(Challenge.id == challenge.id).with_for_update())


def _recount(challenge: Challenge) -> None:
    count = db.session.scalar(sa.select(sa.func.count(SameProblem.id))
                              .where(SameProblem.challenge_id == challenge.id)) or 0
    challenge.same_problem_count = count


# Notifications ----------------------------------------------------------------------------------

MESSAGES = {
    "new_challenge": "New challenge in what you follow: “{title}” from {agency}.",
    "challenge_answer": "{actor} answered your agency's challenge “{title}”.",
    "challenge_helped": "{agency} marked your answer to “{title}” as helpful.",
    "challenge_comment": "{actor} commented on your agency's challenge “{title}”.",
}


def _notify_followers(challenge: Challenge) -> None:
    """A newly open challenge: tell those who follow its topics or its agency (in-site, and email per choice)."""
    from exchange.community.models import Follow
    from exchange.community.notifications import notify

    db.session.flush()
    condition = Follow.agency_id == challenge.agency_id
    if challenge.tags:
        condition = sa.or_(condition, Follow.tag_id.in_([t.id for t in challenge.tags]))
    notify(sa.select(Follow.user_id).where(condition), "new_challenge", f"challenge:{challenge.id}",
           actor_id=challenge.author_id)


def _notify_answer(row: Answer) -> None:
    from exchange.community.notifications import notify

    notify([row.challenge.author_id], "challenge_answer", f"challenge-answer:{row.id}", actor_id=row.author_id,
           article_id=row.article_id)


def _notify_helped(row: Answer, actor) -> None:
    from exchange.community.notifications import notify

    notify([row.author_id], "challenge_helped", f"challenge-helped:{row.id}", actor_id=actor.id,
           article_id=row.article_id)


def preload(notifications) -> list:
    """Load the challenges and answers these notifications name in two statements (``describe`` reads them)."""
    numbers = {"challenge": set(), "answer": set(), "challenge-comment": set()}
    for notification in notifications:
        kind, _, number = notification.key.partition(":")
        if number.isdigit():
            numbers[kind if kind in numbers else "answer"].add(int(number))
    loaded = []
    if numbers["challenge-comment"]:
        from sqlalchemy.orm import joinedload

        from exchange.community.models import Comment

        loaded += db.session.scalars(sa.select(Comment).options(joinedload(Comment.challenge))
                                     .where(Comment.id.in_(numbers["challenge-comment"]))).unique()
    if numbers["challenge"]:
        loaded += db.session.scalars(sa.select(Challenge).where(Challenge.id.in_(numbers["challenge"]))).unique()
    if numbers["answer"]:
        loaded += db.session.scalars(sa.select(Answer).where(Answer.id.in_(numbers["answer"]))).unique()
    return loaded


def describe(notification) -> tuple[str, str]:
    """The sentence and link of a challenge notification (``community.notifications.add_kind``)."""
    from flask import url_for

    kind, _, number = notification.key.partition(":")
    number = int(number) if number.isdigit() else 0
    if kind == "challenge":
        challenge, anchor = db.session.get(Challenge, number), None
    elif kind == "challenge-comment":
        return _describe_comment(notification, number)
    else:
        row = db.session.get(Answer, number)
        challenge, anchor = (row.challenge, f"answer-{row.id}") if row else (None, None)
    if challenge is None or challenge.status not in PUBLIC:
        return "A challenge that is no longer there.", url_for("challenges.index")
    actor = notification.actor
    text = MESSAGES[notification.kind].format(title=challenge.title, agency=challenge.agency.name,
                                              actor=actor.name if actor else "Someone")
    return text, url_for("challenges.show", slug=challenge.slug, _anchor=anchor)


# Plain comments under a challenge (the house rules and moderation of community comments) ----------

def comments_of(viewer: Actor, challenge: Challenge) -> list:
    """The comments under the challenge this viewer may read, oldest first (``community.services.Entry``)."""
    from exchange.community import services as community

    if not can_view(viewer, challenge):
        return []
    return community.list_challenge_comments(viewer, challenge)


def comment(actor: Actor, challenge: Challenge, body):
    """A verified member comments; on a draft, only the asking agency's staff (and admins) may.

    Empty, too long, brief, more than one link, a blocked domain or the same text twice in a minute
    are refused (``community.rules``); a link from a new account waits for a moderator.
    """
    from exchange.community import services as community

    require_verified(actor)
    _require_commentable(actor, challenge)
    row = community.add_challenge_comment(actor, challenge, body)
    if row.status == "published":
        announce_comment(row)
    db.session.commit()
    return row


def _require_commentable(actor: Actor, challenge: Challenge) -> None:
    if not can_view(actor, challenge) or (challenge.status == "draft" and not is_asker(actor, challenge)):
        raise NotFound(NO_CHALLENGE)


def check_comments(viewer: Actor, challenge: Challenge | None) -> None:
    """Whether the viewer may read a comment under this challenge (its draft is its agency's own)."""
    if challenge is None or not can_view(viewer, challenge):
        raise NotFound("There is no such comment.")


def announce_comment(row) -> None:
    """A comment published under a challenge: tell the asking agency's verified staff, once per comment."""
    from exchange.accounts.models import User
    from exchange.community.notifications import notify

    staff = sa.select(User.id).where(User.agency_id == row.challenge.agency_id, User.active.is_(True),
                                     User.verified_at.is_not(None))
    notify(staff, "challenge_comment", f"challenge-comment:{row.id}", actor_id=row.author_id, comment_id=row.id)


def _describe_comment(notification, number: int) -> tuple[str, str]:
    from flask import url_for

    from exchange.accounts.models import User
    from exchange.community.models import Comment

    row = db.session.get(Comment, number)
    challenge = row.challenge if row is not None else None
    reader = db.session.get(User, notification.user_id)
    if challenge is None or not can_view(reader, challenge):
        return "A challenge that is no longer there.", url_for("challenges.index")
    actor = notification.actor
    text = MESSAGES["challenge_comment"].format(title=challenge.title, actor=actor.name if actor else "Someone")
    return text, url_for("challenges.show", slug=challenge.slug, _anchor=f"comment-{row.id}")
