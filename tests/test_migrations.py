"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext


# SQLite cannot reflect the expression index on lower(title); it is compared on PostgreSQL.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_migrations_match_the_models(app):
    from exchange.db import db
    from exchange.models import metadata

    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_name": _ours})
        differences = compare_metadata(context, metadata)
    assert differences == []


def _ours(name, type_, parent_names):
    """The PostgreSQL search backend keeps its own tables outside the models (search/postgres.py)."""
    table = name if type_ == "table" else parent_names.get("table_name")
    return table not in ("search_documents", "search_words", "search_versions", "search_postings")


def test_one_head(app):
    from alembic.script import ScriptDirectory

    from exchange.migrate import alembic_config

    with app.app_context():
        assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1


def test_never_published_drafts_get_private_addresses(app, make):
    """Migration 0012: back to 0011 (where drafts had their clean slugs) and up again."""
    import sqlalchemy as sa
    from alembic import command

    from exchange.articles.models import Article
    from exchange.db import db
    from exchange.migrate import alembic_config, upgrade

    def _slugs() -> dict[int, str]:
        try:
            return dict(db.session.execute(sa.select(Article.id, Article.slug)).all())
        finally:
            db.session.close()

    author = make.user()
    draft = make.article(author, status="draft", title="Ferry pilot")
    published = make.article(author, title="Bus lanes")
    back = make.article(author, title="Back to draft")
    with app.app_context():
        db.session.execute(sa.update(Article).where(Article.id == back.id).values(status="draft"))
        db.session.commit()
        db.session.close()  # the migrations take the database for themselves
        command.downgrade(alembic_config(), "0011")
        assert _slugs()[draft.id] == "ferry-pilot"
        upgrade()
        after = _slugs()
    assert after[draft.id].startswith("ferry-pilot--") and len(after[draft.id]) == len("ferry-pilot--") + 6
    assert after[published.id] == "bus-lanes" and after[back.id] == "back-to-draft"
