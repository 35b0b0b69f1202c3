"""Migration 0005 creates exactly what the community models describe."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

TABLES = {"comments", "flags", "follows", "notifications"}


def _named_mine(name, type_, parent_names):
    """Reflect only the community tables (others' tables are not this migration's business)."""
    if type_ == "schema":
        return True
    return name in TABLES if type_ == "table" else parent_names.get("table_name") in TABLES


def _mine(obj, name, type_, reflected, compare_to):
    table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
    return table in TABLES


def test_migration_matches_the_community_models(app):
    from exchange.db import db
    from exchange.models import metadata

    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_name": _named_mine, "include_object": _mine})
        assert compare_metadata(context, metadata) == []
