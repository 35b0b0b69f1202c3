"""Comments, flags, follows and notifications: what members add around the articles."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.accounts.models import Agency, User
from exchange.articles.models import Article, Tag
from exchange.db import MAX_INT, Base, UTCDateTime, utcnow

FLAG_REASONS = {
    "spam": "Spam or advertising",
    "offensive": "Offensive or abusive",
    "inaccurate": "Inaccurate or misleading",
    "out_of_date": "Out of date",
    "other": "Something else",
}
FOLLOW_KINDS = ("tag", "agency", "article", "person")


def as_id(value) -> int | None:
    """A row id from an address or a form, or None when the value cannot be one."""
    text = str(value).strip() if value is not None else ""
    if not text.isdigit() or len(text) > 10 or not 0 < int(text) <= MAX_INT:
        return None
    return int(text)


_ONE_SUBJECT = ("(CASE WHEN article_id IS NOT NULL THEN 1 ELSE 0 END)"
                " + (CASE WHEN challenge_id IS NOT NULL THEN 1 ELSE 0 END) = 1")


class Comment(Base):
    """A member's comment on a published article, or under a challenge; ``parent_id`` makes it a reply (one level).

    The challenge is named by its table only (challenges are a domain above this one); its domain
    registers what a challenge's comments need (``services.add_subject``).
    """

    __tablename__ = "comments"
    __table_args__ = (
        sa.Index("ix_comments_article_id_created_at", "article_id", "created_at"),
        sa.Index("ix_comments_challenge_id_created_at", "challenge_id", "created_at"),
        sa.CheckConstraint(_ONE_SUBJECT, name="one_subject"),
        sa.Index("ix_comments_author_id_status", "author_id", "status"),
        sa.Index("ix_comments_status_created_at", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int | None] = mapped_column(sa.ForeignKey("articles.id", ondelete="CASCADE"))
    challenge_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("challenges.id", ondelete="CASCADE"), default=None)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("comments.id", ondelete="CASCADE"), index=True, default=None)
    body: Mapped[str] = mapped_column(sa.Text, default="")
    html: Mapped[str] = mapped_column(sa.Text, default="")  # rendered once per save
    has_link: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(sa.String(10), default="published")  # published, pending, hidden, deleted
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    moderated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), default=None)
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="joined", innerjoin=True)
    article: Mapped[Article | None] = relationship()
    challenge = relationship("Challenge")

    @property
    def subject(self):
        """What the comment is under: its article, or its challenge (both have a title and a slug)."""
        return self.article if self.article_id is not None else self.challenge

    @property
    def subject_endpoint(self) -> str:
        """The page of its subject, for ``url_for(endpoint, slug=subject.slug)``."""
        return "articles.show" if self.article_id is not None else "challenges.show"


class Flag(Base):
    """A member's report that an article, or a comment, needs a moderator's eye.

    A flag on a challenge's comment names no article.
    """

    __tablename__ = "flags"
    __table_args__ = (sa.Index("ix_flags_status_created_at", "status", "created_at"),
                      sa.CheckConstraint("article_id IS NOT NULL OR comment_id IS NOT NULL", name="has_target"))

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("articles.id", ondelete="CASCADE"), index=True, default=None)
    comment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("comments.id", ondelete="CASCADE"), index=True, default=None)
    reason: Mapped[str] = mapped_column(sa.String(20))
    details: Mapped[str] = mapped_column(sa.Text, default="")
    # open, dismissed, actioned, or referred (an out-of-date report passed to the owning agency to review)
    status: Mapped[str] = mapped_column(sa.String(10), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    resolved_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), default=None)

    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id], lazy="joined", innerjoin=True)
    article: Mapped[Article | None] = relationship(lazy="joined")
    comment: Mapped[Comment | None] = relationship(lazy="joined")

    @property
    def reason_label(self) -> str:
        return FLAG_REASONS.get(self.reason, self.reason)

    @property
    def target_type(self) -> str:
        return "comment" if self.comment_id else "article"


_ONE_TARGET = " + ".join(
    f"(CASE WHEN {column} IS NOT NULL THEN 1 ELSE 0 END)"
    for column in ("tag_id", "agency_id", "article_id", "person_id")) + " = 1"


class Follow(Base):
    """One member following exactly one tag, agency, article or person."""

    __tablename__ = "follows"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "tag_id", name="uq_follows_user_id_tag_id"),
        sa.UniqueConstraint("user_id", "agency_id", name="uq_follows_user_id_agency_id"),
        sa.UniqueConstraint("user_id", "article_id", name="uq_follows_user_id_article_id"),
        sa.UniqueConstraint("user_id", "person_id", name="uq_follows_user_id_person_id"),
        sa.CheckConstraint(_ONE_TARGET, name="one_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    tag_id: Mapped[int | None] = mapped_column(sa.ForeignKey("tags.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agencies.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int | None] = mapped_column(sa.ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    tag: Mapped[Tag | None] = relationship(lazy="joined")
    agency: Mapped[Agency | None] = relationship(lazy="joined")
    article: Mapped[Article | None] = relationship(lazy="joined")
    person: Mapped[User | None] = relationship(foreign_keys=[person_id], lazy="joined")

    @property
    def kind(self) -> str:
        return next(kind for kind in FOLLOW_KINDS if getattr(self, f"{kind}_id") is not None)

    @property
    def target(self):
        return getattr(self, self.kind)


class Notification(Base):
    """Something a member should know about; ``key`` names the event, so each is made once."""

    __tablename__ = "notifications"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "key", name="uq_notifications_user_id_key"),
        sa.Index("ix_notifications_user_id_read_at", "user_id", "read_at"),
        sa.Index("ix_notifications_user_id_created_at", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(20))
    key: Mapped[str] = mapped_column(sa.String(120))
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True, default=None)
    article_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("articles.id", ondelete="CASCADE"), index=True, default=None)
    comment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("comments.id", ondelete="SET NULL"), index=True, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id], lazy="joined")
    article: Mapped[Article | None] = relationship(lazy="joined")
    comment: Mapped[Comment | None] = relationship(lazy="joined")


class TeamQuestion(Base):
    """A member's question to a practice's team, emailed to its author and its agency's contact address.

    The addresses are never stored here nor shown to the sender; ``recipients`` says how many it went to.
    """

    __tablename__ = "team_questions"
    __table_args__ = (sa.Index("ix_team_questions_sender_id_created_at", "sender_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(sa.ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    sender_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(sa.Text)
    recipients: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    article: Mapped[Article] = relationship(lazy="joined")
    sender: Mapped[User | None] = relationship(lazy="joined")
