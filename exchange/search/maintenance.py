"""Comparing the index with the database, and rebuilding it while the site keeps serving."""
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from exchange.search import indexing
from exchange.search.backends import configured, database_engine
from exchange.search.documents import (
    all_published,
    database_versions,
    published_documents,
    read_version,
    slugs_of,
)


@dataclass
class Drift:
    """How the index differs from the published articles in the database."""

    published: int = 0
    missing: dict[int, str] = field(default_factory=dict)  # id -> slug: published, not indexed
    stale: dict[int, str] = field(default_factory=dict)  # id -> slug: indexed at an older version
    extra: dict[int, str] = field(default_factory=dict)  # id -> slug (or "#id"): indexed, not published

    @property
    def clean(self) -> bool:
        return not (self.missing or self.stale or self.extra)

    @property
    def to_update(self) -> set[int]:
        return set(self.missing) | set(self.stale)

    def lines(self) -> list[str]:
        """One line per difference, for people."""
        return ([f"missing  {slug} (published, not in the index)" for slug in self.missing.values()]
                + [f"stale    {slug} (the index holds an older version)" for slug in self.stale.values()]
                + [f"extra    {slug} (in the index, not published)" for slug in self.extra.values()])


def compare(database: dict[int, tuple[str, str]], indexed: dict[int, str]) -> Drift:
    """The drift between ``database`` (id -> slug, version) and ``indexed`` (id -> version)."""
    drift = Drift(published=len(database))
    for article_id, (slug, version) in sorted(database.items()):
        if article_id not in indexed:
            drift.missing[article_id] = slug
        elif indexed[article_id] != version:
            drift.stale[article_id] = slug
    drift.extra = {article_id: f"#{article_id}" for article_id in sorted(set(indexed) - set(database))}
    return drift


def check(app=None) -> tuple[int, Drift]:
    """Apply what is pending, then compare; returns (changes applied, drift)."""
    applied = indexing.apply_pending(app)
    engine = database_engine(app)
    drift = compare(database_versions(engine), configured(app).backend.versions())
    drift.extra.update({i: slug for i, slug in slugs_of(engine, drift.extra).items()})
    return applied, drift


def needs_rebuild(app=None) -> bool:
    """Whether the index is missing, or differs from the database even after pending changes."""
    if not configured(app).backend.exists():
        return True
    return not check(app)[1].clean


def published_count(app=None) -> int:
    return len(all_published(database_engine(app)))


def reindex(app=None, progress=None) -> int:
    """Build a fresh index beside the live one and swap it in; returns how many articles it holds."""
    backend = configured(app).backend
    engine = database_engine(app)
    # What is queued now was committed before the rebuild reads anything: the rebuild covers it.
    covered = indexing.pending_rows(engine)
    backend.rebuild(all_published(engine), lambda writer: _catch_up(engine, writer), progress)
    with engine.begin() as connection:
        indexing.index_changed(connection)
    indexing.forget(engine, covered)
    indexing.apply_pending(app)  # changes queued since are applied to the new index (harmless if repeated)
    return len(backend.versions())


def _catch_up(engine, writer) -> None:
    """Bring the new index level with changes committed while it was being built."""
    with Session(engine) as session:
        seq = read_version(session)  # before the articles are read: they are at least this new
    drift = compare(database_versions(engine), writer.versions())
    with Session(engine) as session:
        writer.update(published_documents(session, drift.to_update))
    writer.remove(drift.extra, seq)
