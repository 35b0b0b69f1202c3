"""Related practices on PostgreSQL: an article's key terms as one OR query over ``search_documents``.

The equivalent of Whoosh's ``more_like``: take the article's words (stemmed as the index stems
them), keep the most frequent, weigh each by tf-idf (its count in the article times the log of
how rare it is among indexed articles, counted with the GIN index), and search for the best of
them joined by OR, ranked and blended with endorsements as a search is. The words come from the
article's text, so a draft (which is not indexed) has related practices too.
"""
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from exchange.search.blend import blend_sql
from exchange.search.interface import SearchDocument

CANDIDATE_WORDS = 40  # the article's most frequent words whose rarity is counted
KEY_TERMS = 12  # of those, the most telling by tf-idf, as in the Whoosh backend
# The words are stemmed with the index's own text search configuration (``config``).
RARITY = sa.text("""
WITH words AS (
    SELECT lexeme, coalesce(array_length(positions, 1), 1) AS tf
    FROM unnest(to_tsvector(CAST(:config AS regconfig), unaccent(:text)))
    WHERE lexeme ~ '^\\w{2,}$'
    ORDER BY tf DESC, lexeme
    LIMIT :candidates
), counted AS (
    SELECT lexeme, tf, (SELECT count(*) FROM search_documents d
                        WHERE d.document @@ CAST('''' || lexeme || '''' AS tsquery)) AS df
    FROM words
)
SELECT lexeme FROM counted
WHERE df > 0
ORDER BY tf * ln((:total + 1.0) / df) DESC, lexeme
LIMIT :terms
""")


def related(connection, documents: sa.Table, config: str, document: SearchDocument,
            limit: int) -> list[tuple[int, float]]:
    """The articles of ``documents`` most like ``document`` (never itself): (article id, blended score), best first."""
    terms = key_terms(connection, documents, config, document)
    topics = [slug for slug, _ in document.tags]
    if not (terms or topics) or limit <= 0:
        return []
    query = sa.cast(" | ".join(f"'{term}'" for term in terms), postgresql.TSQUERY)
    # Practices on the same topics are candidates too, scoring nothing for it: they fill the list
    # when few share the article's words (the service puts the same topic first).
    same_topic = documents.c.tag_slugs.overlap(sa.cast(topics, postgresql.ARRAY(sa.Text)))
    relevance = blend_sql(sa.func.ts_rank(documents.c.document, query), documents.c.score)
    rows = connection.execute(
        sa.select(documents.c.article_id, relevance.label("relevance"))
        .where(sa.or_(documents.c.document.op("@@")(query), same_topic), documents.c.article_id != document.id)
        .order_by(relevance.desc(), documents.c.article_id).limit(limit))
    return [(row.article_id, float(row.relevance)) for row in rows]


def key_terms(connection, documents: sa.Table, config: str, document: SearchDocument) -> list[str]:
    """The article's most telling indexed words (stems), the most telling first."""
    total = connection.scalar(sa.select(sa.func.count()).select_from(documents)) or 0
    if not total:
        return []
    topics = " ".join(name for _, name in document.tags)
    text = "\n".join([document.title, document.title, document.summary, document.body, topics])
    values = {"config": config, "text": text, "candidates": CANDIDATE_WORDS, "terms": KEY_TERMS, "total": total}
    return list(connection.scalars(RARITY, values))
