"""First searches after an index change: the latency a reader sees right after someone publishes.

Each round edits one article through the site's own service (so the index is written as the
site writes it, and the search that follows opens a new searcher), then runs every query once
on the changed index, timing each: the first query after the change and the first read of each
query's words are all in the figures. Run on its own, ``python -m bench.first_search``, on a site a bench
has built (with EXCHANGE_DATABASE_URL and EXCHANGE_SEARCH_INDEX set; it edits a few articles).
"""
import os
import time

CHANGES = 12  # rounds: one edit, then every query once


def latencies(env: dict, queries: list[str], changes: int = CHANGES) -> tuple[list[float], list[float], int]:
    """Milliseconds per search, every search being on an index changed just before its round.

    Wall-clock time, and the CPU time of the searching thread: on a machine busy with other work,
    the second says what the search itself costs. Then how many searches the time limit cut short.
    """
    os.environ.update(env)
    from exchange import create_app
    from exchange.search.backends import configured
    from exchange.search.services import read_request

    app = create_app()
    times, cpu, short = [], [], 0
    with app.app_context():
        backend = configured().backend
        backend.warm_up()  # as a gunicorn worker does when it starts (gunicorn.conf.py)
        getattr(backend, "wait_warm", lambda: None)()
        for round_number in range(changes):
            _edit_one(round_number)
            for text in queries:
                start, start_cpu = time.perf_counter(), time.thread_time()
                request, _ = read_request({"q": text})
                results = backend.search(request)
                times.append((time.perf_counter() - start) * 1000)
                cpu.append((time.thread_time() - start_cpu) * 1000)
                assert results.facets or results.partial or not results.total, "facets are part of every search"
                short += results.partial
    return times, cpu, short


def cut_short(short: int, searches: int) -> str:
    """What a table row adds when the time limit cut searches short (partial results, without facets)."""
    return f"; {short} of {searches} cut short by the time limit" if short else ""


def row(env: dict, queries: list[str], limit_ms: int = 50) -> tuple:
    """The benchmark table's row: p95 against the budget (DESIGN.md section 9: 50 ms at 10,000 articles)."""
    from bench.yardsticks import percentile

    wall, cpu, short = latencies(env, queries)
    p95 = percentile(wall, 95)
    return ("search in process, first runs after a change",
            f"p95 {p95:.1f} ms (p50 {percentile(wall, 50):.1f})" + cut_short(short, len(wall)),
            "", f"CPU time p95 {percentile(cpu, 95):.1f} ms", f"p95 < {limit_ms} ms, none cut short",
            p95 < limit_ms and not short)


def _edit_one(round_number: int) -> None:
    """Edit one published article's summary as its author would (indexed after the commit)."""
    import sqlalchemy as sa

    from exchange.articles.models import Article
    from exchange.articles.services import update_article
    from exchange.db import db

    published = sa.select(Article).where(Article.status == "published")
    count = db.session.scalar(sa.select(sa.func.count()).select_from(published.subquery()))
    article = db.session.scalar(published.order_by(Article.id).offset(round_number * 97 % count).limit(1))
    update_article(article.author, article, {"summary": f"{article.summary.rstrip('.')} (edited {round_number})."},
                   article.revision)
    db.session.close()


if __name__ == "__main__":
    from bench.__main__ import QUERIES

    print(" | ".join(map(str, row({}, QUERIES))))
