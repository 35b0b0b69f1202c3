"""Comments: add, edit, delete and list them under the house rules (``rules.py``)."""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from exchange.accounts.models import User
from exchange.articles.models import Article
from exchange.articles.services import get_article
from exchange.community import rules
from exchange.community.models import FLAG_REASONS, Comment, Flag, Follow, as_id
from exchange.community.notifications import notify
from exchange.db import db, utcnow
from exchange.errors import Conflict, Forbidden, Invalid, NotFound
from exchange.markdown import comment_links, render_comment
from exchange.permissions import Actor, is_admin, require_member, require_verified, signed_in
from exchange.text import clean_text

NO_COMMENT = "There is no such comment."


@dataclass(frozen=True)
class Subject:
    """Something other than an article that takes comments, added by a domain above (challenges)."""

    check: Callable  # (viewer, subject): raise NotFound where the viewer may not see its comments
    announce: Callable  # (comment): tell the audience of a comment just published under it


SUBJECTS: dict[str, Subject] = {}


def add_subject(kind: str, check: Callable, announce: Callable) -> None:
    """Let ``kind`` (only "challenge" so far: ``Comment.challenge``) take comments under these house rules."""
    SUBJECTS[kind] = Subject(check, announce)


def commentable_article(viewer: Actor, slug: str) -> Article:
    """The article behind a comments address: a draft has no comments (404, like the draft itself)."""
    article = get_article(viewer, slug)
    if article.status == "draft":
        raise NotFound("There is no article at this address.")
    return article


@dataclass
class Entry:
    """A comment as one reader sees it: in ``full``, or as a placeholder that keeps its replies in place."""

    comment: Comment
    full: bool
    replies: list["Entry"] = field(default_factory=list)


def _can_see_text(viewer: Actor, comment: Comment) -> bool:
    if comment.status == "published":
        return True
    if comment.status == "deleted" or not signed_in(viewer):
        return False
    return is_admin(viewer) or viewer.id == comment.author_id  # pending or hidden: its author and admins


def list_comments(viewer: Actor, article: Article) -> list[Entry]:
    """The article's conversation for this reader, oldest first, replies under their comment: one query."""
    return _conversation(viewer, Comment.article_id == article.id)


def list_challenge_comments(viewer: Actor, challenge) -> list[Entry]:
    """The comments under a challenge the viewer may see (``SUBJECTS`` checks), oldest first: one query."""
    return _conversation(viewer, Comment.challenge_id == challenge.id)


def _conversation(viewer: Actor, under) -> list[Entry]:
    comments = db.session.scalars(sa.select(Comment).where(under)
                                  .order_by(Comment.created_at, Comment.id)).all()
    replies: dict[int, list[Entry]] = {}
    for comment in comments:
        if comment.parent_id is not None and _can_see_text(viewer, comment):
            replies.setdefault(comment.parent_id, []).append(Entry(comment, True))
    entries = []
    for comment in comments:
        if comment.parent_id is not None:
            continue
        entry = Entry(comment, _can_see_text(viewer, comment), replies.get(comment.id, []))
        if entry.full or (entry.replies and comment.status in ("hidden", "deleted")):
            entries.append(entry)
    return entries


def count_shown(entries: list[Entry]) -> int:
    """How many comments a reader can read."""
    return sum(e.full for e in entries) + sum(r.full for e in entries for r in e.replies)


def get_comment(viewer: Actor, comment_id) -> Comment:
    """A comment the viewer may read (its article visible and not a draft, or its challenge visible)."""
    comment = db.session.get(Comment, as_id(comment_id)) if as_id(comment_id) else None
    if comment is None or not _can_see_text(viewer, comment):
        raise NotFound(NO_COMMENT)
    if comment.article_id is None:
        if "challenge" not in SUBJECTS:
            raise NotFound(NO_COMMENT)
        SUBJECTS["challenge"].check(viewer, comment.challenge)
        return comment
    commentable_article(viewer, comment.article.slug)
    return comment


