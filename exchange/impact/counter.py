"""Counting reach without tracking people: one number per article per day, written in batches.

What counts as a view: a GET of an article page (``articles.show``) answered 200, whether rendered
or served from the visitors' page cache (the count is taken from Flask's ``request_finished``
signal, which both pass, after the conditional-request hooks have turned a repeat into a 304).
What does not: a 304 (the browser already had the page), redirects, errors, HEAD, prefetches
(``Sec-Purpose``/``Purpose: prefetch``), user agents that say they are bots (or say nothing), the
owning agency's own staff and the author (``exclude_own_views``, set while the page renders), and any
article that is not published when the batch is written (drafts and withdrawn articles).

Nothing about the reader is kept: no cookie is set or read for counting, no address, no user id.
The tally holds only "day slug" -> number.

A view never writes to the database on the request path: it is added to a tally, either in the
worker's memory or, with IMPACT_REDIS_URL, in one Redis hash that every worker and server shares.
``flush`` moves the tally into ``article_views`` with one upsert per batch (``views = views + n``),
so any number of workers may flush at once without losing a count. A daemon thread per worker
flushes every IMPACT_FLUSH_SECONDS, a worker flushes its memory tally when it exits, and
``exchange impact flush`` does it from the command line (or cron).
"""
import atexit
import logging
import os
import re
import threading
from collections import Counter
from datetime import date

import sqlalchemy as sa
from flask import g, request

from exchange.db import db, utcnow

log = logging.getLogger("exchange.impact")
KEY = "exchange.impact.tally"
UNCOUNTED = "impact_uncounted"
STOP = "exchange.impact.stop"
_making = threading.Lock()
# User agents that say they are programs rather than people reading. An empty one counts as a bot too.
BOTS = re.compile(r"bot|crawl|spider|slurp|archiver|fetch|scan|monitor|preview|curl|wget|python|httpx|"
                  r"go-http|java/|okhttp|libwww|headless|lighthouse|phantom|facebookexternalhit|"
                  r"embedly|feed|check", re.IGNORECASE)


def is_bot(user_agent: str) -> bool:
    """Whether a user agent is a program (search engines, link previews, monitors, scripts) or missing."""
    return not user_agent.strip() or bool(BOTS.search(user_agent))


def exclude_own_views() -> None:
    """Called while an article page renders for its own agency or author: this view is not counted."""
    g.setdefault(UNCOUNTED, True)


def counts_as_view(response) -> bool:
    """Whether this finished request is a successful view of an article page by a reader."""
    return (request.method == "GET" and request.endpoint == "articles.show" and response.status_code == 200
            and not g.get(UNCOUNTED) and not _prefetch() and not is_bot(request.headers.get("User-Agent", "")))


def _prefetch() -> bool:
    return "prefetch" in (request.headers.get("Sec-Purpose", "") + request.headers.get("Purpose", "")).lower()


def request_finished(app, response, **_extra) -> None:
    """Flask's ``request_finished`` signal: add a view to the tally if it is one; never raises."""
    try:
        if counts_as_view(response):
            tally(app).add(utcnow().date(), request.view_args["slug"])
    except Exception:  # a count is never worth a failed page
        log.warning("could not count a view", exc_info=True)


# The tallies ---------------------------------------------------------------------------------------

def _field(day: date, slug: str) -> str:
    return f"{day.isoformat()} {slug}"


def _parse(field: str) -> tuple[date, str]:
    day, slug = field.split(" ", 1)
    return date.fromisoformat(day), slug


class MemoryTally:
    """Views counted in this worker's memory until flushed (lost if the worker is killed, not if it exits)."""

    def __init__(self):
        self.counts: Counter = Counter()
        self.lock = threading.Lock()

    def add(self, day: date, slug: str, n: int = 1) -> None:
        with self.lock:
            self.counts[_field(day, slug)] += n

    def flush(self, write) -> int:
        with self.lock:
            taken, self.counts = self.counts, Counter()
        if not taken:
            return 0
        try:
            return write({_parse(field): n for field, n in taken.items()})
        except Exception:
            with self.lock:  # put them back for the next round
                self.counts.update(taken)
            raise


