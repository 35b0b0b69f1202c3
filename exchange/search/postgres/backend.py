"""The PostgreSQL backend: articles as tsvectors and postings, ranked by BM25 in SQL, facets counted in SQL.

For deployments with several app servers: the index lives in the database every server
already shares. ``search_documents`` holds one row per published article, ``search_postings``
the counts BM25 needs, ``search_words`` the words seen, for "did you mean" (``tables``). They
are written only through ``writer()``, like any other backend. What the rows hold is made in
Python (``text``) by the same rules as the Whoosh index.

Writes are ordered (migration 0013). Servers write the index at once, each in its own
transaction, after reading the articles in another: a server that read an article before a
change and writes after the change's own index write would put back the older state. So each
write carries the data version read just before the article (``SearchDocument.seq``), and
``search_versions`` holds, per article, the newest version written so far, indexed or removed.
A write first claims its articles there; the claim takes the row's lock until commit, so writes
of one article queue up, and it is refused when the row holds a newer version: that write's
state is older than what the index already has (or had, if a newer write removed it).
"""
import json
from contextlib import contextmanager

import sqlalchemy as sa
from flask import current_app

from exchange.search import postgres_related
from exchange.search.interface import (
    IndexBusy,
    IndexWriter,
    SearchBackend,
    SearchDocument,
    SearchRequest,
    SearchResults,
)
from exchange.search.postgres import text
from exchange.search.postgres.searching import run
from exchange.search.postgres.tables import documents, words

SPELLING_CANDIDATES = 500
# Known words with the same first letter, about as long and sharing some trigrams ("did you mean"
# ranks them). Looser than pg_trgm's ``%`` (0.3): "opne" and "open" share only a quarter of their trigrams.
CANDIDATES = sa.text(
    "SELECT word FROM search_words WHERE left(word, 1) = left(:w, 1)"
    " AND length(word) BETWEEN :shortest AND :longest AND similarity(word, :w) >= 0.1"
    " ORDER BY similarity(word, :w) DESC, word LIMIT :limit")

UPSERT = sa.text("""
INSERT INTO search_documents (article_id, slug, title, kind, summary, body, tag_slugs, tag_list, agency_slug,
    agency_name, agency_country, agency_level, evidence_level, stage, published_at, score, version, seq, document,
    text_length, title_length)
VALUES (:id, :slug, :title, :kind, :summary, :body, :tag_slugs, :tag_list, :agency_slug, :agency_name,
    :agency_country, :agency_level, :evidence_level, :stage, :published_at, :score, :version, :seq,
    CAST(:document AS tsvector), :text_length, :title_length)
ON CONFLICT (article_id) DO UPDATE SET slug = EXCLUDED.slug, title = EXCLUDED.title, kind = EXCLUDED.kind,
    summary = EXCLUDED.summary, body = EXCLUDED.body, tag_slugs = EXCLUDED.tag_slugs, tag_list = EXCLUDED.tag_list,
    agency_slug = EXCLUDED.agency_slug, agency_name = EXCLUDED.agency_name,
    agency_country = EXCLUDED.agency_country, agency_level = EXCLUDED.agency_level,
    evidence_level = EXCLUDED.evidence_level, stage = EXCLUDED.stage, published_at = EXCLUDED.published_at,
    score = EXCLUDED.score, version = EXCLUDED.version, seq = EXCLUDED.seq, document = EXCLUDED.document,
    text_length = EXCLUDED.text_length, title_length = EXCLUDED.title_length
WHERE search_documents.seq <= EXCLUDED.seq
""")
# The claim (below) already refused every older write, so each upserted row is replaced: its
# postings go with the old row's words and come back with the new ones.
FORGET_POSTINGS = sa.text("DELETE FROM search_postings WHERE article_id = ANY(CAST(:ids AS integer[]))")
ADD_POSTINGS = sa.text("""
INSERT INTO search_postings (term, article_id, tf, title_tf, text_length, title_length)
SELECT * FROM unnest(CAST(:terms AS text[]), CAST(:ids AS integer[]), CAST(:tfs AS integer[]),
                     CAST(:title_tfs AS integer[]), CAST(:text_lengths AS integer[]),
                     CAST(:title_lengths AS integer[]))
""")
# Equal versions may write: they read the same committed state (every change moves the version).
CLAIM = sa.text("""
INSERT INTO search_versions (article_id, seq)
SELECT id, seq FROM unnest(CAST(:ids AS integer[]), CAST(:seqs AS bigint[])) AS claim (id, seq) ORDER BY id
ON CONFLICT (article_id) DO UPDATE SET seq = EXCLUDED.seq WHERE search_versions.seq <= EXCLUDED.seq
RETURNING article_id
""")
REMEMBER_WORDS = sa.text("""
INSERT INTO search_words (word)
SELECT DISTINCT word FROM unnest(tsvector_to_array(to_tsvector('simple', unaccent(:text)))) AS word
WHERE word ~ '^[a-z]{3,30}$'
ON CONFLICT DO NOTHING
""")
ALL_WORDS = sa.text("""
INSERT INTO search_words (word)
SELECT word FROM ts_stat('SELECT to_tsvector(''simple'', unaccent(title || '' '' || body)) FROM search_documents')
WHERE word ~ '^[a-z]{3,30}$'
ON CONFLICT DO NOTHING
""")