def add_comment(actor: Actor, article: Article, body, parent_id=None) -> Comment:
    """Publish a comment (or hold it for an admin, see ``rules.needs_approval``) and notify."""
    require_verified(actor)
    if article.status == "draft":
        raise NotFound("There is no article at this address.")
    if article.status != "published":
        raise Forbidden("This article is archived: comments are closed.")
    body = rules.clean_body(body)
    has_link = rules.check_links(body, current_app.config["COMMENT_LINK_BLOCKLIST"])
    _refuse_repeat(actor, article, body)
    parent = _parent(actor, article, parent_id)
    comment = Comment(article_id=article.id, author=actor, parent_id=parent.id if parent else None, body=body,
                      html=render_comment(body), has_link=has_link,
                      status="pending" if _held(actor, has_link) else "published")
    db.session.add(comment)
    db.session.flush()
    if comment.status == "published":
        announce(comment, article, parent)
    db.session.commit()
    return comment


def add_challenge_comment(actor: Actor, challenge, body) -> Comment:
    """A plain comment under a challenge, under the same house rules (the challenges domain checks first who
    may comment on it); not committed: its caller tells the audience (``SUBJECTS``) and commits."""
    require_verified(actor)
    body = rules.clean_body(body)
    has_link = rules.check_links(body, current_app.config["COMMENT_LINK_BLOCKLIST"])
    _refuse_repeat_under(actor, Comment.challenge_id == challenge.id, body)
    comment = Comment(challenge_id=challenge.id, author=actor, body=body, html=render_comment(body),
                      has_link=has_link, status="pending" if _held(actor, has_link) else "published")
    db.session.add(comment)
    db.session.flush()
    return comment


REPEAT = "You sent this same comment a moment ago: it is already there."
REPEAT_WINDOW = timedelta(minutes=1)


def _refuse_repeat(actor: Actor, article: Article, body: str) -> None:
    """Refuse the author's identical comment on this article within a minute (double clicks, retries).

    The author's row is locked first (PostgreSQL; SQLite's writers already take turns), so
    simultaneous copies take turns too, and each sees the one before it.
    """
    _refuse_repeat_under(actor, Comment.article_id == article.id, body)


def _refuse_repeat_under(actor: Actor, under, body: str) -> None:
    db.session.execute(sa.select(User.id).where(User.id == actor.id).with_for_update())
    repeat = db.session.scalar(sa.select(Comment.id).where(
        Comment.author_id == actor.id, under, Comment.body == body,
        Comment.created_at >= utcnow() - REPEAT_WINDOW).limit(1))
    if repeat is not None:
        raise Conflict(REPEAT, {"body": REPEAT})


def edit_comment(actor: Actor, comment: Comment, body) -> Comment:
    """The author changes their comment; the house rules apply again."""
    require_editable(actor, comment)
    body = rules.clean_body(body)
    has_link = rules.check_links(body, current_app.config["COMMENT_LINK_BLOCKLIST"])
    if body == comment.body:
        return comment
    was = comment.status
    # An approved link may stay while the words around it change; a new link is judged afresh.
    same_link = was == "published" and comment_links(comment.body) == comment_links(body)
    comment.body, comment.html, comment.has_link = body, render_comment(body), has_link
    comment.status = "pending" if not same_link and _held(actor, has_link, editing=comment) else "published"
    comment.edited_at = comment.updated_at = utcnow()
    db.session.flush()
    if was == "pending" and comment.status == "published":
        announce(comment, comment.article, db.session.get(Comment, comment.parent_id) if comment.parent_id else None)
    db.session.commit()
    return comment


def require_editable(actor: Actor, comment: Comment) -> None:
    """Only its author edits a comment, and not once a moderator has hidden it."""
    _require_author(actor, comment)
    if comment.status in ("hidden", "deleted"):
        raise Forbidden("This comment was hidden by a moderator and can no longer be edited.")


def delete_comment(actor: Actor, comment: Comment) -> None:
    """The author takes their comment back; replies to it stay, under a placeholder."""
    _require_author(actor, comment)
    comment.status, comment.body, comment.html, comment.has_link = "deleted", "", "", False
    comment.updated_at = utcnow()
    db.session.commit()


