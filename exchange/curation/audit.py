"""Writing to the audit log: every admin action says who, what, on what and when."""
from exchange.curation.models import AuditEntry
from exchange.db import db


def record(actor, action: str, target_type: str, target: str, detail: str = "") -> AuditEntry:
    """Add an audit entry to the current transaction (``actor`` None means the command line)."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        target_type=target_type,
        target=str(target)[:200],
        detail=detail,
    )
    db.session.add(entry)
    return entry
