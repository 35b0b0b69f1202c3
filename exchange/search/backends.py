"""Choosing the backend from the configuration, and what the app keeps for search."""
import time
from dataclasses import dataclass, field

from flask import current_app

from exchange.search.interface import NullBackend, SearchBackend
from exchange.search.query import Synonyms

KEY = "exchange.search"


@dataclass
class Search:
    """The app's search: its backend, synonyms and settings."""

    backend: SearchBackend
    synonyms: Synonyms
    write_timeout: float
    sweep_seconds: float
    last_sweep: float = field(default_factory=time.monotonic)


def make_backend(config) -> SearchBackend:
    """The backend ``SEARCH_BACKEND`` names."""
    name = config["SEARCH_BACKEND"]
    if name == "null":
        return NullBackend()
    if name == "whoosh":
        from exchange.search.whoosh.backend import WhooshBackend

        return WhooshBackend(config["SEARCH_INDEX"], time_limit=float(config["SEARCH_TIME_LIMIT"]),
                             limitmb=int(config["SEARCH_REINDEX_LIMITMB"]), procs=int(config["SEARCH_REINDEX_PROCS"]))
    if name == "postgres":
        if not config["DATABASE_URL"].startswith(("postgresql", "postgres:")):
            raise RuntimeError("SEARCH_BACKEND=postgres needs a PostgreSQL DATABASE_URL.")
        from exchange.search.postgres import PostgresBackend

        return PostgresBackend(time_limit=float(config["SEARCH_TIME_LIMIT"]))
    raise RuntimeError(f"SEARCH_BACKEND {name!r} is not available: use 'whoosh', 'postgres' or 'null'.")


def make_search(config) -> Search:
    return Search(
        backend=make_backend(config),
        synonyms=Synonyms.load(config["SEARCH_SYNONYMS"]),
        write_timeout=float(config["SEARCH_WRITE_TIMEOUT"]),
        sweep_seconds=float(config["SEARCH_SWEEP_SECONDS"]),
    )


def configured(app=None) -> Search:
    """The search of ``app`` (or the current app)."""
    return (app or current_app).extensions[KEY]


def database_engine(app=None):
    """The app's database engine, for the short transactions search keeps to itself."""
    return (app or current_app).extensions["exchange.db"].kw["bind"]
