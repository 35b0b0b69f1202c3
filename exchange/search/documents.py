"""Articles as the index sees them, read from the database in short transactions."""
from datetime import UTC

import sqlalchemy as sa
from sqlalchemy.orm import Session

from exchange.articles.models import Article
from exchange.pagecache import current_version
from exchange.search import sources
from exchange.search.interface import SearchDocument

BATCH = 500


def version_of(revision: int, updated_at, score: float) -> str:
    """What ``check`` compares: it changes whenever an edit, a status change or an endorsement does."""
    updated = updated_at.astimezone(UTC).isoformat() if updated_at else "-"
    return f"r{revision} {updated} s{score or 0:.4f}"


def read_version(session: Session) -> int:
    """The data version, to read BEFORE the articles: what they show is then at least this new.

    Every committed change moves the version as its last statement (exchange/pagecache.py), so
    the backend can order writes by it: an index write never replaces one read at a newer version.
    """
    return current_version(session) or 0


def document_for(article: Article, seq: int = 0) -> SearchDocument:
    """One published article as a search document (``seq``: the data version read before it)."""
    return SearchDocument(
        id=article.id,
        slug=article.slug,
        title=article.title,
        kind=article.kind,
        summary=article.summary,
        body=article.text or "",
        tags=tuple((tag.slug, tag.name) for tag in article.tags),
        agency_slug=article.agency.slug,
        agency_name=article.agency.name,
        evidence_level=article.evidence_level,
        stage=article.stage,
        published_at=article.published_at,
        score=article.score or 0.0,
        version=version_of(article.revision, article.updated_at, article.score),
        seq=seq,
        agency_country=article.agency.country or "",
        agency_level=article.agency.level or "",
    )


def published_documents(session: Session, ids, seq: int | None = None) -> list[SearchDocument]:
    """The documents of those of ``ids`` that are published (the others must leave the index).

    ``seq`` is the data version read in ``session`` before this call (read here if not given).
    """
    seq = read_version(session) if seq is None else seq
    ids, others = sources.split(ids)
    ids = sorted(ids)
    documents = []
    for kind, rows in others.items():  # challenges and other non-article documents
        documents.extend(sources.by_kind(kind).documents(session, sorted(rows), seq))
    for start in range(0, len(ids), BATCH):
        articles = session.scalars(sa.select(Article).where(
            Article.id.in_(ids[start:start + BATCH]), Article.status == "published"))
        documents.extend(document_for(article, seq) for article in articles)
    return documents


def all_published(engine) -> "PublishedArticles":
    """Every published article, read in batches, each batch in its own short transaction."""
    return PublishedArticles(engine)


class PublishedArticles:
    """An iterable of documents that never holds a transaction open between batches."""

    def __init__(self, engine):
        self.engine = engine

    def __len__(self) -> int:
        with Session(self.engine) as session:
            others = sum(len(source.versions(session)) for source in sources.sources())
            return (session.scalar(sa.select(sa.func.count()).where(Article.status == "published")) or 0) + others

    def __iter__(self):
        last = 0
        while True:
            with Session(self.engine) as session:
                seq = read_version(session)
                batch = [document_for(a, seq) for a in session.scalars(
                    sa.select(Article).where(Article.status == "published", Article.id > last)
                    .order_by(Article.id).limit(BATCH))]
            if not batch:
                break
            yield from batch
            last = batch[-1].id
        yield from _other_documents(self.engine)


def _other_documents(engine):
    """Every public document of the other sources (challenges), in batches of short transactions."""
    for source in sources.sources():
        with Session(engine) as session:
            rows = sorted(source.versions(session))
        for start in range(0, len(rows), BATCH):
            with Session(engine) as session:
                seq = read_version(session)
                yield from source.documents(session, rows[start:start + BATCH], seq)


def database_versions(engine) -> dict[int, tuple[str, str]]:
    """Every published article's id with its slug and version."""
    with Session(engine) as session:
        rows = session.execute(sa.select(Article.id, Article.slug, Article.revision, Article.updated_at, Article.score)
                               .where(Article.status == "published"))
        found = {row.id: (row.slug, version_of(row.revision, row.updated_at, row.score)) for row in rows}
        for source in sources.sources():
            found.update({source.offset + row: entry for row, entry in source.versions(session).items()})
        return found


def slugs_of(engine, ids) -> dict[int, str]:
    """The slugs of those of ``ids`` that still exist."""
    if not ids:
        return {}
    articles, others = sources.split(ids)
    with Session(engine) as session:
        found = dict(session.execute(sa.select(Article.id, Article.slug).where(Article.id.in_(sorted(articles)))).all())
        for kind, rows in others.items():
            source = sources.by_kind(kind)
            found.update({source.offset + row: slug for row, slug in source.slugs(session, sorted(rows)).items()})
        return found
