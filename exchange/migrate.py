"""Alembic, driven from the app: the migrations ship inside the package."""
import logging
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app

from exchange.db import db

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    """An Alembic config pointing at our migrations and the app's database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = current_app.extensions["exchange.db"].kw["bind"]
    return config


def current_revision(config: Config) -> str | None:
    """The revision the database is at (None before the first migration)."""
    with config.attributes["engine"].connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(revision: str = "head", verbose: bool = False) -> list[str]:
    """Bring the schema to ``revision``; return the migrations applied, oldest first.

    Alembic's own lines (one per migration) are shown only when ``verbose``.
    """
    logging.getLogger("alembic").setLevel(logging.INFO if verbose else logging.WARNING)
    config = alembic_config()
    before = current_revision(config)
    command.upgrade(config, revision)
    after = current_revision(config)
    refresh_statistics()
    if after == before or after is None:
        return []
    steps = ScriptDirectory.from_config(config).iterate_revisions(after, before or "base")
    return [step.revision for step in reversed(list(steps))]


def refresh_statistics() -> None:
    """Tell the query planner how the tables look now (``ANALYZE``), after a migration or a bulk load.

    Without statistics SQLite takes an equality on any indexed column to pick out a few rows, so it
    answered "these 20 articles, if published" and "this person's practices" by walking every published
    article through the status index: 5-25 ms at 10,000 articles, growing with the library. With them it
    looks the rows up by key. Milliseconds at 10,000 articles; PostgreSQL's autovacuum would get there
    later on its own."""
    # On the request's own session: a second connection would wait for its write lock (SQLite).
    db.session.execute(sa.text("ANALYZE"))
    db.session.commit()
