"""Articles, their numbered revisions, topics (tags) and the wiki links between articles."""
import json
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.accounts.models import Agency, User
from exchange.db import Base, UTCDateTime, utcnow

KINDS = {"case_study": "Case study", "playbook": "Playbook"}
STATUSES = ("draft", "published", "archived")
EDIT_POLICIES = {
    "agency": "Staff of the owning agency and admins may edit",
    "open": "Any member may edit",
}
STAGES = {
    "idea": "Idea: not yet tried",
    "pilot": "Pilot: tried at small scale",
    "implemented": "Implemented: part of how we work",
    "scaled": "Scaled: spread widely",
    "retired": "Retired: no longer in use",
}
# After Nesta's standards of evidence.
EVIDENCE_LEVELS = {
    1: "We can describe why it should work",
    2: "We measured a change",
    3: "We compared against a group that didn't get it",
    4: "Independent evaluation showed it caused the change",
    5: "It was replicated and scaled elsewhere",
}

article_tags = sa.Table(
    "article_tags",
    Base.metadata,
    sa.Column("article_id", sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("tag_id", sa.ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(40))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Article(Base):
    __tablename__ = "articles"
    __table_args__ = (
        sa.Index("ix_articles_status_published_at", "status", "published_at"),
        sa.Index("ix_articles_status_updated_at", "status", "updated_at"),
        sa.Index("ix_articles_status_score", "status", "score"),
        sa.Index("ix_articles_kind_status_published_at", "kind", "status", "published_at"),
        sa.Index("ix_articles_agency_status_published_at", "agency_id", "status", "published_at"),
        sa.Index("ix_articles_author_status_published_at", "author_id", "status", "published_at"),
        sa.Index("ix_articles_based_on_status_published_at", "based_on_id", "status", "published_at"),
        sa.Index("ix_articles_title_lower", sa.func.lower(sa.text("title"))),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(100), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(20))
    summary: Mapped[str] = mapped_column(sa.String(400))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    html: Mapped[str] = mapped_column(sa.Text, default="")  # rendered once per save
    text: Mapped[str] = mapped_column(sa.Text, default="")  # plain text of the body, for search
    toc_json: Mapped[str] = mapped_column(sa.Text, default="[]")
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(10), default="draft")
    edit_policy: Mapped[str] = mapped_column(sa.String(10), default="agency")
    evidence_level: Mapped[int | None] = mapped_column(default=None)
    stage: Mapped[str | None] = mapped_column(sa.String(20), default=None)
    review_by: Mapped[date | None] = mapped_column(sa.Date, default=None)
    revision: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # Who withdrew (archived) it, when and why: the banner on its page. Cleared when it is restored.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    archived_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id"), default=None)
    archive_reason: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    # The article this one adapts ("based on"): the original lists its published adaptations.
    based_on_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("articles.id"), default=None, index=True)
    # Endorsement totals, kept in the same transaction as each endorsement change.
    score: Mapped[float] = mapped_column(sa.Float, default=0.0)
    endorsement_count: Mapped[int] = mapped_column(default=0)
    adoption_count: Mapped[int] = mapped_column(default=0)
    agency_count: Mapped[int] = mapped_column(default=0)
    # Who vouched, in the words of the labels (endorsements.ranking.support_summary), kept with the totals.
    support_json: Mapped[str] = mapped_column(sa.Text, default="{}", server_default="{}")

    agency: Mapped[Agency] = relationship(lazy="joined", innerjoin=True)
    author: Mapped[User] = relationship(lazy="joined", innerjoin=True, foreign_keys=[author_id])
    archived_by: Mapped[User | None] = relationship(foreign_keys=[archived_by_id])
    tags: Mapped[list[Tag]] = relationship(secondary=article_tags, lazy="selectin", order_by=Tag.slug)
    based_on: Mapped["Article | None"] = relationship(remote_side=[id], foreign_keys=[based_on_id])

    @property
    def is_published(self) -> bool:
        return self.status == "published"

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def evidence_meaning(self) -> str:
        return EVIDENCE_LEVELS.get(self.evidence_level or 0, "")

    @property
    def stage_meaning(self) -> str:
        return STAGES.get(self.stage or "", "")

    @property
    def tag_names(self) -> list[str]:
        return [t.name for t in self.tags]

    @property
    def toc(self) -> list[dict]:
        return json.loads(self.toc_json or "[]")

    def out_of_date(self, today: date) -> bool:
        return self.review_by is not None and self.review_by < today


class Revision(Base):
    __tablename__ = "revisions"
    __table_args__ = (sa.UniqueConstraint("article_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(sa.ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.String(400))
    body: Mapped[str] = mapped_column(sa.Text)
    tags_json: Mapped[str] = mapped_column(sa.Text, default="[]")
    meta_json: Mapped[str] = mapped_column(sa.Text, default="{}")  # kind, evidence, stage, review-by, policy
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    change_note: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Made while the article was published, or the one it was published at: everyone may see it.
    # The rest (the history before publication) is for the owning agency and admins.
    public: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    author: Mapped[User] = relationship(lazy="joined")

    @property
    def tags(self) -> list[str]:
        return json.loads(self.tags_json)

    @property
    def meta(self) -> dict:
        return json.loads(self.meta_json)


class ArticleLink(Base):
    """A wiki link from one article to a target slug (which may not exist yet)."""

    __tablename__ = "article_links"

    source_id: Mapped[int] = mapped_column(sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    target_slug: Mapped[str] = mapped_column(sa.String(100), primary_key=True, index=True)


class WorkingCopy(Base):
    """One person's unsaved edit of a published article, kept by autosave: private to that person.

    Autosaving a published article must not make a public revision every few seconds; it keeps the
    text here until the person saves the edit (which clears it) or discards it.
    """

    __tablename__ = "working_copies"
    __table_args__ = (sa.UniqueConstraint("article_id", "user_id", name="uq_working_copies_article_id_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(sa.ForeignKey("articles.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    base_revision: Mapped[int]  # the revision the edit started from: saving on a newer one is a conflict
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.String(400))
    body: Mapped[str] = mapped_column(sa.Text)
    tags: Mapped[str] = mapped_column(sa.String(400), default="")  # as typed: names separated by commas
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TagRedirect(Base):
    """An old topic address (renamed or merged away) and the topic it now leads to."""

    __tablename__ = "tag_redirects"

    old_slug: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    tag_id: Mapped[int] = mapped_column(sa.ForeignKey("tags.id", ondelete="CASCADE"), index=True)
