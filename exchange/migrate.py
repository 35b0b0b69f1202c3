"""Alembic, driven from the app: the migrations ship inside the package."""
import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app

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
    if after == before or after is None:
        return []
    steps = ScriptDirectory.from_config(config).iterate_revisions(after, before or "base")
    return [step.revision for step in reversed(list(steps))]
