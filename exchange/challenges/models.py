"""Challenges: an agency asks "has anyone solved this?", others answer with practices."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.accounts.models import Agency, User
from exchange.articles.models import Article, Tag
from exchange.db import Base, UTCDateTime, utcnow

STATUSES = {"draft": "Draft", "open": "Open", "answered": "Answered", "closed": "Closed"}
PUBLIC = ("open", "answered", "closed")  # a draft is its agency's own

challenge_tags = sa.Table(
    "challenge_tags",
    Base.metadata,
    sa.Column("challenge_id", sa.ForeignKey("challenges.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("tag_id", sa.ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Challenge(Base):
    """A problem an agency asks the others about; answered with practices."""

    __tablename__ = "challenges"
    __table_args__ = (sa.Index("ix_challenges_status_same_problem_count", "status", "same_problem_count"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(100), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    problem: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown
    html: Mapped[str] = mapped_column(sa.Text, default="")  # rendered once per save
    text: Mapped[str] = mapped_column(sa.Text, default="")  # plain text, for related practices
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(10), default="draft")
    deadline: Mapped[date | None] = mapped_column(sa.Date, default=None)
    outcome: Mapped[str] = mapped_column(sa.Text, default="")  # what we did in the end (when closed)
    same_problem_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    agency: Mapped[Agency] = relationship(lazy="joined", innerjoin=True)
    author: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    tags: Mapped[list[Tag]] = relationship(secondary=challenge_tags, lazy="selectin", order_by=Tag.slug)

    @property
    def status_label(self) -> str:
        return STATUSES[self.status]

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC

    @property
    def summary(self) -> str:
        """The start of the problem's plain text (for feeds and cards)."""
        text = " ".join((self.text or "").split())
        return text if len(text) <= 300 else text[:299].rsplit(" ", 1)[0] + "…"


class Answer(Base):
    """A practice offered as an answer to a challenge, with a note on how it applies; once per practice."""

    __tablename__ = "challenge_answers"
    __table_args__ = (sa.UniqueConstraint("challenge_id", "article_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(sa.ForeignKey("challenges.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int] = mapped_column(sa.ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # "This helped us": set by the asking agency, with a sentence of why.
    helped_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    helped_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), default=None)
    helped_why: Mapped[str] = mapped_column(sa.Text, default="")

    challenge: Mapped[Challenge] = relationship(lazy="joined", innerjoin=True)
    article: Mapped[Article] = relationship(lazy="joined", innerjoin=True)
    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="joined", innerjoin=True)
    agency: Mapped[Agency] = relationship(lazy="joined", innerjoin=True)

    @property
    def helped(self) -> bool:
        return self.helped_at is not None


class SameProblem(Base):
    """An agency saying "we have this problem too": one per agency per challenge."""

    __tablename__ = "challenge_same_problems"
    __table_args__ = (sa.UniqueConstraint("challenge_id", "agency_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(sa.ForeignKey("challenges.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agency: Mapped[Agency] = relationship(lazy="joined", innerjoin=True)
    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)