def announce(comment: Comment, article: Article, parent: Comment | None) -> None:
    """Tell the comment's audience, once per comment: the answered author, the article's author, followers."""
    if comment.article_id is None and "challenge" in SUBJECTS:  # a challenge's comment: its domain says who
        SUBJECTS["challenge"].announce(comment)
        return
    key, ids = f"comment:{comment.id}", {"actor_id": comment.author_id, "article_id": article.id,
                                         "comment_id": comment.id}
    if parent is not None:
        notify([parent.author_id], "replied", key, **ids)
    notify([article.author_id], "commented", key, **ids)
    notify(sa.select(Follow.user_id).where(Follow.article_id == article.id), "followed_comment", key, **ids)


def _parent(actor: Actor, article: Article, parent_id) -> Comment | None:
    """The comment answered: replies are one level deep, so answering a reply answers its comment."""
    if parent_id in (None, ""):
        return None
    parent = db.session.get(Comment, as_id(parent_id)) if as_id(parent_id) else None
    if parent is None or parent.article_id != article.id or parent.status != "published":
        raise Invalid("The comment you are answering is not there any more.", {"parent_id": "no such comment"})
    if parent.parent_id is not None:
        parent = db.session.get(Comment, parent.parent_id)
    return parent


def _held(author, has_link: bool, editing: Comment | None = None) -> bool:
    if not has_link or author.is_admin:
        return False
    with_link = sa.func.count(sa.case((Comment.has_link.is_(True), 1)))
    query = sa.select(sa.func.count(Comment.id), with_link).where(
        Comment.author_id == author.id, Comment.status == "published")
    if editing is not None:
        query = query.where(Comment.id != editing.id)  # a comment cannot vouch for its own new link
    published, published_with_link = db.session.execute(query).one()
    return rules.needs_approval(author, has_link, rules.History(published, published_with_link), utcnow(),
                                current_app.config["COMMENT_NEW_ACCOUNT_DAYS"])


def _require_author(actor: Actor, comment: Comment) -> None:
    require_member(actor)
    if comment.author_id != actor.id:
        raise Forbidden("Only its author may change or delete a comment.")


# Flags (members report to the moderators) ------------------------------------------

MAX_FLAG_DETAILS = 1000

def flag(actor: Actor, article: Article, reason, details="", comment: Comment | None = None) -> Flag:
    """Report an article, or a comment on it, to the moderators; a repeat report updates the first."""
    require_verified(actor)
    if article.status == "draft" or (comment is not None and comment.article_id != article.id):
        raise NotFound("There is nothing to report at this address.")
    if comment is not None and comment.status != "published":
        raise NotFound("There is no such comment.")
    reason, details = _clean_reason(reason, details)
    existing = db.session.scalar(sa.select(Flag).where(
        Flag.reporter_id == actor.id, Flag.article_id == article.id, Flag.status == "open",
        Flag.comment_id == comment.id if comment is not None else Flag.comment_id.is_(None)))
    report = existing or Flag(reporter=actor, article=article, comment=comment)
    report.reason, report.details = reason, details
    db.session.add(report)
    db.session.commit()
    return report


def flag_challenge_comment(actor: Actor, comment: Comment, reason, details="") -> Flag:
    """Report a comment under a challenge (one the reporter can see, ``get_comment``); a repeat updates the first."""
    require_verified(actor)
    if comment.challenge_id is None or comment.status != "published":
        raise NotFound(NO_COMMENT)
    reason, details = _clean_reason(reason, details)
    existing = db.session.scalar(sa.select(Flag).where(
        Flag.reporter_id == actor.id, Flag.comment_id == comment.id, Flag.status == "open"))
    report = existing or Flag(reporter=actor, comment=comment)
    report.reason, report.details = reason, details
    db.session.add(report)
    db.session.commit()
    return report


def _clean_reason(reason, details) -> tuple[str, str]:
    reason = (reason or "").strip()
    if reason not in FLAG_REASONS:
        message = f"Choose a reason: {', '.join(FLAG_REASONS)}."
        raise Invalid(message, {"reason": "choose one of the reasons"})
    details = clean_text(details, "details", max_len=MAX_FLAG_DETAILS).strip()
    if reason == "other" and not details:
        message = "Tell the moderators what is wrong."
        raise Invalid(message, {"details": message})
    return reason, details
