"""Featured practices (and challenges)."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.accounts.models import User
from exchange.articles.models import Article
from exchange.challenges.models import PUBLIC, Challenge
from exchange.db import Base, UTCDateTime, utcnow


class Feature(Base):
    """A featured practice, or challenge: shown first on the home page, in ``position`` order, until its end date.

    Exactly one of ``article_id`` and ``challenge_id`` is set.
    """

    __tablename__ = "features"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int | None] = mapped_column(sa.ForeignKey("articles.id", ondelete="CASCADE"), unique=True,
                                                   default=None)
    challenge_id: Mapped[int | None] = mapped_column(sa.ForeignKey("challenges.id", ondelete="CASCADE"),
                                                     unique=True, default=None)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column(default=1, index=True)
    until: Mapped[date | None] = mapped_column(sa.Date, default=None)  # last day shown; None: no end
    featured_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    article: Mapped[Article | None] = relationship()
    challenge: Mapped[Challenge | None] = relationship()
    featured_by: Mapped[User | None] = relationship()

    @property
    def kind(self) -> str:
        return "challenge" if self.challenge_id is not None or self.challenge is not None else "practice"

    @property
    def item(self):
        """The featured article or challenge."""
        return self.challenge if self.kind == "challenge" else self.article

    @property
    def shown(self) -> bool:
        """Whether the home page may show it: a published practice, a public challenge."""
        if self.kind == "challenge":
            return self.challenge.status in PUBLIC
        return self.article.status == "published"

    def expired(self, today: date) -> bool:
        return self.until is not None and self.until < today
