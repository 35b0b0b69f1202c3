"""The PostgreSQL backend's tables (migrations 0007, 0013, 0016 and 0024), kept outside the models.

``search_documents``: one row per published article, with its ``tsvector`` (every word and
its positions, for matching and phrases) and its lengths in content words. ``search_postings``:
for each content word of each article, its count in the text and in the title (BM25).
``search_versions``: per article, the newest data version written to the index (write order).
``search_words``: the words seen, with a trigram index, for "did you mean".
"""
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

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
    sa.Column("agency_country", sa.Text, nullable=False),  # migration 0024: "" when the agency has none
    sa.Column("agency_level", sa.Text, nullable=False),
    sa.Column("evidence_level", sa.Integer),
    sa.Column("stage", sa.Text),
    sa.Column("published_at", sa.DateTime(timezone=True)),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("version", sa.Text, nullable=False),
    sa.Column("document", postgresql.TSVECTOR, nullable=False),
    sa.Column("seq", sa.BigInteger, nullable=False),  # the data version the row was read at
    sa.Column("text_length", sa.Integer, nullable=False),  # content words in the text
    sa.Column("title_length", sa.Integer, nullable=False),  # content words in the title
)
postings = sa.Table(
    "search_postings", metadata,
    sa.Column("term", sa.Text, primary_key=True),
    sa.Column("article_id", sa.Integer, primary_key=True),
    sa.Column("tf", sa.Integer, nullable=False),  # occurrences in the text (title, summary, body, topics, agency)
    sa.Column("title_tf", sa.Integer, nullable=False),  # occurrences in the title
    sa.Column("text_length", sa.Integer, nullable=False),  # the article's, as in search_documents:
    sa.Column("title_length", sa.Integer, nullable=False),  # BM25 then reads the postings alone
)
versions = sa.Table(
    "search_versions", metadata,
    sa.Column("article_id", sa.Integer, primary_key=True),  # no foreign key: outlives the article
    sa.Column("seq", sa.BigInteger, nullable=False),  # the newest data version written for it
)
words = sa.Table("search_words", metadata, sa.Column("word", sa.Text, primary_key=True))
