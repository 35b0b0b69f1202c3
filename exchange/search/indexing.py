"""Keeping the index in step with committed changes, without ever losing one.

On flush, the ids of articles whose indexed fields changed are written to ``search_pending``
in the same transaction as the change itself. After commit, the pending rows are applied
(published articles indexed, the others removed) and then deleted. Whatever is not applied
- the index was busy, the process died - stays pending until the next write, the next sweep
(from a search request) or ``exchange search check`` / ``reindex`` finishes it.
"""
import logging
import time
from contextlib import contextmanager
from functools import partial

import sqlalchemy as sa
from sqlalchemy.orm import Session

from exchange import pagecache
from exchange.accounts.models import Agency
from exchange.articles.models import Article, Tag, article_tags
from exchange.db import utcnow
from exchange.search import sources
from exchange.search.backends import configured, database_engine
from exchange.search.documents import published_documents, read_version
from exchange.search.models import SearchPending

log = logging.getLogger(__name__)
QUEUED = "search.queued"  # session.info: article ids already queued in this transaction
DEFERRED = "search.deferred"  # session.info: queue, but apply only when the bulk work is done
APPLY = "search.apply"  # session.info: apply what is pending after the next commit
INDEXED = ("slug", "title", "kind", "summary", "text", "tags", "agency_id", "status", "evidence_level",
           "stage", "published_at", "updated_at", "revision", "score")
BATCH = 500
SWEEP_TIMEOUT = 0.25
REBUILD_FROM = 2000  # after bulk work with this many changes, a rebuild (the fast path) beats applying them


def listen(app) -> None:
    """Queue and apply index changes for every session this app makes."""
    sessions = app.extensions["exchange.db"]
    sa.event.listen(sessions, "after_flush", _queue_flushed)
    sa.event.listen(sessions, "do_orm_execute", _queue_bulk_statement)
    sa.event.listen(sessions, "after_commit", partial(_apply_committed, app))
    sa.event.listen(sessions, "after_rollback", _forget)


def _queue_flushed(session, _context) -> None:
    ids = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Article) and (obj in session.new or obj in session.deleted or _indexed_change(obj)):
            ids.add(obj.id)
        elif isinstance(obj, Tag) and obj in session.dirty and _changed(obj, "name"):
            ids.update(_ids(session, sa.select(article_tags.c.article_id).where(article_tags.c.tag_id == obj.id)))
        elif isinstance(obj, Agency) and obj in session.dirty and _changed(obj, "name", "slug", "country", "level"):
            ids.update(_ids(session, sa.select(Article.id).where(Article.agency_id == obj.id)))
        ids.update(_other_ids(session, obj))
    _queue(session, ids)


def _other_ids(session, obj) -> set[int]:
    """The index ids of the other sources' documents (challenges) a flushed object changes."""
    found = set()
    for source in sources.sources():
        rows = set()
        if isinstance(obj, source.model) and (obj in session.new or obj in session.deleted
                                              or _changed(obj, *source.indexed)):
            rows.add(obj.id)
        elif isinstance(obj, Tag) and obj in session.dirty and _changed(obj, "name"):
            rows.update(_ids(session, source.of_tag(obj.id)))
        elif isinstance(obj, Agency) and obj in session.dirty and _changed(obj, "name", "slug"):
            rows.update(_ids(session, source.of_agency(obj.id)))
        found.update(source.offset + row for row in rows if row is not None)
    return found


def _queue_bulk_statement(state) -> None:
    """``update(Article)`` and ``delete(Article)`` statements bypass flush: queue what they touch."""
    if not (state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    if mapper is None or mapper.class_ is not Article:
        return
    where = state.statement.whereclause
    select = sa.select(Article.id) if where is None else sa.select(Article.id).where(where)
    _queue(state.session, _ids(state.session, select))


def _indexed_change(article: Article) -> bool:
    return _changed(article, *INDEXED)


def _changed(obj, *attributes) -> bool:
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in attributes)


def _ids(session, select) -> set[int]:
    return set(session.connection().execute(select).scalars())


def _queue(session, ids) -> None:
    """Record the ids as pending, in the current transaction, once each."""
    queued = session.info.setdefault(QUEUED, set())
    new = {i for i in ids if i is not None} - queued
    if new:
        now = utcnow()
        rows = [{"article_id": i, "queued_at": now} for i in sorted(new)]
        session.connection().execute(sa.insert(SearchPending), rows)
        queued.update(new)


