"""In-site notifications: one producer, ``notify``, the events it hears, and reading them.

Every producer calls ``notify(recipients, kind, key, ...)``. It writes Notification
rows in the caller's transaction, at most one per recipient and event ``key``
(a unique constraint, inserted with ON CONFLICT DO NOTHING), so an event seen
twice, or undone and redone, notifies once. Delivery channels only read rows: the
site shows them (the header count and /notifications); an email digest can be
added later by reading the same rows, without changing any producer.

Comments call ``notify`` from their services. Publication and endorsements are
heard in the session's flush (``after_flush``), so the article and endorsement
code needs no knowledge of notifications.
"""
import functools
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa
from blinker import Namespace
from flask import url_for
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from exchange.articles.models import Article, article_tags
from exchange.community.models import Comment, Follow, Notification, as_id
from exchange.db import db, utcnow
from exchange.endorsements.models import Endorsement
from exchange.pagecache import versioned
from exchange.permissions import Actor, is_admin, is_verified

MESSAGES = {
    "endorsed": "{actor} endorsed your practice “{title}”.",
    "adopted": "{actor} recorded that {actor_agency} adopted your practice “{title}”.",
    "commented": "{actor} commented on your practice “{title}”.",
    "replied": "{actor} answered your comment on “{title}”.",
    "followed_comment": "{actor} commented on “{title}”, which you follow.",
    "new_article": "New from what you follow: “{title}” from {agency}.",
    "comment_approved": "A moderator approved your comment on “{title}”: it is published.",
    "comment_hidden": "A moderator hid your comment on “{title}” under the house rules.",
    "flag_upheld": "A moderator hid the comment you reported on “{title}”. Thank you for reporting it.",
    "flag_dismissed": "A moderator looked at what you reported on “{title}” and left it as it is.",
    "report_dismissed": "Someone reported your {what} “{title}”; a moderator looked and left it as it is.",
    "flag_referred": "A moderator passed your report that “{title}” is out of date to {agency} to review.",
    "review_requested": "A reader reported that your agency's practice “{title}” may be out of date: "
                        "{actor} asked {agency} to review it.",
    "sign_in_paused": ("There were several failed attempts to sign in to your account, so signing in was paused "
                       "for a while. If that was not you, no one got in; if you are unsure, change your password."),
}
PER_PAGE = 30
# Kinds the domains above add (challenges), each with its describer: notification -> (sentence, link),
# and what loads, in one go, the rows a page of such notifications needs (so each describer finds them loaded).
DESCRIBERS: dict = {}
PRELOADERS: dict = {}
# Rows just written by ``notify``, with the session they were written in: email (exchange/mail) hears it.
notified = Namespace().signal("notified")


def notify(recipients, kind: str, key: str, *, actor_id=None, article_id=None, comment_id=None,
           session=None) -> None:
    """Tell each recipient (user ids, or a select of user ids) about one event, once per recipient."""
    if kind not in MESSAGES and kind not in DESCRIBERS:
        raise ValueError(f"unknown notification kind {kind!r}")
    connection = (session or db.session).connection()
    if isinstance(recipients, sa.Select):
        recipients = connection.execute(recipients).scalars().all()
    users = sorted({int(user) for user in recipients if user is not None and user != actor_id})
    if not users:
        return
    now = utcnow()
    rows = [{"user_id": user, "kind": kind, "key": key[:120], "actor_id": actor_id, "article_id": article_id,
             "comment_id": comment_id, "created_at": now} for user in users]
    _insert_new(connection, rows)
    if not (session or db.session).info.get(HISTORY):
        notified.send(session or db.session, kind=kind, key=key[:120], user_ids=users)


HISTORY = "exchange.history"


@contextmanager
def as_history(session):
    """Past events loaded in bulk (``content load``): recorded on the site, never sent as news by email."""
    session.info[HISTORY] = session.info.get(HISTORY, 0) + 1
    try:
        yield
    finally:
        session.info[HISTORY] -= 1


def _insert_new(connection, rows: list[dict]) -> None:
    """Insert the rows whose (user, key) is not there yet."""
    table = Notification.__table__
    dialects = {"postgresql": postgresql, "sqlite": sqlite}
    if connection.dialect.name in dialects:
        connection.execute(dialects[connection.dialect.name].insert(table).on_conflict_do_nothing(), rows)
        return
    for row in rows:  # any other database: one savepoint per row
        try:
            with connection.begin_nested():
                connection.execute(table.insert(), row)
        except IntegrityError:
            pass


# Events heard in the flush ------------------------------------------------------

def listen(session_factory) -> None:
    """Hear publications and endorsements in every session this factory makes."""
    if not sa.event.contains(session_factory, "after_flush", _after_flush):
        sa.event.listen(session_factory, "after_flush", _after_flush)


