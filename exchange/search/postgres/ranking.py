"""BM25 inside PostgreSQL, the same function of the same counts as the Whoosh backend's.

For each word of the query that counts (content words outside negations), an article that has
it scores, in the text (title, summary, body, topics, agency) and again in its title::

    idf(t) * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / average length))

with ``idf(t) = ln(N / (df(t) + 1)) + 1`` (Whoosh's BM25F), the title's counts multiplied by
TITLE_BOOST as Whoosh weights its title field, and the text score plus the title score summed
over the query's words. ``df`` is counted from ``search_postings``'s primary key for the few
words asked, ``N`` and the average lengths from ``search_documents``: both in the reader's
own snapshot, so they always describe exactly the articles it searches, with nothing to keep
in step on writes. An article that has more of the query's words scores higher; the
endorsement blend (``exchange.search.blend``) is applied on top, by the caller.
"""
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

K1 = 1.2
B = 0.75
TITLE_BOOST = 4.0  # as the Whoosh schema's title field_boost

SCORES = sa.text(f"""
WITH stats AS (
    SELECT count(*)::float8 AS n,
           greatest(coalesce(avg(text_length), 0), 1)::float8 AS text_avg,
           greatest(coalesce(avg(title_length), 0), 1)::float8 AS title_avg
    FROM search_documents
), weights AS (
    SELECT p.term,
           ln(s.n / (count(*) + 1)) + 1 AS idf,
           ln(s.n / (count(*) FILTER (WHERE p.title_tf > 0) + 1)) + 1 AS title_idf
    FROM search_postings p CROSS JOIN stats s
    WHERE p.term = ANY(:terms)
    GROUP BY p.term, s.n
)
SELECT p.article_id,
       sum(w.idf * p.tf * {K1 + 1} / (p.tf + {K1} * ({1 - B} + {B} * d.text_length / s.text_avg))
           + CASE WHEN p.title_tf > 0 THEN
                 w.title_idf * p.title_tf * {TITLE_BOOST * (K1 + 1)}
                 / (p.title_tf * {TITLE_BOOST} + {K1} * ({1 - B} + {B} * d.title_length / s.title_avg))
             ELSE 0 END) AS bm25
FROM search_postings p
JOIN weights w ON w.term = p.term
JOIN search_documents d ON d.article_id = p.article_id
CROSS JOIN stats s
GROUP BY p.article_id
""").bindparams(sa.bindparam("terms", type_=postgresql.ARRAY(sa.Text))).columns(
    sa.column("article_id", sa.Integer), sa.column("bm25", sa.Float))


def scores(terms: tuple[str, ...]):
    """The BM25 score of every article that has any of ``terms``, as a subquery (article_id, bm25)."""
    return SCORES.bindparams(terms=list(terms)).subquery("scores")
