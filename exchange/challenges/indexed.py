"""Challenges in search: public challenges are documents of kind "challenge" in an id space of their own.

Registered with search (``exchange.search.sources``) by ``init_app``. A draft is never a document;
closing, answering (open -> answered) and every edit re-index the challenge after commit.
"""
from datetime import UTC

import sqlalchemy as sa

from exchange.challenges.models import PUBLIC, Challenge, challenge_tags
from exchange.search.interface import SearchDocument
from exchange.search.sources import OFFSET, Source

KIND = "challenge"
INDEXED = ("slug", "title", "problem", "text", "tags", "agency_id", "status", "outcome", "published_at",
           "updated_at")


def version_of(status: str, updated_at) -> str:
    updated = updated_at.astimezone(UTC).isoformat() if updated_at else "-"
    return f"challenge {status} {updated}"


def document_for(challenge: Challenge, seq: int = 0) -> SearchDocument:
    """A public challenge as the index sees it: its title, problem and (when closed) what was done."""
    body = "\n\n".join(part for part in (challenge.text or "", challenge.outcome or "") if part)
    return SearchDocument(
        id=OFFSET + challenge.id, slug=challenge.slug, title=challenge.title, kind=KIND,
        summary=challenge.summary, body=body, tags=tuple((tag.slug, tag.name) for tag in challenge.tags),
        agency_slug=challenge.agency.slug, agency_name=challenge.agency.name, evidence_level=None, stage=None,
        published_at=challenge.published_at, score=0.0, version=version_of(challenge.status, challenge.updated_at),
        seq=seq, agency_country=challenge.agency.country or "", agency_level=challenge.agency.level or "")


def _documents(session, rows, seq) -> list[SearchDocument]:
    if not rows:
        return []
    return [document_for(challenge, seq) for challenge in session.scalars(
        sa.select(Challenge).where(Challenge.id.in_(rows), Challenge.status.in_(PUBLIC)))]


def _versions(session) -> dict[int, tuple[str, str]]:
    rows = session.execute(sa.select(Challenge.id, Challenge.slug, Challenge.status, Challenge.updated_at)
                           .where(Challenge.status.in_(PUBLIC)))
    return {row.id: (row.slug, version_of(row.status, row.updated_at)) for row in rows}


def _public(connection, rows) -> set[int]:
    if not rows:
        return set()
    return set(connection.execute(sa.select(Challenge.id).where(
        Challenge.id.in_(rows), Challenge.status.in_(PUBLIC))).scalars())


def _slugs(session, rows) -> dict[int, str]:
    if not rows:
        return {}
    return dict(session.execute(sa.select(Challenge.id, Challenge.slug).where(Challenge.id.in_(rows))).all())


SOURCE = Source(
    kind=KIND, label="Challenge", offset=OFFSET, model=Challenge, indexed=INDEXED, documents=_documents,
    versions=_versions, public=_public, slugs=_slugs,
    of_tag=lambda tag_id: sa.select(challenge_tags.c.challenge_id).where(challenge_tags.c.tag_id == tag_id),
    of_agency=lambda agency_id: sa.select(Challenge.id).where(Challenge.agency_id == agency_id),
    path="/challenges/{slug}",
)
