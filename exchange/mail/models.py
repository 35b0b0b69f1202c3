"""The outbox, email preferences and how far each person's digests have gone."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from exchange.db import Base, UTCDateTime, utcnow


class OutboxMessage(Base):
    """One email to send: written in the transaction that causes it, rendered and sent after commit."""

    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(sa.String(254))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    payload: Mapped[str] = mapped_column(sa.Text, default="{}")  # JSON; emptied once sent (it may hold a link)
    # The same event twice (a notification seen again, a digest re-run) makes one message.
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    base_url: Mapped[str] = mapped_column(sa.String(300), default="")  # the site's address for links
    subject: Mapped[str] = mapped_column(sa.String(300), default="")  # filled when rendered
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)  # a sender has it
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None, index=True)
    given_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")


class MailPreference(Base):
    """How a person wants to hear of one kind of event by email: none, at once, daily or weekly."""

    __tablename__ = "mail_preferences"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(30), primary_key=True)
    frequency: Mapped[str] = mapped_column(sa.String(10))


class DigestMark(Base):
    """The newest event a person's daily or weekly digest has covered."""

    __tablename__ = "mail_digest_marks"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    frequency: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    through: Mapped[datetime] = mapped_column(UTCDateTime)
