"""The moderation queue where admins act on members' flags and held comments; every action is audited."""
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from exchange import audit, permissions
from exchange.accounts.models import User
from exchange.articles import services as articles
from exchange.articles.models import Article
from exchange.challenges.models import Challenge
from exchange.community.models import Comment, Flag, as_id
from exchange.community.notifications import notify
from exchange.community.services import announce
from exchange.db import db, utcnow
from exchange.errors import Conflict, NotFound
from exchange.permissions import Actor

MAX_DETAILS = 1000


def require_admin(actor: Actor) -> None:
    """Moderation is for admins."""
    permissions.require_admin(actor, "This area is for administrators.")


# The queue (admins) -------------------------------------------------------------

@dataclass
class Queue:
    pending: list[Comment]
    flags: list[Flag]

    @property
    def empty(self) -> bool:
        return not self.pending and not self.flags


# A challenge's comment names its challenge (title and address), in the same statement; its topics are not needed.
_CHALLENGE = joinedload(Comment.challenge).lazyload(Challenge.tags)


def queue(actor: Actor, limit: int = 200) -> Queue:
    """Comments waiting for approval and open flags, oldest first: two queries."""
    require_admin(actor)
    pending = db.session.scalars(sa.select(Comment)
                                 .options(joinedload(Comment.article), _CHALLENGE)
                                 .where(Comment.status == "pending")
                                 .order_by(Comment.created_at, Comment.id).limit(limit)).unique().all()
    flags = db.session.scalars(sa.select(Flag).options(joinedload(Flag.comment).options(_CHALLENGE))
                               .where(Flag.status == "open")
                               .order_by(Flag.created_at, Flag.id).limit(limit)).unique().all()
    return Queue(list(pending), list(flags))


def get_comment(comment_id) -> Comment:
    comment = db.session.get(Comment, _as_id(comment_id))
    if comment is None:
        raise NotFound("There is no such comment.")
    return comment


def get_flag(flag_id) -> Flag:
    report = db.session.get(Flag, _as_id(flag_id))
    if report is None:
        raise NotFound("There is no such flag.")
    return report


def approve_comment(actor: Actor, comment: Comment) -> Comment:
    """Publish a comment that waited for approval, and tell its audience."""
    require_admin(actor)
    if comment.status != "pending":
        raise Conflict("This comment is not waiting for approval.")
    _moderate(actor, comment, "published", "comment.approve")
    parent = db.session.get(Comment, comment.parent_id) if comment.parent_id else None
    announce(comment, comment.article, parent)
    _tell_author(actor, comment, "comment_approved")
    db.session.commit()
    return comment


def hide_comment(actor: Actor, comment: Comment) -> Comment:
    """Hide a comment from readers; its open flags are resolved."""
    require_admin(actor)
    if comment.status not in ("published", "pending"):
        raise Conflict("This comment is already hidden or deleted.")
    _moderate(actor, comment, "hidden", "comment.hide")
    _tell_reporters(actor, Flag.comment_id == comment.id, "flag_upheld")
    _resolve(actor, Flag.comment_id == comment.id, "actioned")
    _tell_author(actor, comment, "comment_hidden")
    db.session.commit()
    return comment


def _tell_author(actor: Actor, comment: Comment, kind: str) -> None:
    """The moderation outcome, to the comment's author (in the site, and by email as they choose)."""
    notify([comment.author_id], kind, f"{kind}:{comment.id}:{utcnow():%Y%m%d%H%M%S}",
           actor_id=getattr(actor, "id", None), article_id=comment.article_id, comment_id=comment.id)


def _tell_reporters(actor: Actor, which, kind: str) -> None:
    """Those whose open reports an action settles hear what came of them."""
    for report in db.session.scalars(sa.select(Flag).where(which, Flag.status == "open")).unique():
        _tell_reporter(actor, report, kind)


def _tell_reporter(actor: Actor, report: Flag, kind: str) -> None:
    notify([report.reporter_id], kind, f"{kind}:{report.id}", actor_id=getattr(actor, "id", None),
           article_id=report.article_id, comment_id=report.comment_id)