def _engine() -> sa.Engine:
    return current_app.extensions["exchange.db"].kw["bind"]


def _row(document, indexed: text.Indexed) -> dict:
    return {
        "id": document.id, "slug": document.slug, "title": document.title, "kind": document.kind,
        "summary": document.summary, "body": document.body, "tag_slugs": [slug for slug, _ in document.tags],
        "tag_list": json.dumps([list(pair) for pair in document.tags]), "agency_slug": document.agency_slug,
        "agency_name": document.agency_name, "agency_country": document.agency_country,
        "agency_level": document.agency_level, "evidence_level": document.evidence_level, "stage": document.stage,
        "published_at": document.published_at, "score": document.score or 0.0, "version": document.version,
        "seq": document.seq, "document": indexed.vector, "text_length": indexed.text_length,
        "title_length": indexed.title_length,
    }


class PostgresWriter(IndexWriter):
    """Writes in the caller's transaction: they commit together or not at all."""

    def __init__(self, connection):
        self.connection = connection

    def update(self, docs, remember_words: bool = True) -> None:
        """Index ``docs``, but none whose article the index already holds at a newer version."""
        latest = {}
        for document in docs:
            if document.id not in latest or latest[document.id].seq <= document.seq:
                latest[document.id] = document
        won = sorted(self._claim({i: d.seq for i, d in latest.items()}))
        if not won:
            return
        indexed = {i: text.index(latest[i]) for i in won}
        self.connection.execute(UPSERT, [_row(latest[i], indexed[i]) for i in won])
        self.connection.execute(FORGET_POSTINGS, {"ids": won})
        columns = {"terms": [], "ids": [], "tfs": [], "title_tfs": [], "text_lengths": [], "title_lengths": []}
        for i in won:
            lengths = indexed[i].text_length, indexed[i].title_length
            for term, (tf, title_tf) in indexed[i].postings.items():
                for name, value in zip(columns, (term, i, tf, title_tf, *lengths), strict=True):
                    columns[name].append(value)
        if columns["terms"]:
            self.connection.execute(ADD_POSTINGS, columns)
        if remember_words:
            self.connection.execute(REMEMBER_WORDS, [{"text": f"{latest[i].title} {latest[i].body}"} for i in won])

    def remove(self, ids, seq: int = 0) -> None:
        """Remove ``ids``, found unpublished at data version ``seq``; an entry written since stays."""
        won = sorted(self._claim(dict.fromkeys(ids, seq)))
        if won:  # their postings go with them (ON DELETE CASCADE)
            self.connection.execute(sa.delete(documents).where(documents.c.article_id.in_(won),
                                                               documents.c.seq <= seq))

    def _claim(self, seqs: dict[int, int]) -> set[int]:
        """The ids this write may change: those the index holds at no newer version (locked till commit)."""
        if not seqs:
            return set()
        ids = sorted(seqs)  # one order for every writer: two claims never wait for each other in a cycle
        return set(self.connection.execute(CLAIM, {"ids": ids, "seqs": [seqs[i] for i in ids]}).scalars())

    def versions(self) -> dict[int, str]:
        return dict(self.connection.execute(sa.select(documents.c.article_id, documents.c.version)).all())


