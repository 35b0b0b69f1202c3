"""BM25 inside PostgreSQL, the same function of the same counts as the Whoosh backend's.

For each word of the query that counts (content words outside negations), an article that has
it scores, in the text (title, summary, body, topics, agency) and again in its title::

    weight * idf(t) * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / average length))

with ``idf(t) = ln(1 + (N - df(t) + 0.5) / (df(t) + 0.5))`` (BM25's own, as Lucene has it) and
``weight`` the number of times the query asks for the word. The text scores are summed and
multiplied by the share of the query's words the article has, to the power COORDINATION (so
that an article with more of the words comes first); the title scores, times TITLE_WEIGHT, are
added. These are the Whoosh backend's formula and constants (``exchange.search.whoosh``).

``df`` is counted from ``search_postings``'s primary key for the few words asked, ``N`` and
the average lengths from an index of ``search_documents``'s lengths: all in the reader's own
snapshot, so they always describe exactly the articles it searches, with nothing to keep in step
on writes. The postings carry their article's lengths, so the scores are read from the primary
key alone (an index-only scan), never from the articles' wide rows. The
endorsement blend (``exchange.search.blend``) is applied on top, by the caller.
"""
import sqlalchemy as sa

# The Whoosh backend's constants (exchange/search/whoosh/searching.py and query.py), measured there
# on CISI; the parity test (tests/search/test_postgres_parity.py) tells when the two drift apart.
K1 = 1.5
B = 0.75
COORDINATION = 0.0  # the exponent of the share of the query's words an article has
TITLE_WEIGHT = 0.2  # how much the title's own BM25 score adds


def _bm25(tf: str, length: str, average: str) -> str:
    return f"{tf} * {K1 + 1} / ({tf} + {K1} * ({1 - B} + {B} * {length} / {average}))"


def _idf(df: str) -> str:
    return f"ln(1 + (s.n - {df} + 0.5) / ({df} + 0.5))"


SCORES = sa.text(f"""
WITH stats AS (
    SELECT count(*)::float8 AS n,
           greatest(coalesce(avg(text_length), 0), 1)::float8 AS text_avg,
           greatest(coalesce(avg(title_length), 0), 1)::float8 AS title_avg
    FROM search_documents
), asked AS (
    SELECT * FROM unnest(CAST(:terms AS text[]), CAST(:weights AS float8[])) AS asked (term, weight)
), weights AS (
    SELECT a.term, a.weight * {_idf("count(*)")} AS text_weight,
           a.weight * {_idf("count(*) FILTER (WHERE p.title_tf > 0)")} AS title_weight
    FROM asked a JOIN search_postings p ON p.term = a.term CROSS JOIN stats s
    GROUP BY a.term, a.weight, s.n
)
SELECT p.article_id,
       sum(w.text_weight * {_bm25("p.tf", "p.text_length", "s.text_avg")})
           * power(count(*) / CAST(:asked AS float8), {COORDINATION})
       + {TITLE_WEIGHT} * sum(CASE WHEN p.title_tf > 0
             THEN w.title_weight * {_bm25("p.title_tf", "p.title_length", "s.title_avg")} ELSE 0 END) AS bm25
FROM search_postings p
JOIN weights w ON w.term = p.term
CROSS JOIN stats s
GROUP BY p.article_id
""").columns(sa.column("article_id", sa.Integer), sa.column("bm25", sa.Float))


def scores(terms: tuple[tuple[str, int], ...]):
    """The BM25 score of every article that has any of ``terms`` (stem, times asked), as a subquery."""
    return SCORES.bindparams(terms=[t for t, _ in terms], weights=[float(n) for _, n in terms],
                             asked=len(terms)).subquery("scores")