def restore_comment(actor: Actor, comment: Comment) -> Comment:
    """Show a hidden comment again."""
    require_admin(actor)
    if comment.status != "hidden":
        raise Conflict("This comment is not hidden.")
    _moderate(actor, comment, "published", "comment.restore")
    db.session.commit()
    return comment


def dismiss_flag(actor: Actor, report: Flag) -> Flag:
    """Close a flag without acting on what it reports."""
    require_admin(actor)
    _require_open(report)
    report.status, report.resolved_at, report.resolved_by_id = "dismissed", utcnow(), actor.id
    audit.record(actor, "flag.dismiss", "flag", report.id, _flag_detail(report))
    _tell_reporter(actor, report, "flag_dismissed")
    author = report.comment.author_id if report.comment is not None else report.article.author_id
    notify([author], "report_dismissed", f"report_dismissed:{report.id}", actor_id=actor.id,
           article_id=report.article_id, comment_id=report.comment_id)
    db.session.commit()
    return report


def refer_flag(actor: Actor, report: Flag) -> Flag:
    """Pass an "out of date" report on an article to its agency as a review request: its staff are told."""
    require_admin(actor)
    _require_open(report)
    if report.reason != "out_of_date" or report.comment_id is not None:
        raise Conflict("Only a report that an article is out of date can be passed to its agency to review.")
    report.status, report.resolved_at, report.resolved_by_id = "referred", utcnow(), actor.id
    article = report.article
    audit.record(actor, "flag.refer", "flag", report.id, _flag_detail(report))
    staff = sa.select(User.id).where(User.agency_id == article.agency_id, User.active.is_(True))
    notify(staff, "review_requested", f"review_requested:{report.id}", actor_id=actor.id, article_id=article.id)
    _tell_reporter(actor, report, "flag_referred")
    db.session.commit()
    return report


def review_request(article: Article) -> Flag | None:
    """The latest out-of-date report passed to the article's agency since it was last updated, if any."""
    return db.session.scalars(sa.select(Flag).where(
        Flag.article_id == article.id, Flag.status == "referred", Flag.resolved_at > article.updated_at)
        .order_by(Flag.resolved_at.desc()).limit(1)).first()


def archive_flagged_article(actor: Actor, report: Flag) -> Article:
    """Archive the article a flag reports; its open article flags are resolved."""
    require_admin(actor)
    _require_open(report)
    article = report.article
    if article is None:  # a comment under a challenge: hiding the comment is the action
        raise Conflict("This flag reports a comment under a challenge: there is no article to archive.")
    audit.record(actor, "article.archive", "article", article.slug, f"flag #{report.id}: {_flag_detail(report)}")
    _resolve(actor, sa.and_(Flag.article_id == article.id, Flag.comment_id.is_(None)), "actioned")
    return articles.archive(actor, article)  # commits the audit entry and the flags with it


def _moderate(actor: Actor, comment: Comment, status: str, action: str) -> None:
    comment.status, comment.moderated_by_id, comment.moderated_at = status, actor.id, utcnow()
    where = "articles" if comment.article_id is not None else "challenges"
    audit.record(actor, action, "comment", comment.id, f"on /{where}/{comment.subject.slug}")


def _resolve(actor: Actor, which, status: str) -> None:
    db.session.execute(sa.update(Flag).where(which, Flag.status == "open")
                       .values(status=status, resolved_at=utcnow(), resolved_by_id=actor.id)
                       .execution_options(synchronize_session="fetch"))


def _require_open(report: Flag) -> None:
    if report.status != "open":
        raise Conflict("This flag has already been handled.")


def _flag_detail(report: Flag) -> str:
    target = f"comment {report.comment_id}" if report.comment_id else f"/articles/{report.article.slug}"
    return f"{report.reason} on {target}" + (f": {report.details[:200]}" if report.details else "")


def _as_id(value) -> int:
    if as_id(value) is None:
        raise NotFound("There is nothing at this address.")
    return as_id(value)
