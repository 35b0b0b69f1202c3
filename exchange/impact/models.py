"""Reach: how many times each article was read, a number per article per day and nothing about who."""
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from exchange.db import Base


class ArticleView(Base):
    """The successful page views of one article on one day (UTC), added up in batches (impact/counter.py)."""

    __tablename__ = "article_views"

    article_id: Mapped[int] = mapped_column(sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    views: Mapped[int] = mapped_column(default=0)
