"""Related practices on PostgreSQL: an article's key terms as one OR query over ``search_documents``.

The equivalent of Whoosh's ``more_like``: take the article's words, analysed as the index analyses
them (``postgres.text.index``: the same stems and stop words), keep the most frequent, weigh each
by tf-idf (its count in the article times the log of how rare it is among indexed articles,
counted from ``search_postings``), and search for the best of them joined by OR, ranked and
blended with endorsements as a search is. The words come from the article's own text, so a
draft (which is not indexed) has related practices too.
"""
import math

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from exchange.search.blend import blend_sql
from exchange.search.interface import SearchDocument
from exchange.search.postgres import text
from exchange.search.postgres.tables import documents, postings

CANDIDATE_WORDS = 40  # the article's most frequent words whose rarity is counted
KEY_TERMS = 12  # of those, the most telling by tf-idf, as in the Whoosh backend


def related(connection, document: SearchDocument, limit: int) -> list[tuple[int, float]]:
    """The indexed articles most like ``document`` (never itself): (article id, blended score), best first."""
    terms = key_terms(connection, document)
    topics = [slug for slug, _ in document.tags]
    if not (terms or topics) or limit <= 0:
        return []
    query = sa.cast(" | ".join(text._quote(term) for term in terms) or "''", postgresql.TSQUERY)
    # Practices on the same topics are candidates too, scoring nothing for it: they fill the list
    # when few share the article's words (the service puts the same topic first).
    same_topic = documents.c.tag_slugs.overlap(sa.cast(topics, postgresql.ARRAY(sa.Text)))
    matches = documents.c.document.op("@@")(query) if terms else sa.false()
    relevance = blend_sql(sa.func.ts_rank(documents.c.document, query), documents.c.score)
    rows = connection.execute(
        sa.select(documents.c.article_id, relevance.label("relevance"))
        .where(sa.or_(matches, same_topic), documents.c.article_id != document.id)
        .order_by(relevance.desc(), documents.c.article_id).limit(limit))
    return [(row.article_id, float(row.relevance)) for row in rows]


def key_terms(connection, document: SearchDocument) -> list[str]:
    """The article's most telling indexed words (stems), the most telling first."""
    total = connection.scalar(sa.select(sa.func.count()).select_from(documents)) or 0
    if not total:
        return []
    counts = {term: tf for term, (tf, _title_tf) in text.index(document).postings.items()}
    candidates = sorted(counts, key=lambda term: (-counts[term], term))[:CANDIDATE_WORDS]
    if not candidates:
        return []
    found = dict(connection.execute(
        sa.select(postings.c.term, sa.func.count()).where(postings.c.term.in_(candidates))
        .group_by(postings.c.term)).all())
    weighted = [(counts[term] * math.log((total + 1.0) / found[term]), term) for term in candidates if found.get(term)]
    return [term for _, term in sorted(weighted, key=lambda item: (-item[0], item[1]))[:KEY_TERMS]]
