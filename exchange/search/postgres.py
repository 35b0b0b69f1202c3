"""The PostgreSQL backend: a weighted tsvector per article, a GIN index, facets counted in SQL.

For deployments with several app servers: the index lives in the database every server
already shares. ``search_documents`` holds one row per published article (its tsvector
weighted A title, B summary and topics, C body, D agency); ``search_words`` holds the words
seen, with a trigram index, for "did you mean". Both are made by migration 0007 and are
written only through ``writer()``, like any other backend.

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
import re
from contextlib import contextmanager

import sqlalchemy as sa
from flask import current_app
from markupsafe import Markup, escape
from sqlalchemy.dialects import postgresql

from exchange.search import postgres_related
from exchange.search.blend import blend_sql
from exchange.search.interface import (
    Hit,
    IndexBusy,
    IndexWriter,
    SearchBackend,
    SearchDocument,
    SearchRequest,
    SearchResults,
)

metadata = sa.MetaData()
documents = sa.Table(
    "search_documents", metadata,
    sa.Column("article_id", sa.Integer, primary_key=True),
    sa.Column("slug", sa.Text, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("tag_slugs", postgresql.ARRAY(sa.Text), nullable=False),
    sa.Column("tag_list", sa.Text, nullable=False),  # JSON [[slug, name], ...]
    sa.Column("agency_slug", sa.Text, nullable=False),
    sa.Column("agency_name", sa.Text, nullable=False),
    sa.Column("evidence_level", sa.Integer),
    sa.Column("stage", sa.Text),
    sa.Column("published_at", sa.DateTime(timezone=True)),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("version", sa.Text, nullable=False),
    sa.Column("document", postgresql.TSVECTOR, nullable=False),
    sa.Column("seq", sa.BigInteger, nullable=False),  # the data version the row was read at
)
versions = sa.Table(
    "search_versions", metadata,
    sa.Column("article_id", sa.Integer, primary_key=True),  # no foreign key: outlives the article
    sa.Column("seq", sa.BigInteger, nullable=False),  # the newest data version written for it
)
words = sa.Table("search_words", metadata, sa.Column("word", sa.Text, primary_key=True))

CONFIG = "english"
# \x01 and \x02 never occur in stored text (control characters are removed on save).
HEADLINE = "StartSel=\x01, StopSel=\x02, MaxWords=35, MinWords=15, ShortWord=2, MaxFragments=4, FragmentDelimiter=\x03"
WHOLE = "StartSel=\x01, StopSel=\x02, HighlightAll=true"
SHORT_BODY = 280  # characters: a body this short is shown whole, punctuation and all
UPSERT = sa.text(f"""
INSERT INTO search_documents (article_id, slug, title, kind, summary, body, tag_slugs, tag_list, agency_slug,
    agency_name, evidence_level, stage, published_at, score, version, seq, document)
VALUES (:id, :slug, :title, :kind, :summary, :body, :tag_slugs, :tag_list, :agency_slug, :agency_name,
    :evidence_level, :stage, :published_at, :score, :version, :seq,
    setweight(to_tsvector('{CONFIG}', unaccent(:title)), 'A')
    || setweight(to_tsvector('{CONFIG}', unaccent(:summary || ' ' || :tag_text)), 'B')
    || setweight(to_tsvector('{CONFIG}', unaccent(:body)), 'C')
    || setweight(to_tsvector('simple', unaccent(:agency_name)), 'D'))
ON CONFLICT (article_id) DO UPDATE SET slug = EXCLUDED.slug, title = EXCLUDED.title, kind = EXCLUDED.kind,
    summary = EXCLUDED.summary, body = EXCLUDED.body, tag_slugs = EXCLUDED.tag_slugs, tag_list = EXCLUDED.tag_list,
    agency_slug = EXCLUDED.agency_slug, agency_name = EXCLUDED.agency_name,
    evidence_level = EXCLUDED.evidence_level, stage = EXCLUDED.stage, published_at = EXCLUDED.published_at,
    score = EXCLUDED.score, version = EXCLUDED.version, seq = EXCLUDED.seq, document = EXCLUDED.document
