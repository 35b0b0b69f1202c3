"""What the admin area reads: people by name or email, the audit log, the overview's counts."""
import sqlalchemy as sa

from exchange.accounts.models import Agency, User
from exchange.articles.models import Article
from exchange.audit import AuditEntry
from exchange.curation.models import Feature
from exchange.db import db
from exchange.endorsements.models import Endorsement
from exchange.pagination import Page


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


ROLES = ("member", "admin")


def find_people(text: str = "", page: int = 1, per_page: int = 25, agency: str = "", role: str = "") -> Page:
    """People whose name or email contains ``text`` (everyone when empty), of one agency and role if given."""
    query = sa.select(User)
    if agency:
        query = query.where(User.agency_id.in_(sa.select(Agency.id).where(Agency.slug == agency)))
    if role in ROLES:
        query = query.where(User.role == role)
    text = " ".join((text or "").split())[:100]
    if text:
        pattern = _like(text.lower())
        query = query.where(sa.or_(sa.func.lower(User.name).like(pattern, escape="\\"),
                                   User.email.like(pattern, escape="\\")))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    items = db.session.scalars(query.order_by(User.name, User.id).limit(per_page).offset((page - 1) * per_page))
    return Page(list(items.unique()), total or 0, page, per_page)


def audit_entries(action: str = "", actor_id=None, page: int = 1, per_page: int = 50) -> Page:
    """Audit entries, newest first, optionally of one action and one actor."""
    query = sa.select(AuditEntry)
    if action:
        query = query.where(AuditEntry.action == action)
    if actor_id:
        query = query.where(AuditEntry.actor_id == actor_id)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    items = db.session.scalars(query.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
                               .limit(per_page).offset((page - 1) * per_page))
    return Page(list(items.unique()), total or 0, page, per_page)


def audit_actions() -> list[str]:
    """Every action that appears in the audit log, for the filter."""
    return list(db.session.scalars(sa.select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


def audit_actors() -> list[User]:
    """Everyone who has an entry in the audit log, for the filter."""
    acted = sa.select(AuditEntry.actor_id).where(AuditEntry.actor_id.is_not(None)).distinct()
    return list(db.session.scalars(sa.select(User).where(User.id.in_(acted)).order_by(User.name)).unique())


def overview() -> dict:
    """The counts on the admin overview, in one query."""
    def count(model, *where):
        return sa.select(sa.func.count()).select_from(model).where(*where).scalar_subquery()

    row = db.session.execute(sa.select(
        count(User).label("people"),
        count(User, User.active.is_(False)).label("deactivated"),
        count(User, User.role == "admin").label("admins"),
        count(Agency).label("agencies"),
        count(Article, Article.status == "published").label("published"),
        count(Endorsement).label("endorsements"),
        count(Feature).label("features"),
    )).one()
    return dict(row._mapping)