def _forget(session) -> None:
    session.info.pop(QUEUED, None)


def _apply_committed(app, session) -> None:
    queued, asked = session.info.pop(QUEUED, None), session.info.pop(APPLY, False)
    if (queued or asked) and not session.info.get(DEFERRED):
        apply_safely(app)


@contextmanager
def deferred(session):
    """Queue the index changes of bulk work (e.g. loading content) and apply them once, at the end."""
    session.info[DEFERRED] = True
    try:
        yield
    finally:
        session.info.pop(DEFERRED, None)
    if session.in_transaction():
        session.info[APPLY] = True  # this session may hold the database: apply after its commit
    elif pending_count() >= REBUILD_FROM:
        _rebuild_safely()
    else:
        apply_safely()


def _rebuild_safely() -> None:
    from exchange.search import maintenance

    try:
        maintenance.reindex()
    except Exception:  # the changes stay pending; the next write, sweep or reindex applies them
        log.warning("search index rebuild after bulk changes failed", exc_info=True)


def apply_safely(app=None, timeout: float | None = None) -> int:
    """``apply_pending``, but a failure is logged and left for later, never raised."""
    try:
        return apply_pending(app, timeout)
    except Exception:  # the change is committed and pending; it will be applied later
        log.warning("search index update deferred", exc_info=True)
        return 0


def apply_pending(app=None, timeout: float | None = None) -> int:
    """Apply every pending index change; returns how many were applied."""
    search = configured(app)
    engine = database_engine(app)
    if not search.backend.records_changes:
        return 0
    timeout = search.write_timeout if timeout is None else timeout
    applied = 0
    while _has_pending(engine):
        with search.backend.writer(timeout) as writer:
            # Read the queue and the articles while holding the index, so the last writer
            # always writes what the database holds last.
            # (PostgreSQL's writer holds only the rows it writes, after this read: there the
            # data version read first orders the writes, and an older one is refused.)
            with Session(engine) as session:
                seq = read_version(session)
                rows = session.execute(sa.select(SearchPending.id, SearchPending.article_id)
                                       .order_by(SearchPending.id).limit(BATCH)).all()
                ids = {row.article_id for row in rows}
                documents = published_documents(session, ids, seq)
            writer.update(documents)
            writer.remove(ids - {document.id for document in documents}, seq)
        _delete(engine, [row.id for row in rows])
        applied += len(rows)
        if len(rows) < BATCH:
            break
    return applied


def sweep(app=None) -> int:
    """Now and then (at most every SEARCH_SWEEP_SECONDS), apply changes left waiting."""
    search = configured(app)
    now = time.monotonic()
    if not search.backend.records_changes or now - search.last_sweep < search.sweep_seconds:
        return 0
    search.last_sweep = now
    return apply_safely(app, timeout=SWEEP_TIMEOUT)


def queue_repairs(ids, app=None) -> None:
    """Queue index entries found wrong while reading (e.g. an article no longer published)."""
    try:
        with database_engine(app).begin() as connection:
            rows = [{"article_id": i, "queued_at": utcnow()} for i in sorted(ids)]
            connection.execute(sa.insert(SearchPending), rows)
    except sa.exc.SQLAlchemyError:
        log.warning("could not queue index repairs", exc_info=True)


def pending_count(app=None) -> int:
    with Session(database_engine(app)) as session:
        return session.scalar(sa.select(sa.func.count()).select_from(SearchPending)) or 0


def pending_rows(engine) -> list[int]:
    """The ids of the queue's rows (not the articles')."""
    with Session(engine) as session:
        return list(session.scalars(sa.select(SearchPending.id).order_by(SearchPending.id)))


def forget(engine, row_ids) -> None:
    """Take rows off the queue: their changes are in the index by other means (a rebuild)."""
    _delete(engine, list(row_ids))


def _has_pending(engine) -> bool:
    with Session(engine) as session:
        return session.scalar(sa.select(SearchPending.id).limit(1)) is not None


def _delete(engine, row_ids) -> None:
    # Its own short transaction, the delete first, so SQLite takes its write lock straight away.
    with engine.begin() as connection:
        for start in range(0, len(row_ids), BATCH):
            connection.execute(sa.delete(SearchPending).where(SearchPending.id.in_(row_ids[start:start + BATCH])))
        if row_ids:
            index_changed(connection)


def index_changed(connection) -> None:
    """What searches find has changed (the index was written): searches kept per data version are dropped."""
    connection.exec_driver_sql(pagecache.BUMP)