WHERE search_documents.seq <= EXCLUDED.seq
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


def _row(document) -> dict:
    return {
        "id": document.id, "slug": document.slug, "title": document.title, "kind": document.kind,
        "summary": document.summary, "body": document.body, "tag_slugs": [slug for slug, _ in document.tags],
        "tag_list": json.dumps([list(pair) for pair in document.tags]),
        "tag_text": " ".join(name for _, name in document.tags), "agency_slug": document.agency_slug,
        "agency_name": document.agency_name, "evidence_level": document.evidence_level, "stage": document.stage,
        "published_at": document.published_at, "score": document.score or 0.0, "version": document.version,
        "seq": document.seq,
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
        won = self._claim({i: d.seq for i, d in latest.items()})
        rows = [_row(latest[i]) for i in sorted(won)]
        if rows:
            self.connection.execute(UPSERT, rows)
            if remember_words:
                self.connection.execute(REMEMBER_WORDS, [{"text": f"{r['title']} {r['body']}"} for r in rows])

    def remove(self, ids, seq: int = 0) -> None:
        """Remove ``ids``, found unpublished at data version ``seq``; an entry written since stays."""
        won = sorted(self._claim(dict.fromkeys(ids, seq)))
        if won:
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
            connection.execute(sa.delete(documents))
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

    def versions(self) -> dict[int, str]:
        with _engine().connect() as connection:
            return PostgresWriter(connection).versions()

    def exists(self) -> bool:
        with _engine().connect() as connection:
            return connection.scalar(sa.text("SELECT to_regclass('search_documents') IS NOT NULL"))

    def knows(self, word: str) -> bool:
        with _engine().connect() as connection:
            return connection.scalar(sa.select(sa.exists().where(words.c.word == word)))

    def spelling_candidates(self, word: str) -> list[str]:
        with _engine().connect() as connection:
            return spelling_candidates(connection, word)

    def search(self, request: SearchRequest) -> SearchResults:
        """One search: matches, facets and a page of hits, within the time limit."""
        try:
            with _engine().begin() as connection:
                connection.exec_driver_sql(f"SET LOCAL statement_timeout = {int(self.time_limit * 1000)}")
                return _run(connection, request)
        except sa.exc.OperationalError as error:
            if "statement timeout" in str(error).lower() or "canceling statement" in str(error).lower():
                return SearchResults(request=request, partial=True)
            raise

    def related(self, document: SearchDocument, limit: int) -> list[tuple[int, float]]:
        """The articles most like ``document`` on its key terms (``postgres_related``)."""
        with _engine().connect() as connection:
            return postgres_related.related(connection, documents, CONFIG, document, limit)


_TOKEN = re.compile(r'"([^"]*)"?|(\()|(\))|(\w+)')


def tsquery_text(text: str) -> str:
    """Our grammar (words, "phrases", AND, OR, NOT, brackets) as to_tsquery text.

    Every operand is a run of word characters (or a phrase of them), so nothing the user
    types can reach to_tsquery's own syntax; unbalanced brackets and dangling operators are
    dropped, so the result always parses.
    """
    tokens = []
    for phrase, opening, closing, word in _TOKEN.findall(text):
        if opening or closing:
            tokens.append(opening or closing)
        elif word in ("AND", "OR", "NOT"):
            tokens.append(word)
        elif word:
            tokens.append(word)
        else:
            parts = re.findall(r"\w+", phrase)
            if parts:
                tokens.append(" <-> ".join(parts))
    return _Parser(tokens).expression() or ""


class _Parser:
    """or := and (OR and)* ; and := unary (AND? unary)* ; unary := NOT unary | ( or ) | operand."""

    def __init__(self, tokens):
        self.tokens, self.at = tokens, 0

    def _peek(self):
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def expression(self) -> str | None:
        parts = [p for p in [self._or()] if p]
        while self._peek() == ")":  # an unmatched closing bracket: skip it, AND what follows
            self.at += 1
            more = self._or()
            if more:
                parts.append(more)
        return " & ".join(f"({p})" for p in parts) if len(parts) > 1 else (parts[0] if parts else None)

    def _or(self) -> str | None:
        parts = [p for p in [self._and()] if p]
        while self._peek() == "OR":
            self.at += 1
            part = self._and()
            if part:
                parts.append(part)
        return " | ".join(parts) if len(parts) > 1 else (parts[0] if parts else None)

    def _and(self) -> str | None:
        parts = []
        while self._peek() not in (None, "OR", ")"):
            if self._peek() == "AND":
                self.at += 1
                continue
            part = self._unary()
            if part:
                parts.append(part)
        return " & ".join(f"({p})" for p in parts) if len(parts) > 1 else (parts[0] if parts else None)

    def _unary(self) -> str | None:
        token = self._peek()
        self.at += 1
        if token == "NOT":
            operand = self._unary() if self._peek() not in (None, "OR", ")", "AND") else None
            return f"!({operand})" if operand else None
        if token == "(":
            inner = self._or()
            if self._peek() == ")":
                self.at += 1
            return f"({inner})" if inner else None
        return token


def _run(connection, request: SearchRequest) -> SearchResults:
    text = tsquery_text(request.query.text)
    query = sa.func.to_tsquery(CONFIG, sa.func.unaccent(text)) if text else None
    conditions = _conditions(request, query)
    facets, total = _facets(connection, conditions)
    rank = sa.func.ts_rank_cd(documents.c.document, query, 32) if query is not None else sa.literal(0.0)
    relevance = blend_sql(rank, documents.c.score)
    order = {
        "top": [documents.c.score.desc(), documents.c.published_at.desc()],
        "new": [documents.c.published_at.desc(), documents.c.article_id.desc()],
    }.get(request.sort, [relevance.desc(), documents.c.published_at.desc()])
    page = (sa.select(documents, relevance.label("relevance")).where(*conditions).order_by(*order)
            .limit(request.per_page).offset((request.page - 1) * request.per_page).subquery())
    headline = sa.case(
        (sa.func.length(page.c.body) <= SHORT_BODY, sa.func.ts_headline(CONFIG, page.c.body, query, WHOLE)),
        else_=sa.func.ts_headline(CONFIG, page.c.body, query, HEADLINE),
    ) if query is not None else sa.literal("")
    outer = {
        "top": [page.c.score.desc(), page.c.published_at.desc()],
        "new": [page.c.published_at.desc(), page.c.article_id.desc()],
    }.get(request.sort, [page.c.relevance.desc(), page.c.published_at.desc()])
    rows = connection.execute(sa.select(page, headline.label("headline")).order_by(*outer)).all()
    return SearchResults(
        request=request,
        hits=[_hit(row, request) for row in rows],
        total=total,
        facets=facets,
        suggestion=_suggest(connection, request),
    )


def _conditions(request: SearchRequest, query) -> list:
    conditions = []
    if query is not None:
        conditions.append(documents.c.document.op("@@")(query))
    if request.kind:
        conditions.append(documents.c.kind == request.kind)
    if request.agency:
        conditions.append(documents.c.agency_slug == request.agency)
    if request.tags:
        conditions.append(documents.c.tag_slugs.contains(list(request.tags)))
    if request.evidence_min:
        conditions.append(documents.c.evidence_level >= request.evidence_min)
    if request.stage:
        conditions.append(documents.c.stage == request.stage)
    return conditions


def _facets(connection, conditions) -> tuple[dict[str, dict[str, int]], int]:
    """Facet counts over every match (one grouping-sets query, one for topics), and the total."""
    columns = {"kind": documents.c.kind, "agency": documents.c.agency_slug,
               "evidence_level": documents.c.evidence_level, "stage": documents.c.stage}
    grouping = sa.func.grouping(*columns.values())
    rows = connection.execute(
        sa.select(grouping.label("g"), *columns.values(), sa.func.count().label("n")).where(*conditions)
        .group_by(sa.text("GROUPING SETS ((kind), (agency_slug), (evidence_level), (stage))"))).all()
    counts: dict[str, dict[str, int]] = {name: {} for name in ("kind", "tag", "agency", "evidence_level", "stage")}
    bits = {name: 1 << (len(columns) - 1 - i) for i, name in enumerate(columns)}  # grouping(): 1 = rolled up
    total = 0
    for row in rows:
        for name, column in columns.items():
            if not row.g & bits[name]:
                value = row._mapping[column.name]
                if name == "kind":
                    total += row.n
                if value not in (None, ""):
                    counts[name][str(value)] = row.n
    tag = sa.func.unnest(documents.c.tag_slugs).label("tag")
    tagged = sa.select(tag).where(*conditions).subquery()
    for value, n in connection.execute(sa.select(tagged.c.tag, sa.func.count()).group_by(tagged.c.tag)):
        counts["tag"][value] = n
    return counts, total


def _hit(row, request: SearchRequest) -> Hit:
    return Hit(
        id=row.article_id, slug=row.slug, title=row.title, kind=row.kind, summary=row.summary,
        snippet=_snippet(row.headline, row.body, row.summary), tags=[tuple(pair) for pair in json.loads(row.tag_list)],
        agency_slug=row.agency_slug, agency_name=row.agency_name, evidence_level=row.evidence_level,
        stage=row.stage, published_at=row.published_at, score=row.score,
        relevance=float(row.relevance) if request.sort == "relevance" else 0.0,
    )


def _snippet(headline: str | None, body: str, summary: str) -> Markup:
    """ts_headline's passage, escaped, with only our own <mark> tags; the summary if nothing matched."""
    if not headline or "\x01" not in headline:
        return escape(summary)
    fragments = headline.split("\x03")
    passage = max(fragments, key=lambda f: f.count("\x01")).strip()  # the first with the most matches
    plain = passage.replace("\x01", "").replace("\x02", "")
    text = str(escape(passage)).replace("\x01", "<mark>").replace("\x02", "</mark>")
    before = "" if body.lstrip().startswith(plain) else "… "
    after = "" if body.rstrip().endswith(plain) else " …"
    return Markup(before + text + after)


def _suggest(connection, request: SearchRequest) -> str | None:
    """Each word the index has never seen, replaced by the most similar one it has (trigrams)."""
    text, changed = request.query.original, False
    for word in request.query.words:
        folded = connection.scalar(sa.select(sa.func.lower(sa.func.unaccent(word))))
        if len(folded) < 3 or not folded.isalpha() or connection.scalar(
                sa.select(words.c.word).where(words.c.word == folded)) or connection.scalar(
                sa.select(sa.exists().where(documents.c.document.op("@@")(
                    sa.func.plainto_tsquery(CONFIG, folded))))):
            continue  # known as written, or its stem is (ferry -> ferries)
        similar = connection.scalar(sa.text(
            "SELECT word FROM search_words WHERE word % :w ORDER BY similarity(word, :w) DESC, word LIMIT 1"),
            {"w": folded})
        if similar and similar != folded:
            text, changed = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", similar, text, count=1), True
    return text if changed else None


SPELLING_CANDIDATES = 500


def spelling_candidates(connection, word: str) -> list[str]:
    """Known words with the same first letter, about as long and sharing some trigrams ("did you mean" ranks them).

    Looser than pg_trgm's ``%`` (0.3): "opne" and "open" share only a quarter of their trigrams.
    """
    return list(connection.scalars(sa.text(
        "SELECT word FROM search_words WHERE left(word, 1) = left(:w, 1)"
        " AND length(word) BETWEEN :shortest AND :longest AND similarity(word, :w) >= 0.1"
        " ORDER BY similarity(word, :w) DESC, word LIMIT :limit"),
        {"w": word, "shortest": len(word) - 2, "longest": len(word) + 2, "limit": SPELLING_CANDIDATES}))
