"""Backups while the site runs: a consistent copy of a SQLite database plus a content export."""
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from exchange.content.endorsement_file import export_endorsements
from exchange.content.library import export_directory
from exchange.db import db
from exchange.errors import Invalid


def backup(directory, progress=None) -> Path:
    """Write ``DIR/exchange-<UTC time>/`` with ``exchange.db`` (SQLite only) and ``content/``."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = Path(directory) / f"exchange-{stamp}"
    if target.exists():
        raise Invalid(f"{target} exists already; wait a second or choose another folder.", {"directory": "exists"})
    target.mkdir(parents=True)
    if db.engine.dialect.name == "sqlite":
        _copy_sqlite(target / "exchange.db")
    export_directory(target / "content", progress)
    export_endorsements(target / "content")
    return target


def _copy_sqlite(destination: Path) -> None:
    """SQLite's online backup API: a consistent snapshot even while others write."""
    raw = db.engine.raw_connection()
    try:
        copy = sqlite3.connect(str(destination))
        try:
            raw.driver_connection.backup(copy, pages=1024)
        finally:
            copy.close()
    finally:
        raw.close()