def _after_flush(session, _flush_context) -> None:
    # Runs inside the flush: new rows have ids and attribute history is still there.
    for obj in list(session.new) + list(session.dirty):
        is_new = obj in session.new
        if isinstance(obj, Article) and _became(obj, "status", "published", is_new):
            _announce_article(session, obj)
        elif type(obj).__name__ == "Endorsement" and (is_new or _changed(obj, "kind")):
            _announce_endorsement(session, obj)


def _became(obj, attribute: str, value, is_new: bool) -> bool:
    if is_new:
        return getattr(obj, attribute) == value
    history = sa.inspect(obj).attrs[attribute].history
    return bool(history.added) and history.added[-1] == value and value not in (history.deleted or ())


def _changed(obj, attribute: str) -> bool:
    try:
        return sa.inspect(obj).attrs[attribute].history.has_changes()
    except KeyError:
        return False


def _follows_article(article: Article):
    """Those who follow the article's topics, its agency or its author: who hear of its publication."""
    topics = sa.select(article_tags.c.tag_id).where(article_tags.c.article_id == article.id)
    return sa.or_(Follow.tag_id.in_(topics), Follow.agency_id == article.agency_id,
                  Follow.person_id == article.author_id)


def _announce_article(session, article: Article) -> None:
    """A newly published article: tell those who follow its topics, its agency or its author."""
    notify(sa.select(Follow.user_id).where(_follows_article(article)), "new_article", f"article:{article.id}",
           actor_id=article.author_id, article_id=article.id, session=session)


def announcement(article: Article) -> tuple[str, int]:
    """What publishing ``article`` will tell its followers, and how many people that is (its author aside)."""
    count = db.session.scalar(sa.select(sa.func.count(sa.distinct(Follow.user_id))).where(
        _follows_article(article), Follow.user_id != article.author_id))
    return MESSAGES["new_article"].format(title=article.title, agency=article.agency.name), count or 0


def _announce_endorsement(session, endorsement) -> None:
    """An endorsement or adoption: tell the article's author (once per endorser and kind)."""
    kind = getattr(endorsement, "kind", "endorse")
    article_id, user_id = getattr(endorsement, "article_id", None), getattr(endorsement, "user_id", None)
    if article_id is None or user_id is None:
        return
    verb = "adopted" if kind == "adopt" else "endorsed"
    author = sa.select(Article.author_id).where(Article.id == article_id)
    notify(author, verb, f"{verb}:{article_id}:{user_id}", actor_id=user_id, article_id=article_id,
           session=session)


def hear_account_events() -> None:
    """Tell account holders when their sign-in is paused after failed attempts (``accounts.throttle``)."""
    from exchange.accounts import throttle

    throttle.paused.connect(_sign_in_paused)


def _sign_in_paused(user, **_details) -> None:
    notify([user.id], "sign_in_paused", f"sign-in-paused:{utcnow():%Y-%m-%dT%H}")  # at most once an hour
    db.session.commit()


# Reading ------------------------------------------------------------------------

def _visible(user: Actor):
    """Notifications about drafts the reader may not see do not exist for them."""
    return _visible_to(is_admin(user), is_verified(user), user.id, user.agency_id)


def _visible_to(admin: bool, verified: bool, user_id, agency_id):
    if admin:
        return sa.true()
    colleague = Article.agency_id == agency_id if verified else sa.false()
    return sa.or_(Notification.article_id.is_(None), Article.status != "draft", colleague,
                  Article.author_id == user_id)


@functools.cache
def _unread_statement(admin: bool, verified: bool):
    """The header's count, built once for each kind of reader: on a member's kept page, building it took
    longer than running it."""
    user_id, agency_id = sa.bindparam("user_id"), sa.bindparam("agency_id")
    return (sa.select(sa.func.count(Notification.id)).select_from(Notification)
            .outerjoin(Article, Article.id == Notification.article_id)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None),
                   _visible_to(admin, verified, user_id, agency_id)))


def unread_count(user: Actor) -> int:
    """How many unread notifications: one query, its answer kept in the worker until the notifications or
    what they are about change (the notices version and the data version)."""
    admin, verified = is_admin(user), is_verified(user)

    def count():
        return db.session.scalar(_unread_statement(admin, verified),
                                 {"user_id": user.id, "agency_id": user.agency_id}) or 0
    return versioned("unread notifications", (user.id, user.agency_id, admin, verified), count, notices=True)


@dataclass
class Shown:
    """A notification as the reader sees it."""

    notification: Notification
    text: str
    url: str
    quote: str = ""  # the comment or adoption note it is about, shortened

    @property
    def unread(self) -> bool:
        return self.notification.read_at is None


def list_notifications(user: Actor, page: int = 1) -> tuple[list[Shown], int]:
    """One page of the reader's notifications, newest first, and the total."""
    query = (sa.select(Notification).outerjoin(Article, Article.id == Notification.article_id)
             .where(Notification.user_id == user.id, _visible(user)))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(query.order_by(Notification.created_at.desc(), Notification.id.desc())
                              .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).unique().all()
    return describe_all(rows), total


