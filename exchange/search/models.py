"""The search tables: index changes waiting to be applied, and the log of searches."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from exchange.db import Base, UTCDateTime, utcnow


class SearchPending(Base):
    """An article whose index entry must be brought up to date (written in the change's transaction)."""

    __tablename__ = "search_pending"
    # Ids are never reused (SQLite would otherwise reuse them once the table empties): a writer
    # deletes exactly the rows it applied, by id, and must not delete a newer change by mistake.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign key: a deleted article's row must outlive it, so its index entry is removed.
    article_id: Mapped[int] = mapped_column(index=True)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SearchLog(Base):
    """One search someone ran: what, how many results, how long. No user identity."""

    __tablename__ = "search_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    query: Mapped[str] = mapped_column(sa.String(256))
    results: Mapped[int]
    took_ms: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
