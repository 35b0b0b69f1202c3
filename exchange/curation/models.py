"""Featured practices."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.accounts.models import User
from exchange.articles.models import Article
from exchange.db import Base, UTCDateTime, utcnow


class Feature(Base):
    """A featured practice: shown first on the home page, in ``position`` order, until its end date."""

    __tablename__ = "features"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(sa.ForeignKey("articles.id", ondelete="CASCADE"), unique=True)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column(default=1, index=True)
    until: Mapped[date | None] = mapped_column(sa.Date, default=None)  # last day shown; None: no end
    featured_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    article: Mapped[Article] = relationship()
    featured_by: Mapped[User | None] = relationship()

    def expired(self, today: date) -> bool:
        return self.until is not None and self.until < today
