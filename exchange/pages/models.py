"""An admin's version of a site page, and the answers to "Is this page useful?"."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.articles.models import Article
from exchange.db import Base, UTCDateTime, utcnow


class SitePage(Base):
    """A site page as an admin wrote it; a page with no row shows its shipped default."""

    __tablename__ = "site_pages"

    slug: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    html: Mapped[str] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))


class PageFeedback(Base):
    """One answer to "Is this page useful?": which page, yes or no, an optional comment; never who."""

    __tablename__ = "page_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(sa.String(300), index=True)
    article_id: Mapped[int | None] = mapped_column(sa.ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    useful: Mapped[bool] = mapped_column(sa.Boolean)
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    article: Mapped[Article | None] = relationship()
