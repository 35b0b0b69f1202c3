"""PostgreSQL search ranks with BM25: postings with term counts, field lengths, a configuration of our own

Revision ID: 0016
Revises: 0015

Every word of a query is optional now and results are ranked by BM25, as in the Whoosh backend.
BM25 needs how often each word occurs in each article and how many articles have it:
``search_postings`` holds (word, article, count in the text, count in the title, the article's
lengths) for the content words of every indexed article, written with its row, and gone with it
(``ON DELETE CASCADE``);
the number of articles that have a word is counted from its primary key at query time, so it is
always exact. ``search_documents`` gains the lengths BM25 normalises by.

The words are stemmed in Python (Snowball English, exchange/search/words.py), so the rows
written before this revision, stemmed by PostgreSQL's ``english`` configuration, are emptied:
run ``exchange search reindex`` after upgrading. The ``exchange_english`` configuration
(accents folded, Snowball English stems, no stop list) is what snippets highlight with.
PostgreSQL only; nothing on SQLite.
"""
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE TEXT SEARCH DICTIONARY exchange_english_stem (TEMPLATE = snowball, Language = english)")
    op.execute("CREATE TEXT SEARCH CONFIGURATION exchange_english (COPY = english)")
    op.execute("""ALTER TEXT SEARCH CONFIGURATION exchange_english
        ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
        WITH unaccent, exchange_english_stem""")
    op.execute("DELETE FROM search_documents")
    op.execute("ALTER TABLE search_documents ADD COLUMN text_length integer NOT NULL DEFAULT 0")
    op.execute("ALTER TABLE search_documents ADD COLUMN title_length integer NOT NULL DEFAULT 0")
    op.execute("""
        CREATE TABLE search_postings (
            term text NOT NULL,
            article_id integer NOT NULL REFERENCES search_documents (article_id) ON DELETE CASCADE,
            tf integer NOT NULL,
            title_tf integer NOT NULL,
            text_length integer NOT NULL,
            title_length integer NOT NULL,
            PRIMARY KEY (term, article_id) INCLUDE (tf, title_tf, text_length, title_length)
        )""")
    # BM25 reads a word's postings from the primary key alone (an index-only scan), and the
    # article count and average lengths from this narrow index, never the wide rows.
    op.execute("CREATE INDEX ix_search_documents_lengths ON search_documents (text_length, title_length)")
    op.execute("CREATE INDEX ix_search_postings_article_id ON search_postings (article_id)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TABLE IF EXISTS search_postings")
    op.execute("DELETE FROM search_documents")  # built for this revision's queries: reindex after
    op.execute("ALTER TABLE search_documents DROP COLUMN IF EXISTS title_length")
    op.execute("ALTER TABLE search_documents DROP COLUMN IF EXISTS text_length")
    op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS exchange_english")
    op.execute("DROP TEXT SEARCH DICTIONARY IF EXISTS exchange_english_stem")