class PostgresBackend(SearchBackend):
    """Full-text search inside PostgreSQL (EXCHANGE_SEARCH_BACKEND=postgres)."""

    name = "postgres"

    def __init__(self, time_limit: float = 0.5):
        self.time_limit = time_limit

    @contextmanager
    def writer(self, timeout: float):
        try:
            with _engine().begin() as connection:
                connection.exec_driver_sql(f"SET LOCAL lock_timeout = {int(timeout * 1000)}")
                yield PostgresWriter(connection)
        except sa.exc.OperationalError as error:
            if "lock timeout" in str(error).lower():
                raise IndexBusy("Another process is writing the same search rows.") from None
            raise

    def rebuild(self, docs, reconcile, progress=None) -> None:
        """Refill in one transaction: readers see the old rows until the new ones commit."""
        with _engine().begin() as connection:
            writer = PostgresWriter(connection)
            connection.execute(sa.delete(documents))  # and their postings (ON DELETE CASCADE)
            # An article indexed meanwhile at a newer version is refused here: reconcile puts it back.
            batch = []
            for document in docs:
                batch.append(document)
                if len(batch) == 500:
                    writer.update(batch, remember_words=False)
                    progress and progress(len(batch))
                    batch = []
            if batch:
                writer.update(batch, remember_words=False)
                progress and progress(len(batch))
            reconcile(writer)
            connection.execute(ALL_WORDS)
        # Every row was written again: reclaim the old ones and count the new ones now, not when
        # autovacuum comes by, so the first searches read no dead postings and plan with true sizes.
        with _engine().connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM (ANALYZE) search_documents, search_postings")

    def versions(self) -> dict[int, str]:
        with _engine().connect() as connection:
            return PostgresWriter(connection).versions()

    def exists(self) -> bool:
        with _engine().connect() as connection:
            return connection.scalar(sa.text("SELECT to_regclass('search_postings') IS NOT NULL"))

    def knows(self, word: str) -> bool:
        with _engine().connect() as connection:
            return connection.scalar(sa.select(sa.exists().where(words.c.word == word)))

    def spelling_candidates(self, word: str) -> list[str]:
        with _engine().connect() as connection:
            return list(connection.scalars(CANDIDATES, {"w": word, "shortest": len(word) - 2,
                                                        "longest": len(word) + 2, "limit": SPELLING_CANDIDATES}))

    def related(self, document: SearchDocument, limit: int) -> list[tuple[int, float]]:
        """The articles most like ``document`` on its key terms (``postgres_related``)."""
        with _engine().connect() as connection:
            return postgres_related.related(connection, document, limit)

    def search(self, request: SearchRequest) -> SearchResults:
        """One search: matches, facets and a page of hits, within the time limit."""
        try:
            with _engine().begin() as connection:
                connection.exec_driver_sql(f"SET LOCAL statement_timeout = {int(self.time_limit * 1000)}")
                return run(connection, request)
        except sa.exc.OperationalError as error:
            if "statement timeout" in str(error).lower() or "canceling statement" in str(error).lower():
                return SearchResults(request=request, partial=True)
            raise
