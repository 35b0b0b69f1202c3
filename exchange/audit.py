"""The audit log: every admin action says who, what, on what and when (shared by every domain)."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.db import Base, UTCDateTime, db, utcnow
from exchange.permissions import Actor

if TYPE_CHECKING:
    from exchange.accounts.models import User


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    target_type: Mapped[str] = mapped_column(sa.String(40))
    target: Mapped[str] = mapped_column(sa.String(200))
    detail: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    actor: Mapped[User | None] = relationship("User", lazy="joined")


def record(actor: Actor, action: str, target_type: str, target: str, detail: str = "") -> AuditEntry:
    """Add an audit entry to the current transaction (``SYSTEM`` acts as the command line, no person)."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        target_type=target_type,
        target=str(target)[:200],
        detail=detail,
    )
    db.session.add(entry)
    return entry
