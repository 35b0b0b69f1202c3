"""Alembic, driven from the app: the migrations ship inside the package."""
from pathlib import Path

from alembic import command
from alembic.config import Config
from flask import current_app

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    """An Alembic config pointing at our migrations and the app's database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = current_app.extensions["exchange.db"].kw["bind"]
    return config


def upgrade(revision: str = "head") -> None:
    """Bring the schema to ``revision``."""
    command.upgrade(alembic_config(), revision)