class RedisTally:
    """Views counted in one Redis hash shared by every worker and server (HINCRBY on the request path).

    A flush takes a lock (one flusher at a time), renames the hash to ``flushing`` (atomic: counts
    that arrive meanwhile start a new hash), writes it and deletes it. A flush that died before its
    commit leaves ``flushing`` behind, and the next flush writes it first. (One that died between its
    commit and the delete would count that batch twice: a window of one statement.)
    """

    def __init__(self, url: str, prefix: str):
        import redis

        self.redis = redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)
        self.gone = redis.exceptions.ResponseError
        self.live, self.flushing, self.lock_name = prefix + "views", prefix + "views:flushing", prefix + "flush-lock"

    def add(self, day: date, slug: str, n: int = 1) -> None:
        self.redis.hincrby(self.live, _field(day, slug), n)

    def flush(self, write) -> int:
        lock = self.redis.lock(self.lock_name, timeout=120, blocking_timeout=5)
        if not lock.acquire():
            return 0  # another worker is flushing; what it did not take waits for the next round
        try:
            written = 0
            if not self.redis.exists(self.flushing) and self.redis.exists(self.live):
                try:
                    self.redis.rename(self.live, self.flushing)
                except self.gone:  # the hash went between exists and rename: nothing to do
                    return 0
            taken = self.redis.hgetall(self.flushing)
            if taken:
                written = write({_parse(field.decode()): int(n) for field, n in taken.items()})
            self.redis.delete(self.flushing)
            return written
        finally:
            lock.release()


def tally(app):
    """This app's tally (made on first use, in the worker process that uses it)."""
    found = app.extensions.get(KEY)
    if found is None or found[0] != os.getpid():  # a forked worker starts its own
        with _making:
            found = app.extensions.get(KEY)
            if found is None or found[0] != os.getpid():
                made = _make_tally(app)
                found = app.extensions[KEY] = (os.getpid(), made)
                _start_flushing(app, made)
    return found[1]


def _make_tally(app):
    url = app.config["IMPACT_REDIS_URL"]
    return RedisTally(url, app.config["IMPACT_REDIS_PREFIX"]) if url else MemoryTally()


# Writing a batch -----------------------------------------------------------------------------------

def write_views(counts: dict[tuple[date, str], int]) -> int:
    """Add ``counts`` (by day and slug) to ``article_views`` in one transaction; returns the views written.

    Only articles published now are counted: a view of an article since withdrawn or turned back into
    a draft, or of a slug that is gone, is dropped.
    """
    from exchange.articles.models import Article
    from exchange.impact.models import ArticleView

    slugs = {slug for _, slug in counts}
    with db.engine.begin() as connection:
        ids = dict(connection.execute(sa.select(Article.slug, Article.id).where(
            Article.slug.in_(slugs), Article.status == "published")).all())
        rows = {}
        for (day, slug), n in counts.items():
            if slug in ids and n > 0:
                key = (ids[slug], day)
                rows[key] = rows.get(key, 0) + n
        if rows:
            values = [{"article_id": a, "day": d, "views": n} for (a, d), n in rows.items()]
            statement = _insert(connection)(ArticleView).values(values)
            connection.execute(statement.on_conflict_do_update(
                index_elements=["article_id", "day"],
                set_={"views": ArticleView.views + statement.excluded.views}))
    return sum(rows.values())


def _insert(connection):
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def flush(app) -> int:
    """Write this worker's (or the shared) tally to the database now; returns the views written."""
    found = app.extensions.get(KEY)
    own = found[1] if found and found[0] == os.getpid() else _make_tally(app)  # the command starts no thread
    with app.app_context():
        return own.flush(write_views)


def flush_safely(app) -> None:
    try:
        flush(app)
    except Exception:  # the tally keeps what could not be written, for the next round
        log.warning("could not write the view counts; they are kept for the next round", exc_info=True)


def _start_flushing(app, made) -> None:
    """A daemon thread flushing every IMPACT_FLUSH_SECONDS (0: never, only the command), and at exit."""
    seconds = float(app.config["IMPACT_FLUSH_SECONDS"])
    if seconds <= 0:
        return
    stop = app.extensions[STOP] = threading.Event()

    def run():
        while not stop.wait(seconds):
            flush_safely(app)

    threading.Thread(target=run, name="exchange-impact-flush", daemon=True).start()
    if isinstance(made, MemoryTally):
        atexit.register(flush_safely, app)


def stop(app) -> None:
    """Stop this app's background flushing (tests; a server process simply exits)."""
    if STOP in app.extensions:
        app.extensions[STOP].set()
