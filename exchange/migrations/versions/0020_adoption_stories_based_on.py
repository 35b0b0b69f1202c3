"""endorsements.adopted_on, adoption_status, outcome; articles.based_on_id, support_json: adoption stories,
adaptations and ranking labels

Revision ID: 0020
Revises: 0019

An adoption can say when the agency adopted the practice, how it is going (piloting, in use,
stopped) and its outcome in a sentence. An article can be marked as an adaptation of another
("based on"), so the original lists what grew from it. ``articles.support_json`` keeps who vouched
for an article in the words its cards show (filled here from the endorsements there are).
"""
import json

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # add_column, not a batch: a batch would rebuild the table on SQLite and lose its expression index.
    op.add_column("endorsements", sa.Column("adopted_on", sa.Date(), nullable=True))
    op.add_column("endorsements", sa.Column("adoption_status", sa.String(10), nullable=True))
    op.add_column("endorsements", sa.Column("outcome", sa.Text(), nullable=False, server_default=""))
    if op.get_bind().dialect.name == "sqlite":  # SQLite adds a column's reference only inline
        op.execute("ALTER TABLE articles ADD COLUMN based_on_id INTEGER "
                   "REFERENCES articles (id)")
    else:
        op.add_column("articles", sa.Column(
            "based_on_id", sa.Integer(),
            sa.ForeignKey("articles.id", name="fk_articles_based_on_id_articles"),
            nullable=True))
    op.create_index("ix_articles_based_on_id", "articles", ["based_on_id"])
    op.add_column("articles", sa.Column("support_json", sa.Text(), nullable=False, server_default="{}"))
    _fill_support()


def _fill_support() -> None:
    """The support summary of every endorsed article (as endorsements.ranking.support_summary makes it)."""
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT e.article_id, e.kind, e.agency_id, g.name, a.agency_id FROM endorsements e "
        "JOIN agencies g ON g.id = e.agency_id JOIN articles a ON a.id = e.article_id "
        "ORDER BY e.article_id, e.created_at, e.id")).all()
    summaries: dict[int, dict] = {}
    for article_id, kind, agency_id, name, owner in rows:
        said = summaries.setdefault(article_id, {"adopted_by": {}, "endorsing": set(), "outside_people": 0,
                                                 "own_adoptions": 0, "own_endorsements": 0})
        if agency_id == owner:
            said["own_adoptions" if kind == "adopt" else "own_endorsements"] += 1
            continue
        said["outside_people"] += 1
        if kind == "adopt":
            said["adopted_by"].setdefault(agency_id, name)
        else:
            said["endorsing"].add(agency_id)
    for article_id, said in summaries.items():
        adopters, endorsing = said.pop("adopted_by"), said.pop("endorsing")
        value = {"adopted_by": list(adopters.values()), "endorsing_agencies": len(endorsing - set(adopters)),
                 "outside_people": said["outside_people"], "outside_agencies": len(endorsing | set(adopters)),
                 "own_adoptions": said["own_adoptions"], "own_endorsements": said["own_endorsements"], "extra": {}}
        bind.execute(sa.text("UPDATE articles SET support_json = :value WHERE id = :id"),
                     {"value": json.dumps(value), "id": article_id})


def downgrade() -> None:
    op.drop_column("articles", "support_json")
    op.drop_index("ix_articles_based_on_id", table_name="articles")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("fk_articles_based_on_id_articles", "articles", type_="foreignkey")
    op.drop_column("articles", "based_on_id")
    for column in ("outcome", "adoption_status", "adopted_on"):
        op.drop_column("endorsements", column)
