"""Endorsements: one per person per article, either an endorsement or an adoption, with its weight."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.accounts.models import Agency, User
from exchange.articles.models import Article
from exchange.db import Base, UTCDateTime, utcnow

KINDS = {"endorse": "Endorsed", "adopt": "Adopted"}
# How an adoption is going: its story, told when it is recorded and updated later.
ADOPTION_STATUSES = {"piloting": "Piloting", "in_use": "In use", "stopped": "Stopped"}


class Endorsement(Base):
    __tablename__ = "endorsements"
    __table_args__ = (
        sa.UniqueConstraint("article_id", "user_id"),
        sa.Index("ix_endorsements_article_id_created_at", "article_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(sa.ForeignKey("articles.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The endorser's agency when they endorsed: what the weight rules count.
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    weight: Mapped[float] = mapped_column(sa.Float, default=0.0)
    # weight x 2^(days since ranking.TREND_EPOCH / half-life): see ranking.trend_weight.
    trend_weight: Mapped[float] = mapped_column(sa.Float, default=0.0)
    # The adoption story (adoptions only): when, how it is going, and the outcome in a sentence.
    adopted_on: Mapped[date | None] = mapped_column(sa.Date, default=None)
    adoption_status: Mapped[str | None] = mapped_column(sa.String(10), default=None)
    outcome: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    article: Mapped[Article] = relationship()
    user: Mapped[User] = relationship()
    agency: Mapped[Agency] = relationship()

    @property
    def is_adoption(self) -> bool:
        return self.kind == "adopt"

    @property
    def status_label(self) -> str:
        return ADOPTION_STATUSES.get(self.adoption_status or "", "")

    @property
    def has_story(self) -> bool:
        return bool(self.adopted_on or self.adoption_status or self.outcome)
