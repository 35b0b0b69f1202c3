"""The PostgreSQL search backend (EXCHANGE_SEARCH_BACKEND=postgres): see ``backend``."""
from exchange.search.postgres.backend import PostgresBackend

__all__ = ["PostgresBackend"]