def visible_to(user: Actor, ids=None, key: str | None = None) -> list[Shown]:
    """The reader's notifications with these ids (or this key) that they may still see, newest first."""
    query = (sa.select(Notification).outerjoin(Article, Article.id == Notification.article_id)
             .where(Notification.user_id == user.id, _visible(user)))
    if ids is not None:
        query = query.where(Notification.id.in_(list(ids)))
    if key is not None:
        query = query.where(Notification.key == key)
    rows = db.session.scalars(query.order_by(Notification.created_at.desc(), Notification.id.desc())).unique()
    return describe_all(rows.all())


def add_kind(kind: str, describer, preload=None) -> None:
    """A kind of notification a domain above adds: ``describer(notification)`` gives its sentence and link;
    ``preload(notifications)``, if given, loads what the describer reads for all of them at once and returns it."""
    DESCRIBERS[kind] = describer
    if preload is not None:
        PRELOADERS[kind] = preload


def describe_all(rows: list[Notification]) -> list[Shown]:
    """Each notification's sentence and link, with a fixed number of statements whatever their number."""
    # The session holds rows weakly: what the preloaders return is kept here until every row is described.
    loaded = [preload(rows) for preload in {PRELOADERS[kind] for kind in {row.kind for row in rows}
                                            if kind in PRELOADERS}]
    loaded.append(_comments_without_article(rows))
    shown = [describe(row) for row in rows]
    del loaded
    return shown


def describe(notification: Notification) -> Shown:
    """The sentence and the link for one notification."""
    if notification.kind in DESCRIBERS:
        return Shown(notification, *DESCRIBERS[notification.kind](notification))
    article, actor = notification.article, notification.actor
    if article is None and notification.comment_id is not None:
        shown = _about_a_challenge_comment(notification)
        if shown is not None:
            return shown
    text = MESSAGES[notification.kind].format(
        actor=actor.name if actor else "Someone",
        actor_agency=actor.agency.name if actor else "an agency",
        title=article.title if article else "a practice",
        agency=article.agency.name if article else "an agency",
        what="comment on" if notification.comment_id else "practice",
    )
    quote = _quote(notification) if notification.kind in QUOTED_KINDS else ""
    anchor = f"comment-{notification.comment_id}" if notification.comment_id else None
    url = url_for("articles.show", slug=article.slug, _anchor=anchor) if article \
        else url_for("community.notifications_page")
    return Shown(notification, text, url, quote)


QUOTED_KINDS = {"commented", "replied", "followed_comment", "comment_approved", "comment_hidden", "adopted",
                "flag_upheld", "flag_dismissed", "report_dismissed"}
QUOTE_LENGTH = 140


def _quote(notification: Notification) -> str:
    """The comment, or the adoption's note, the notification is about: shortened, as plain text."""
    if notification.kind == "adopted":
        note = db.session.scalar(sa.select(Endorsement.note).where(
            Endorsement.article_id == notification.article_id, Endorsement.user_id == notification.actor_id,
            Endorsement.kind == "adopt"))
        return shorten(note or "")
    comment = notification.comment
    return shorten(comment.body) if comment is not None and comment.status != "deleted" else ""


def shorten(text: str, length: int = QUOTE_LENGTH) -> str:
    """One line of at most ``length`` characters, cut at a word with an ellipsis."""
    text = " ".join((text or "").split())
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def _comments_without_article(rows: list[Notification]) -> list:
    """The comments under challenges that these notifications name, with their challenges: one statement."""
    ids = {row.comment_id for row in rows if row.article_id is None and row.comment_id is not None
           and row.kind in MESSAGES}
    if not ids:
        return []
    return db.session.scalars(sa.select(Comment).options(joinedload(Comment.challenge))
                              .where(Comment.id.in_(ids))).unique().all()


def _about_a_challenge_comment(notification: Notification) -> Shown | None:
    """A moderator's decision on a comment under a challenge: the challenge named and linked."""
    comment = db.session.get(Comment, notification.comment_id)
    if comment is None or comment.challenge is None:
        return None
    actor = notification.actor
    text = MESSAGES[notification.kind].format(
        actor=actor.name if actor else "Someone", actor_agency=actor.agency.name if actor else "an agency",
        title=comment.challenge.title, agency=comment.challenge.agency.name)
    url = url_for("challenges.show", slug=comment.challenge.slug, _anchor=f"comment-{comment.id}")
    return Shown(notification, text, url)


def mark_read(user: Actor, notification_id=None) -> int:
    """Mark one of the reader's notifications, or all of them, as read; return how many changed."""
    statement = sa.update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_id is not None:
        if as_id(notification_id) is None:
            return 0
        statement = statement.where(Notification.id == as_id(notification_id))
    changed = db.session.execute(statement.values(read_at=utcnow()).execution_options(
        synchronize_session=False)).rowcount
    db.session.commit()
    return changed
