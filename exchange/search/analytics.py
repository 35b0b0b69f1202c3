"""The search log: what people look for, and what they look for and do not find."""
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from exchange.db import db, utcnow
from exchange.search.models import SearchLog

log = logging.getLogger(__name__)
WINDOW_DAYS = 30


@dataclass(frozen=True)
class QueryStat:
    query: str
    searches: int
    average_results: float
    last_searched: datetime


def log_search(text: str, results: int, took_ms: int) -> None:
    """Record one search in its own short transaction; a failure is logged, never raised."""
    try:
        with db.engine.begin() as connection:
            connection.execute(sa.insert(SearchLog).values(
                query=normalise(text), results=results, took_ms=took_ms, created_at=utcnow()))
    except Exception:  # losing a log line must never cost anyone their search
        log.warning("could not log a search", exc_info=True)


def normalise(text: str) -> str:
    """How a query is counted: case and spacing do not make two queries different."""
    return " ".join(text.casefold().split())[:256]


def top_queries(limit: int = 25, days: int = WINDOW_DAYS) -> list[QueryStat]:
    """The most searched-for queries of the last ``days`` days."""
    return _stats(sa.true(), limit, days)


def zero_result_queries(limit: int = 25, days: int = WINDOW_DAYS) -> list[QueryStat]:
    """Queries that found nothing in the last ``days`` days: what people look for and don't find."""
    return _stats(SearchLog.results == 0, limit, days)


def totals(days: int = WINDOW_DAYS) -> tuple[int, int]:
    """How many searches in the window, and how many of them found nothing."""
    since = utcnow() - timedelta(days=days)
    zero = sa.func.sum(sa.case((SearchLog.results == 0, 1), else_=0))
    row = db.session.execute(sa.select(sa.func.count(), zero).where(SearchLog.created_at >= since)).one()
    return row[0] or 0, row[1] or 0


def _stats(condition, limit: int, days: int) -> list[QueryStat]:
    since = utcnow() - timedelta(days=days)
    searches = sa.func.count()
    rows = db.session.execute(
        sa.select(SearchLog.query, searches, sa.func.avg(SearchLog.results), sa.func.max(SearchLog.created_at))
        .where(SearchLog.created_at >= since, condition)
        .group_by(SearchLog.query).order_by(searches.desc(), SearchLog.query).limit(limit))
    return [QueryStat(query, n, float(average or 0), last) for query, n, average, last in rows]
